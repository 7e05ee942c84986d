using System;
using System.Buffers;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Kissmetrics.Typed.EndToEnd;

/// <summary>
/// The hidden subcommand <c>__contender</c>: one contender in a process of its own, so that the process's CPU time is
/// the contender's. Phases: <c>check</c> (the fixed events of the byte check, then exit), <c>run</c> (warm up, reset
/// the tracker, then N events as fast as the contender goes, then flush: the timed section), <c>paced</c> (the events
/// offered at a fixed rate from one thread for a number of seconds, then flush). Prints one line of JSON.
/// </summary>
internal static class ContenderMain
{
    public static async Task<int> RunAsync(string[] args)
    {
        var settings = ContenderSettings.Parse(args);
        var watchdog = new Thread(() =>
        {
            // The parent holds our stdin: when it goes away, so do we.
            while (Console.In.ReadLine() is not null)
            {
            }

            Environment.Exit(3);
        })
        { IsBackground = true, Name = "stdin watchdog" };
        watchdog.Start();

        await using Contender contender = Contender.Create(settings);
        var result = new Dictionary<string, object?> { ["label"] = settings.Label, ["kind"] = settings.Kind };

        if (settings.Phase == "check")
        {
            await contender.RunBatchAsync(0, BenchData.CheckEvents, check: true).ConfigureAwait(false);
            await contender.FinishAsync(settings.FlushTimeout).ConfigureAwait(false);
            result["checked"] = BenchData.CheckEvents;
            Emit(result);
            return 0;
        }

        if (settings.Warmup > 0)
        {
            await contender.RunBatchAsync(0, settings.Warmup, check: false).ConfigureAwait(false);
            await contender.FinishAsync(settings.FlushTimeout).ConfigureAwait(false);
            Thread.Sleep(500); // let the tiered JIT finish its background work outside the timed section
        }

        TrackerControl.Get(settings.Port, "/__reset");
        contender.MarkStart();
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        TimeSpan cpuBefore = ProcessCpu();
        long switchesBefore = Rusage.ContextSwitches();
        long started = Stopwatch.GetTimestamp();
        long offered;
        if (settings.Phase == "paced")
        {
            offered = await contender.RunPacedAsync(settings.Rate, settings.Seconds).ConfigureAwait(false);
            using JsonDocument window = JsonDocument.Parse(TrackerControl.Get(settings.Port, "/__stats"));
            result["windowReceived"] = window.RootElement.GetProperty("unique").GetInt64();
            result["windowMs"] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        else
        {
            offered = settings.Events;
            await contender.RunBatchAsync(0, settings.Events, check: false).ConfigureAwait(false);
        }

        long flushStart = Stopwatch.GetTimestamp();
        bool finished = await contender.FinishAsync(settings.FlushTimeout).ConfigureAwait(false);
        TimeSpan wall = Stopwatch.GetElapsedTime(started);
        TimeSpan cpu = ProcessCpu() - cpuBefore;
        long switches = Rusage.ContextSwitches() - switchesBefore;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        result["flushMs"] = Stopwatch.GetElapsedTime(flushStart).TotalMilliseconds;
        result["flushed"] = finished;
        result["offered"] = offered;
        result["cpuMs"] = cpu.TotalMilliseconds;
        result["wallMs"] = wall.TotalMilliseconds;
        result["allocatedBytes"] = allocated;
        result["contextSwitches"] = switches;
        await contender.StopAsync().ConfigureAwait(false);
        using (var self = Process.GetCurrentProcess())
        {
            result["peakWorkingSet"] = self.PeakWorkingSet64;
        }

        contender.Describe(result);
        Emit(result);
        return 0;
    }

    private static TimeSpan ProcessCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static void Emit(Dictionary<string, object?> result)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            foreach (KeyValuePair<string, object?> entry in result)
            {
                switch (entry.Value)
                {
                    case null: json.WriteNull(entry.Key); break;
                    case string s: json.WriteString(entry.Key, s); break;
                    case bool b: json.WriteBoolean(entry.Key, b); break;
                    case long l: json.WriteNumber(entry.Key, l); break;
                    case int i: json.WriteNumber(entry.Key, i); break;
                    case double d: json.WriteNumber(entry.Key, Math.Round(d, 3)); break;
                    case Dictionary<string, long> counters:
                        json.WriteStartObject(entry.Key);
                        foreach (KeyValuePair<string, long> counter in counters)
                        {
                            json.WriteNumber(counter.Key, counter.Value);
                        }

                        json.WriteEndObject();
                        break;
                    default: json.WriteString(entry.Key, Convert.ToString(entry.Value, CultureInfo.InvariantCulture)); break;
                }
            }

            json.WriteEndObject();
        }

