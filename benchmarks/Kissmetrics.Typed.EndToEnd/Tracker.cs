using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Kissmetrics.Typed.EndToEnd;

/// <summary>
/// The tracker: a raw-socket HTTP/1.1 keep-alive server on 127.0.0.1, in a process of its own so its CPU is not
/// charged to a contender. Pipelined requests are parsed in order (GET, or POST with a Content-Length body) and each is
/// answered with the 1x1 GIF Kissmetrics answers, in order. With a delay of D ms each answer is written at its
/// request's arrival + D (per connection, in order), as a tracker D ms away would answer: pipelined and parallel
/// requests overlap. It counts requests, unique and duplicated event ids, and the delay from <c>Track</c> to the
/// answer (from the event's <c>tracked_us</c>). Control requests (paths under <c>/__</c>, answered and closed):
/// <c>/__reset</c> (and <c>/__reset?record=1</c> to keep the targets and bodies for the byte check),
/// <c>/__stats</c> (one line of JSON), <c>/__recorded</c> (the kept requests, one per line).
/// </summary>
internal sealed class Tracker
{
    private const int MaxIds = 1 << 26;      // ids 0..64M are counted exactly (a bitmap of 8 MB)
    private const int MaxDelays = 1 << 22;   // the first 4M answers' delays are kept for the percentiles
    private const int MaxRecorded = 1_000;

    private static readonly byte[] s_gif = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");
    private static readonly byte[] s_answer = BuildAnswer();
    private static readonly byte[] s_idMarker = Encoding.ASCII.GetBytes("%20-%20event_id=");
    private static readonly byte[] s_usMarker = Encoding.ASCII.GetBytes("%20-%20tracked_us=");

    private readonly long _delayUs;
    private readonly long[] _seen = new long[MaxIds / 64];
    private readonly long[] _delays = new long[MaxDelays];
    private readonly ConcurrentQueue<string> _recorded = new();
    private long _requests;
    private long _unique;
    private long _duplicates;
    private long _withoutId;
    private long _maxId = -1;
    private int _delayCount;
    private int _connections;
    private int _peakConnections;
    private long _inFlight;
    private long _peakInFlight;
    private TimeSpan _cpuAtReset;
    private volatile bool _record;
    private Socket _listener = null!;

    private Tracker(int delayMs) => _delayUs = delayMs * 1000L;

    /// <summary>The hidden subcommand <c>__tracker [--delay-ms D]</c>: prints <c>PORT n</c>, serves until stdin closes.</summary>
    public static int Run(string[] args)
    {
        int delayMs = 0;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--delay-ms")
            {
                delayMs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
        }

        var tracker = new Tracker(delayMs);
        tracker._listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        tracker._listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        tracker._listener.Listen(4096);
        _ = Task.Run(tracker.AcceptLoopAsync);
        Console.Out.WriteLine("PORT " + ((IPEndPoint)tracker._listener.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture));
        Console.Out.Flush();

        // The parent holds our stdin: when it exits (however it exits), stdin closes and so does the tracker.
        while (Console.In.ReadLine() is { } line && line != "quit")
        {
        }

        return 0;
    }

    private static byte[] BuildAnswer()
    {
        byte[] head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: image/gif\r\nContent-Length: " +
            s_gif.Length.ToString(CultureInfo.InvariantCulture) + "\r\n\r\n");
        byte[] answer = new byte[head.Length + s_gif.Length];
        head.CopyTo(answer, 0);
        s_gif.CopyTo(answer, head.Length);
        return answer;
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket socket = await _listener.AcceptAsync().ConfigureAwait(false);
            socket.NoDelay = true;
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private readonly record struct Pending(long DueUs, long TrackedUs);

