using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Kissmetrics.Typed.Tests.Infrastructure;

/// <summary>One request as a <see cref="ScriptedHttpServer"/> read it off the socket.</summary>
/// <param name="Method">GET or POST.</param>
/// <param name="Target">The request target as sent.</param>
/// <param name="Headers">The header lines, names as sent.</param>
/// <param name="Body">The body (ASCII).</param>
public sealed record RawHttpRequest(string Method, string Target, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body)
{
    /// <summary>The value of header <paramref name="name"/> (any case), or null.</summary>
    public string? Header(string name)
    {
        foreach (KeyValuePair<string, string> header in Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }

        return null;
    }
}

/// <summary>
/// A raw-socket HTTP/1.1 server on <c>127.0.0.1</c> whose every connection follows a script: read requests, write
/// any bytes (split, chunked, garbage), stall, close or reset. For the transport's fault cases, which Kestrel is too
/// well-behaved to produce. Loopback only.
/// </summary>
public sealed class ScriptedHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<ScriptedConnection, Task> _script;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<RawHttpRequest> _requests = new();
    private readonly List<Task> _connections = new();
    private readonly Task _accepting;
    private int _accepted;

    private ScriptedHttpServer(Func<ScriptedConnection, Task> script)
    {
        _script = script;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        BaseAddress = new Uri("http://127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port + "/");
        _accepting = AcceptAsync();
    }

    /// <summary><c>http://127.0.0.1:&lt;port&gt;/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>How many connections were accepted.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Every request read so far, on any connection, in the order read.</summary>
    public IReadOnlyCollection<RawHttpRequest> Requests => _requests.ToArray();

    /// <summary>Cancelled when the server is disposed: scripts that stall wait on it.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Starts a server running <paramref name="script"/> for each connection.</summary>
    public static ScriptedHttpServer Start(Func<ScriptedConnection, Task> script) => new(script);

    /// <summary>A port where nothing listens (bound then released).</summary>
    public static Uri DownAddress()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri("http://127.0.0.1:" + port + "/");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
        }

        Task[] connections;
        lock (_connections)
        {
            connections = _connections.ToArray();
        }

        try
        {
            await Task.WhenAll(connections).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
        }

        _stopping.Dispose();
    }

    internal void Record(RawHttpRequest request) => _requests.Enqueue(request);

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception)
            {
                return;
            }

            int index = Interlocked.Increment(ref _accepted) - 1;
            var connection = new ScriptedConnection(this, socket, index);
            lock (_connections)
            {
                _connections.Add(Task.Run(async () =>
                {
                    try
                    {
                        await _script(connection);
                    }
                    catch (Exception)
                    {
                        // The client went away mid-script: fine, that is what several tests do.
                    }
                    finally
                    {
                        connection.Dispose();
                    }
                }));
            }
        }
    }
}

/// <summary>One accepted connection of a <see cref="ScriptedHttpServer"/>.</summary>
public sealed class ScriptedConnection : IDisposable
{
    private readonly ScriptedHttpServer _server;
    private readonly Socket _socket;
    private readonly List<byte> _pending = new();
    private readonly byte[] _buffer = new byte[64 * 1024];

    internal ScriptedConnection(ScriptedHttpServer server, Socket socket, int index)
    {
        _server = server;
        _socket = socket;
        Index = index;
    }

    /// <summary>Which connection this is (0 for the first accepted).</summary>
    public int Index { get; }

    /// <summary>Cancelled when the server is disposed.</summary>
    public CancellationToken Stopping => _server.Stopping;

    /// <summary>Reads one whole request (head and Content-Length body); null when the client closed the connection first.</summary>
    public async Task<RawHttpRequest?> ReadRequestAsync()
    {
        while (true)
        {
            RawHttpRequest? request = TryTake();
            if (request is not null)
            {
                _server.Record(request);
                return request;
            }

            int read;
            try
            {
                read = await _socket.ReceiveAsync(_buffer, SocketFlags.None, Stopping);
            }
            catch (Exception) when (Stopping.IsCancellationRequested)
            {
                return null;
            }
            catch (SocketException)
            {
                return null;
            }

            if (read == 0)
            {
                return null;
            }

            _pending.AddRange(new ArraySegment<byte>(_buffer, 0, read));
        }
    }

    /// <summary>Reads <paramref name="count"/> requests (fewer when the client closes first).</summary>
    public async Task<List<RawHttpRequest>> ReadRequestsAsync(int count)
    {
        var requests = new List<RawHttpRequest>();
        while (requests.Count < count && await ReadRequestAsync() is { } request)
        {
            requests.Add(request);
        }

        return requests;
    }

    /// <summary>Writes <paramref name="text"/> (ASCII) in one send.</summary>
    public Task WriteAsync(string text) => WriteAsync(Encoding.ASCII.GetBytes(text));

    /// <summary>Writes <paramref name="bytes"/> in one send.</summary>
    public async Task WriteAsync(byte[] bytes)
    {
        int sent = 0;
        while (sent < bytes.Length)
        {
            sent += await _socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None, Stopping);
        }
    }

    /// <summary>Writes <paramref name="text"/> in pieces of <paramref name="size"/> bytes, pausing between them so that the client reads them apart.</summary>
    public async Task WriteSplitAsync(string text, int size, int pauseMilliseconds = 5)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        for (int at = 0; at < bytes.Length; at += size)
        {
            await WriteAsync(bytes.AsSpan(at, Math.Min(size, bytes.Length - at)).ToArray());
            await Task.Delay(pauseMilliseconds, Stopping);
        }
    }

    /// <summary>Waits until the server stops (a stalled peer).</summary>
    public async Task StallAsync()
    {
        try
        {
            await Task.Delay(Timeout.Infinite, Stopping);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Closes politely, as real servers do: FIN, then reads (and drops) whatever the client still sends until it closes
    /// too, so that unread requests do not turn the close into a reset that could destroy the answers already sent.
    /// </summary>
    public async Task CloseAsync()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
            using var drain = CancellationTokenSource.CreateLinkedTokenSource(Stopping);
            drain.CancelAfter(TimeSpan.FromSeconds(5));
            while (await _socket.ReceiveAsync(_buffer, SocketFlags.None, drain.Token) > 0)
            {
            }
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        _socket.Close();
    }

    /// <summary>Resets the connection (RST: linger 0).</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();

    private RawHttpRequest? TryTake()
    {
        byte[] pending = _pending.ToArray();
        int end = pending.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return null;
        }

        string head = Encoding.ASCII.GetString(pending, 0, end);
        string[] lines = head.Split("\r\n");
        string[] requestLine = lines[0].Split(' ');
        var headers = new List<KeyValuePair<string, string>>();
        int length = 0;
        foreach (string line in lines[1..])
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            string name = line[..colon];
            string value = line[(colon + 1)..].Trim();
            headers.Add(new(name, value));
            if (string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        if (pending.Length < end + 4 + length)
        {
            return null;
        }

        string body = Encoding.ASCII.GetString(pending, end + 4, length);
        _pending.RemoveRange(0, end + 4 + length);
        return new RawHttpRequest(requestLine[0], requestLine[1], headers, body);
    }
}