        Console.Out.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
        Console.Out.Flush();
    }
}

internal sealed class ContenderSettings
{
    public string Kind { get; private set; } = "client";

    public string Label { get; private set; } = "client";

    public string Phase { get; private set; } = "run";

    public int Port { get; private set; }

    public int Events { get; private set; } = 20_000;

    public int Warmup { get; private set; } = 2_000;

    public int Rate { get; private set; } = 2_000;

    public double Seconds { get; private set; } = 5;

    public int InFlight { get; private set; } = 4;

    public bool Spool { get; private set; }

    public TimeSpan FlushTimeout { get; private set; } = TimeSpan.FromSeconds(120);

    public List<KeyValuePair<string, string>> Options { get; } = [];

    public static ContenderSettings Parse(string[] args)
    {
        var settings = new ContenderSettings();
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : string.Empty;
            switch (args[i])
            {
                case "--kind": settings.Kind = value; i++; break;
                case "--label": settings.Label = value; i++; break;
                case "--phase": settings.Phase = value; i++; break;
                case "--port": settings.Port = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--events": settings.Events = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--warmup": settings.Warmup = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--rate": settings.Rate = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--seconds": settings.Seconds = double.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--inflight": settings.InFlight = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--flush-timeout": settings.FlushTimeout = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)); i++; break;
                case "--spool": settings.Spool = true; break;
                case "--opt":
                    int equals = value.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0)
                    {
                        throw new ArgumentException("--opt takes Name=Value, e.g. --opt PipelineDepth=1");
                    }

                    settings.Options.Add(new(value.Substring(0, equals), value.Substring(equals + 1)));
                    i++;
                    break;
                default: throw new ArgumentException("unknown contender argument " + args[i]);
            }
        }

        return settings;
    }
}

/// <summary>One way of sending the events.</summary>
internal abstract class Contender : IAsyncDisposable
{
    protected Contender(ContenderSettings settings)
    {
        Settings = settings;
        Endpoint = new Uri("http://127.0.0.1:" + settings.Port.ToString(CultureInfo.InvariantCulture) + "/");
    }

    protected ContenderSettings Settings { get; }

    protected Uri Endpoint { get; }

    public static Contender Create(ContenderSettings settings) => settings.Kind switch
    {
        "client" => new ClientContender(settings),
        "handwritten" => new HandwrittenContender(settings),
        "floor" => new FloorContender(settings),
        _ => throw new ArgumentException("unknown contender kind " + settings.Kind),
    };