    private async Task ServeAsync(Socket socket)
    {
        Raise(ref _peakConnections, Interlocked.Increment(ref _connections));
        byte[] buffer = new byte[64 * 1024];
        byte[] output = new byte[64 * s_answer.Length];
        int filled = 0;
        Channel<Pending>? pending = null;
        Task? writer = null;
        if (_delayUs > 0)
        {
            pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            writer = Task.Run(() => WriteDelayedAsync(socket, pending.Reader));
        }

        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                int read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                filled += read;
                int start = Parse(buffer, filled, pending, ref output, out int answers, out byte[]? control);
                if (answers > 0)
                {
                    await socket.SendAsync(output.AsMemory(0, answers * s_answer.Length), SocketFlags.None).ConfigureAwait(false);
                }

                if (control is not null)
                {
                    await socket.SendAsync(control, SocketFlags.None).ConfigureAwait(false);
                    return; // control connections close after their answer
                }

                Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
                filled -= start;
            }
        }
        catch (Exception)
        {
            // The peer closed or reset the connection, or sent what is not HTTP/1.1: that connection ends, nothing else.
        }
        finally
        {
            pending?.Writer.TryComplete();
            if (writer is not null)
            {
                try
                {
                    await writer.ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
                {
                }
            }

            socket.Dispose();
            Interlocked.Decrement(ref _connections);
        }
    }

    /// <summary>Handles the whole requests in <paramref name="buffer"/>: counts them and queues or writes their answers; stops after a control request.</summary>
    private int Parse(byte[] buffer, int filled, Channel<Pending>? pending, ref byte[] output, out int answers, out byte[]? control)
    {
        long nowUs = BenchData.NowUs();
        int start = 0;
        answers = 0;
        control = null;
        while (TryFrame(buffer.AsSpan(start, filled - start), out int length, out int headerEnd))
        {
            ReadOnlySpan<byte> message = buffer.AsSpan(start, length);
            start += length;
            if (IsControl(message))
            {
                control = Control(message);
                return start;
            }

            long trackedUs = Count(message, headerEnd);
            if (pending is not null)
            {
                pending.Writer.TryWrite(new Pending(nowUs + _delayUs, trackedUs));
                continue;
            }

            if ((answers + 1) * s_answer.Length > output.Length)
            {
                Array.Resize(ref output, output.Length * 2);
            }

            s_answer.CopyTo(output, answers * s_answer.Length);
            answers++;
            RecordDelay(trackedUs, nowUs);
        }

        return start;
    }

    /// <summary>Writes each answer at its due time, in order; the answers already due go out in one write.</summary>
    private async Task WriteDelayedAsync(Socket socket, ChannelReader<Pending> reader)
    {
        byte[] output = new byte[64 * s_answer.Length];
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryPeek(out Pending next))
            {
                long waitUs = next.DueUs - BenchData.NowUs();
                if (waitUs > 500)
                {
                    await Task.Delay(TimeSpan.FromMicroseconds(waitUs)).ConfigureAwait(false);
                }

                long nowUs = BenchData.NowUs();
                int answers = 0;
                while (reader.TryPeek(out Pending due) && due.DueUs <= nowUs + 500)
                {
                    reader.TryRead(out _);
                    if ((answers + 1) * s_answer.Length > output.Length)
                    {
                        Array.Resize(ref output, output.Length * 2);
                    }

                    s_answer.CopyTo(output, answers * s_answer.Length);
                    answers++;
                    RecordDelay(due.TrackedUs, nowUs);
                }

                if (answers > 0)
                {
                    await socket.SendAsync(output.AsMemory(0, answers * s_answer.Length), SocketFlags.None).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>One whole request at the start of <paramref name="data"/>: its length (headers and body) and where its headers end.</summary>
    private static bool TryFrame(ReadOnlySpan<byte> data, out int length, out int headerEnd)
    {
        length = 0;
        headerEnd = data.IndexOf("\r\n\r\n"u8);
        if (headerEnd < 0)
        {
            return false;
        }

        int body = ContentLength(data.Slice(0, headerEnd));
        length = headerEnd + 4 + body;
        return length <= data.Length;
    }

    private static int ContentLength(ReadOnlySpan<byte> headers)
    {
        int at = 0;
        while (true)
        {
            int next = headers.Slice(at).IndexOf("\r\n"u8);
            if (next < 0)
            {
                return 0;
            }

            at += next + 2;
            ReadOnlySpan<byte> line = headers.Slice(at);
            int end = line.IndexOf("\r\n"u8);
            if (end >= 0)
            {
                line = line.Slice(0, end);
            }

            if (line.Length > 15 && Ascii.EqualsIgnoreCase(line.Slice(0, 15), "Content-Length:"u8))
            {
                return int.Parse(Encoding.ASCII.GetString(line.Slice(15)).Trim(), CultureInfo.InvariantCulture);
            }
        }
    }

    private static bool IsControl(ReadOnlySpan<byte> message)
    {
        int space = message.IndexOf((byte)' ');
        return space >= 0 && message.Slice(space + 1).StartsWith("/__"u8);
    }

    /// <summary>Counts one event request; returns its <c>tracked_us</c> (0 when it has none).</summary>
    private long Count(ReadOnlySpan<byte> message, int headerEnd)
    {
        Interlocked.Increment(ref _requests);
        long inFlight = Interlocked.Increment(ref _inFlight);
        long peak;
        while (inFlight > (peak = Volatile.Read(ref _peakInFlight)) && Interlocked.CompareExchange(ref _peakInFlight, inFlight, peak) != peak)
        {
        }

        if (_record)
        {
            Record(message, headerEnd);
        }

        ReadOnlySpan<byte> body = message.Slice(headerEnd + 4);
        ReadOnlySpan<byte> head = message.Slice(0, message.IndexOf("\r\n"u8));
        long id = Number(head, s_idMarker);
        if (id < 0)
        {
            id = Number(body, s_idMarker);
        }

        if (id < 0 || id >= MaxIds)
        {
            Interlocked.Increment(ref _withoutId);
        }
        else
        {
            long bit = 1L << (int)(id & 63);
            long before = Interlocked.Or(ref _seen[id >> 6], bit);
            if ((before & bit) != 0)
            {
                Interlocked.Increment(ref _duplicates);
            }
            else
            {
                Interlocked.Increment(ref _unique);
            }

            long max;
            while (id > (max = Volatile.Read(ref _maxId)) && Interlocked.CompareExchange(ref _maxId, id, max) != max)
            {
            }
        }

        long us = Number(head, s_usMarker);
        return us >= 0 ? us : Math.Max(0, Number(body, s_usMarker));
    }

    private static long Number(ReadOnlySpan<byte> text, ReadOnlySpan<byte> marker)
    {
        int at = text.IndexOf(marker);
        if (at < 0)
        {
            return -1;
        }

        long value = 0;
        int digits = 0;
        for (int i = at + marker.Length; i < text.Length && (uint)(text[i] - '0') <= 9; i++, digits++)
        {
            value = (value * 10) + (text[i] - '0');
        }

        return digits == 0 ? -1 : value;
    }

    private static void Raise(ref int peak, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref peak)) && Interlocked.CompareExchange(ref peak, value, seen) != seen)
        {
        }
    }

    /// <summary>An event request was answered: no longer in flight; its delay from <c>Track</c> is kept.</summary>
    private void RecordDelay(long trackedUs, long nowUs)
    {
        Interlocked.Decrement(ref _inFlight);
        if (trackedUs <= 0)
        {
            return;
        }

        int slot = Interlocked.Increment(ref _delayCount) - 1;
        if (slot < _delays.Length)
        {
            _delays[slot] = nowUs - trackedUs;
        }
    }

    private void Record(ReadOnlySpan<byte> message, int headerEnd)
    {
        if (_recorded.Count >= MaxRecorded)
        {
            return;
        }

        // "METHOD target", then " body" for a request with one: what the contenders must send byte for byte.
        ReadOnlySpan<byte> requestLine = message.Slice(0, message.IndexOf("\r\n"u8));
        int lastSpace = requestLine.LastIndexOf((byte)' ');
        string line = Encoding.ASCII.GetString(requestLine.Slice(0, lastSpace));
        ReadOnlySpan<byte> body = message.Slice(headerEnd + 4);
        _recorded.Enqueue(body.IsEmpty ? line : line + " " + Encoding.ASCII.GetString(body));
    }

    private byte[] Control(ReadOnlySpan<byte> message)
    {
        ReadOnlySpan<byte> requestLine = message.Slice(0, message.IndexOf("\r\n"u8));
        string target = Encoding.ASCII.GetString(requestLine.Slice(requestLine.IndexOf((byte)' ') + 1, requestLine.LastIndexOf((byte)' ') - requestLine.IndexOf((byte)' ') - 1));
        string body;
        if (target.StartsWith("/__reset", StringComparison.Ordinal))
        {
            Reset(record: target.Contains("record=1", StringComparison.Ordinal));
            body = "{}";
        }
        else if (target.StartsWith("/__stats", StringComparison.Ordinal))
        {
            body = Stats();
        }
        else if (target.StartsWith("/__recorded", StringComparison.Ordinal))
        {
            body = string.Join("\n", _recorded.ToArray());
        }
        else
        {
            body = "unknown control request";
        }

        byte[] content = Encoding.UTF8.GetBytes(body);
        byte[] head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: " +
            content.Length.ToString(CultureInfo.InvariantCulture) + "\r\n\r\n");
        byte[] answer = new byte[head.Length + content.Length];
        head.CopyTo(answer, 0);
        content.CopyTo(answer, head.Length);
        return answer;
    }

    private void Reset(bool record)
    {
        long max = Interlocked.Exchange(ref _maxId, -1);
        if (max >= 0)
        {
            Array.Clear(_seen, 0, (int)(max >> 6) + 1);
        }

        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _unique, 0);
        Interlocked.Exchange(ref _duplicates, 0);
        Interlocked.Exchange(ref _withoutId, 0);
        Interlocked.Exchange(ref _delayCount, 0);
        Interlocked.Exchange(ref _peakInFlight, Interlocked.Read(ref _inFlight));
        Volatile.Write(ref _peakConnections, Volatile.Read(ref _connections) - 1); // not this control connection
        using (var self = Process.GetCurrentProcess())
        {
            _cpuAtReset = self.TotalProcessorTime;
        }

        _recorded.Clear();
        _record = record;
    }

    private string Stats()
    {
        int count = Math.Min(Volatile.Read(ref _delayCount), _delays.Length);
        long[] delays = _delays.AsSpan(0, count).ToArray();
        Array.Sort(delays);
        using var self = Process.GetCurrentProcess();
        return string.Create(CultureInfo.InvariantCulture, $$"""{"requests":{{Interlocked.Read(ref _requests)}},"unique":{{Interlocked.Read(ref _unique)}},"duplicates":{{Interlocked.Read(ref _duplicates)}},"withoutId":{{Interlocked.Read(ref _withoutId)}},"peakConnections":{{Volatile.Read(ref _peakConnections)}},"peakInFlight":{{Interlocked.Read(ref _peakInFlight)}},"delays":{{count}},"p50Us":{{Percentile(delays, 0.50)}},"p99Us":{{Percentile(delays, 0.99)}},"maxUs":{{(count == 0 ? 0 : delays[^1])}},"cpuMs":{{(self.TotalProcessorTime - _cpuAtReset).TotalMilliseconds:F1}}}""");
    }

    private static long Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

/// <summary>A control request to the tracker: one connection, one GET, read to the end.</summary>
internal static class TrackerControl
{
    public static string Get(int port, string path)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.ReceiveTimeout = 30_000;
        socket.SendTimeout = 30_000;
        socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        socket.Send(Encoding.ASCII.GetBytes("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
        var received = new System.IO.MemoryStream();
        byte[] chunk = new byte[64 * 1024];
        int read;
        while ((read = socket.Receive(chunk)) > 0)
        {
            received.Write(chunk, 0, read);
        }

        string text = Encoding.UTF8.GetString(received.ToArray());
        int body = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (!text.StartsWith("HTTP/1.1 200", StringComparison.Ordinal) || body < 0)
        {
            throw new InvalidOperationException("the tracker's control request " + path + " failed");
        }

        return text.Substring(body + 4);
    }
}