    /// <summary>Sends events <paramref name="first"/> .. first + count - 1 as fast as the contender goes (the check's fixed events with <paramref name="check"/>).</summary>
    public virtual async Task RunBatchAsync(long first, int count, bool check)
    {
        for (long id = first; id < first + count; id++)
        {
            if (check)
            {
                await SendAsync(BenchData.Event(id, BenchData.CheckTrackedUs + id), BenchData.CheckTimestamp).ConfigureAwait(false);
            }
            else
            {
                await SendAsync(BenchData.Event(id, BenchData.NowUs()), null).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Offers <paramref name="rate"/> events a second for <paramref name="seconds"/> from this thread; returns how many were offered.</summary>
    public async Task<long> RunPacedAsync(int rate, double seconds)
    {
        long total = (long)(rate * seconds);
        long sent = 0;
        long start = Stopwatch.GetTimestamp();
        while (sent < total)
        {
            long due = Math.Min(total, (long)(Stopwatch.GetElapsedTime(start).TotalSeconds * rate));
            while (sent < due)
            {
                await SendAsync(BenchData.Event(sent, BenchData.NowUs()), null).ConfigureAwait(false);
                sent++;
            }

            if (sent < total)
            {
                Thread.Sleep(1);
            }
        }

        return sent;
    }

    protected virtual ValueTask SendAsync(BenchEvent @event, DateTimeOffset? timestamp) => throw new NotSupportedException();

    /// <summary>Waits until everything sent so far was answered (or <paramref name="timeout"/> passed: false).</summary>
    public abstract Task<bool> FinishAsync(TimeSpan timeout);

    /// <summary>The timed section starts: counters read from here on are deltas.</summary>
    public virtual void MarkStart()
    {
    }

    /// <summary>After the timed section: shut down (the client's DisposeAsync, whose drops are counted).</summary>
    public virtual Task StopAsync() => Task.CompletedTask;

    public virtual void Describe(Dictionary<string, object?> result)
    {
    }

    public virtual ValueTask DisposeAsync() => default;
}

/// <summary><c>KissmetricsClient</c>: Track in a loop, then FlushAsync. Options from <c>--opt Name=Value</c>.</summary>
internal sealed class ClientContender : Contender
{
    private readonly KissmetricsClient _client;
    private readonly string? _spool;
    private KissmetricsClientStatistics _before;
    private bool _stopped;

    public ClientContender(ContenderSettings settings)
        : base(settings)
    {
        var options = new KissmetricsOptions { ApiKey = BenchData.ApiKey, Endpoint = Endpoint };
        foreach (KeyValuePair<string, string> option in settings.Options)
        {
            Apply(options, option.Key, option.Value);
        }

        if (settings.Spool)
        {
            _spool = Directory.CreateTempSubdirectory("kissmetrics-e2e-spool-").FullName;
            options.SpoolDirectory = _spool;
        }

        _client = new KissmetricsClient(options);
    }

    public static void Apply(KissmetricsOptions options, string name, string value)
    {
        PropertyInfo property = typeof(KissmetricsOptions).GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)
            ?? throw new ArgumentException("KissmetricsOptions has no option " + name);
        Type type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        object parsed = type switch
        {
            _ when type.IsEnum => Enum.Parse(type, value, ignoreCase: true),
            _ when type == typeof(TimeSpan) => ParseDuration(value),
            _ when type == typeof(string) => value,
            _ when type == typeof(Uri) => new Uri(value),
            _ => Convert.ChangeType(value, type, CultureInfo.InvariantCulture),
        };
        property.SetValue(options, parsed);
    }

    /// <summary><c>250ms</c>, <c>10s</c>, <c>5m</c>, or a <see cref="TimeSpan"/> (<c>00:00:10</c>).</summary>
    private static TimeSpan ParseDuration(string value) =>
        value.EndsWith("ms", StringComparison.Ordinal) ? TimeSpan.FromMilliseconds(double.Parse(value[..^2], CultureInfo.InvariantCulture)) :
        value.EndsWith('s') ? TimeSpan.FromSeconds(double.Parse(value[..^1], CultureInfo.InvariantCulture)) :
        value.EndsWith('m') ? TimeSpan.FromMinutes(double.Parse(value[..^1], CultureInfo.InvariantCulture)) :
        TimeSpan.Parse(value, CultureInfo.InvariantCulture);

    protected override ValueTask SendAsync(BenchEvent @event, DateTimeOffset? timestamp)
    {
        _client.Track(BenchData.Person, @event, timestamp);
        return default;
    }

    public override async Task<bool> FinishAsync(TimeSpan timeout)
    {
        try
        {
            await _client.FlushAsync().WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public override void MarkStart() => _before = _client.Statistics;

    public override async Task StopAsync()
    {
        await _client.DisposeAsync().ConfigureAwait(false);
        _stopped = true;
    }

    public override void Describe(Dictionary<string, object?> result)
    {
        KissmetricsClientStatistics after = _client.Statistics;
        result["stats"] = new Dictionary<string, long>
        {
            ["accepted"] = after.Accepted - _before.Accepted,
            ["delivered"] = after.Delivered - _before.Delivered,
            ["retried"] = after.Retried - _before.Retried,
            ["rejected"] = after.Rejected - _before.Rejected,
            ["gaveUp"] = after.GaveUp - _before.GaveUp,
            ["droppedQueueFull"] = after.DroppedQueueFull - _before.DroppedQueueFull,
            ["droppedAtShutdown"] = after.DroppedAtShutdown - _before.DroppedAtShutdown,
            ["droppedAfterDispose"] = after.DroppedAfterDispose - _before.DroppedAfterDispose,
            ["keptInSpool"] = after.KeptInSpool - _before.KeptInSpool,
            ["spooledOverflow"] = after.SpooledOverflow - _before.SpooledOverflow,
            ["spoolWriteFailures"] = after.SpoolWriteFailures - _before.SpoolWriteFailures,
            ["dropped"] = after.Dropped - _before.Dropped,
            ["queued"] = after.Queued,
        };
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await _client.DisposeAsync().ConfigureAwait(false);
        }

        if (_spool is not null)
        {
            Directory.Delete(_spool, recursive: true);
        }
    }
}

/// <summary>
/// What users write today: a <c>Dictionary&lt;string, object&gt;</c> flattened by hand, every name and value through
/// <see cref="Uri.EscapeDataString(string)"/>, the URL concatenated, <see cref="HttpClient.GetAsync(string)"/> on one
/// shared <see cref="HttpClient"/> (<see cref="SocketsHttpHandler"/>), at most 4 at a time by a <see cref="SemaphoreSlim"/>.
/// </summary>
internal sealed class HandwrittenContender : Contender
{
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _gate;
    private readonly string _baseUrl;
    private long _failures;
    private long _outstanding;

    public HandwrittenContender(ContenderSettings settings)
        : base(settings)
    {
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), UseProxy = false });
        _gate = new SemaphoreSlim(settings.InFlight);
        _baseUrl = Endpoint.GetLeftPart(UriPartial.Authority);
    }

    protected override async ValueTask SendAsync(BenchEvent @event, DateTimeOffset? timestamp)
    {
        string url = _baseUrl + Query(@event, timestamp ?? DateTimeOffset.UtcNow);
        Interlocked.Increment(ref _outstanding);
        if (Settings.Phase == "paced")
        {
            // As from a web app's request handlers: the caller does not wait, the request waits for a slot.
            _ = SendOneAsync(url, waitForSlot: true);
            return;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        _ = SendOneAsync(url, waitForSlot: false);
    }

    private async Task SendOneAsync(string url, bool waitForSlot)
    {
        if (waitForSlot)
        {
            await _gate.WaitAsync().ConfigureAwait(false);
        }

        try
        {
            using HttpResponseMessage response = await _http.GetAsync(url).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _failures);
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or ObjectDisposedException)
        {
            Interlocked.Increment(ref _failures);
        }
        finally
        {
            Interlocked.Decrement(ref _outstanding);
            _gate.Release();
        }
    }

    /// <summary>The request, as a careful hand-written version builds it (the same bytes as the generated serializer).</summary>
    public static string Query(BenchEvent e, DateTimeOffset timestamp)
    {
        var properties = new Dictionary<string, object>();
        if (e.Plan is not null)
        {
            properties["Plan"] = e.Plan;
        }

        properties["Revenue"] = e.Revenue;
        if (e.Revenue != 0)
        {
            properties["Billing Amount"] = e.Revenue;
        }

        if (e.BillingAddress is { } address)
        {
            if (address.City is not null)
            {
                properties["Billing Address.City"] = address.City;
            }

            if (address.Country is not null)
            {
                properties["Billing Address.Country"] = address.Country;
            }

            if (address.PostalCode is not null)
            {
                properties["Billing Address.Postal Code"] = address.PostalCode;
            }
        }

        if (e.Features is not null)
        {
            properties["Features"] = string.Join(",", e.Features);
        }

        properties["Seats"] = e.Seats;
        if (e.Coupon is not null)
        {
            properties["Coupon"] = e.Coupon;
        }

        properties["Discount"] = e.Discount;
        properties["Auto Renew"] = e.AutoRenew;
        if (e.Currency is not null)
        {
            properties["Currency"] = e.Currency;
        }

        properties["event_id"] = e.EventId;
        properties["tracked_us"] = e.TrackedUs;

        var url = new StringBuilder("/e?_k=");
        url.Append(Uri.EscapeDataString(BenchData.ApiKey));
        url.Append("&_p=").Append(Uri.EscapeDataString(BenchData.Person));
        url.Append("&_n=").Append(Uri.EscapeDataString(BenchEvent.Name));
        url.Append("&_t=").Append(timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        url.Append("&_d=1");
        foreach (KeyValuePair<string, object> property in properties)
        {
            string name = property.Key == "Billing Amount" ? property.Key : BenchEvent.Name + " - " + property.Key;
            string value = property.Value switch
            {
                bool b => b ? "true" : "false",
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => property.Value.ToString()!,
            };
            url.Append('&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return url.ToString();
    }

    public override async Task<bool> FinishAsync(TimeSpan timeout)
    {
        if (Settings.Phase == "paced")
        {
            long until = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
            while (Interlocked.Read(ref _outstanding) > 0)
            {
                if (Stopwatch.GetTimestamp() > until)
                {
                    return false;
                }

                await Task.Delay(10).ConfigureAwait(false);
            }

            return true;
        }

        // Everything sent was answered when all the gate's slots are free.
        int taken = 0;
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            for (; taken < Settings.InFlight; taken++)
            {
                await _gate.WaitAsync(deadline.Token).ConfigureAwait(false);
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            if (taken > 0)
            {
                _gate.Release(taken);
            }
        }
    }

    public override void Describe(Dictionary<string, object?> result)
    {
        result["failures"] = Interlocked.Read(ref _failures);
        result["pending"] = Interlocked.Read(ref _outstanding); // not answered by the flush deadline
    }

    public override ValueTask DisposeAsync()
    {
        _http.Dispose();
        _gate.Dispose();
        return default;
    }
}

/// <summary>
/// The floor: the request bytes built once (<see cref="KissmetricsFormatter.WriteTrack{TEvent}(IBufferWriter{byte}, KissmetricsOptions, string, TEvent, DateTimeOffset?)"/>)
/// with only the event's id and time written in per event, sent with blocking <see cref="Socket.Send(byte[], int, int, SocketFlags)"/>
/// and <see cref="Socket.Receive(byte[])"/> on 4 keep-alive sockets, one thread each, one request at a time each.
/// </summary>
internal sealed class FloorContender : Contender
{
    private readonly byte[] _tail;

    public FloorContender(ContenderSettings settings)
        : base(settings)
    {
        _tail = Encoding.ASCII.GetBytes(" HTTP/1.1\r\nHost: " + Endpoint.Authority + "\r\n\r\n");
    }

    /// <summary>The request line's bytes before the id, between the id and the time, and after the time.</summary>
    private static (byte[] Head, byte[] Middle) Template(DateTimeOffset timestamp)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        KissmetricsFormatter.WriteTrack(buffer, new KissmetricsOptions { ApiKey = BenchData.ApiKey }, BenchData.Person, BenchData.Event(0, 0), timestamp);
        string line = Encoding.ASCII.GetString(buffer.WrittenSpan).TrimEnd('\n');
        const string IdMarker = "event_id=0";
        const string UsMarker = "tracked_us=0";
        int id = line.IndexOf(IdMarker, StringComparison.Ordinal);
        int us = line.IndexOf(UsMarker, StringComparison.Ordinal);
        if (id < 0 || us < id || us + UsMarker.Length != line.Length)
        {
            throw new InvalidOperationException("the floor expects event_id and tracked_us to be the request's last parameters: " + line);
        }

        return (Encoding.ASCII.GetBytes("GET " + line.Substring(0, id + IdMarker.Length - 1)),
                Encoding.ASCII.GetBytes(line.Substring(id + IdMarker.Length, us + UsMarker.Length - 1 - (id + IdMarker.Length))));
    }

    public override Task RunBatchAsync(long first, int count, bool check)
    {
        (byte[] head, byte[] middle) = Template(check ? BenchData.CheckTimestamp : DateTimeOffset.UtcNow);
        long next = first - 1;
        long end = first + count;
        int threads = check ? 1 : Settings.InFlight;
        var workers = new Thread[threads];
        Exception? failure = null;
        for (int w = 0; w < threads; w++)
        {
            workers[w] = new Thread(() =>
            {
                try
                {
                    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    socket.Connect(new IPEndPoint(IPAddress.Loopback, Settings.Port));
                    byte[] request = new byte[head.Length + 20 + middle.Length + 20 + _tail.Length];
                    head.CopyTo(request, 0);
                    byte[] response = new byte[4096];
                    long id;
                    while ((id = Interlocked.Increment(ref next)) < end)
                    {
                        int at = head.Length;
                        Utf8Formatter.TryFormat(id, request.AsSpan(at), out int written);
                        at += written;
                        middle.CopyTo(request, at);
                        at += middle.Length;
                        Utf8Formatter.TryFormat(check ? BenchData.CheckTrackedUs + id : BenchData.NowUs(), request.AsSpan(at), out written);
                        at += written;
                        _tail.CopyTo(request, at);
                        at += _tail.Length;
                        for (int sent = 0; sent < at;)
                        {
                            sent += socket.Send(request, sent, at - sent, SocketFlags.None);
                        }

                        ReadResponse(socket, response);
                    }
                }
                catch (Exception exception)
                {
                    failure = exception;
                }
            })
            { Name = "floor sender " + w.ToString(CultureInfo.InvariantCulture) };
            workers[w].Start();
        }

        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        return failure is null ? Task.CompletedTask : Task.FromException(failure);
    }

    /// <summary>Reads one response: the headers, then as many body bytes as its Content-Length says.</summary>
    private static void ReadResponse(Socket socket, byte[] buffer)
    {
        int filled = 0;
        while (true)
        {
            int read = socket.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
            if (read == 0)
            {
                throw new IOException("the tracker closed the connection");
            }

            filled += read;
            ReadOnlySpan<byte> data = buffer.AsSpan(0, filled);
            int headerEnd = data.IndexOf("\r\n\r\n"u8);
            if (headerEnd < 0)
            {
                continue;
            }

            if (!data.StartsWith("HTTP/1.1 200"u8))
            {
                throw new IOException("the tracker did not answer 200");
            }

            int length = data.Slice(0, headerEnd).IndexOf("Content-Length: "u8);
            int body = 0;
            if (length >= 0)
            {
                Utf8Parser.TryParse(data.Slice(length + 16), out body, out _);
            }

            if (filled >= headerEnd + 4 + body)
            {
                return; // one request at a time: nothing follows the body
            }
        }
    }

    public override Task<bool> FinishAsync(TimeSpan timeout) => Task.FromResult(true);
}
