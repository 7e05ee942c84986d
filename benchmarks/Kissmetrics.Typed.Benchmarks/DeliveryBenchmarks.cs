using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Kissmetrics.Typed.Delivery;
using Kissmetrics.Typed.Delivery.Transport;

namespace Kissmetrics.Typed.Benchmarks;

// Issue 5's delivery benchmarks (owner: the delivery engine). Run:
//   dotnet run -c Release --project benchmarks/Kissmetrics.Typed.Benchmarks -- --filter '*Delivery*'

/// <summary>
/// What a <c>Track</c> call costs with the queue kept drained: serialize, copy into a pooled buffer, enqueue (and with a
/// spool, append a line to a file). The senders stand in for HTTP with an instant answer, so they run on the other core
/// while the calls are timed (on a 2-core machine their work and wake-ups show in the caller's time); against
/// <c>WriteTrack</c> into a reused buffer, the serialization alone.
/// </summary>
[MemoryDiagnoser]
public class DeliveryTrackCallerBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(8192);
    private KissmetricsClient _client = null!;
    private KissmetricsClient _spooling = null!;
    private string _spool = null!;

    [GlobalSetup]
    public void Setup()
    {
        _spool = Path.Combine(Path.GetTempPath(), "kissmetrics-bench-spool-" + Guid.NewGuid().ToString("N"));
        _client = Create(null);
        _spooling = Create(_spool);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _spooling.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_spool, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "WriteTrack (serialization alone)")]
    public int WriteTrack()
    {
        _buffer.ResetWrittenCount();
        KissmetricsFormatter.WriteTrack(_buffer, Samples.Options, Samples.Person, Samples.SignedUp, Samples.Timestamp);
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "client.Track")]
    public void Track() => _client.Track(Samples.Person, Samples.SignedUp, Samples.Timestamp);

    [Benchmark(Description = "client.Track, with a spool")]
    public void TrackSpooled() => _spooling.Track(Samples.Person, Samples.SignedUp, Samples.Timestamp);

    private static KissmetricsClient Create(string? spool) => new(
        new KissmetricsOptions
        {
            ApiKey = Samples.ApiKey,
            Endpoint = new Uri("http://127.0.0.1:9/"),
            QueueFullMode = KissmetricsQueueFullMode.Wait, // never a cheap drop: a slow sender would show as time
            QueueFullWaitTimeout = TimeSpan.FromMinutes(1),
            SpoolDirectory = spool,
            SpoolMaxBytes = 1L << 30,
        },
        httpClient: null,
        ownsHttp: true,
        TimeProvider.System,
        loggerFactory: null,
        meterFactory: null,
        new InstantTransport());

    /// <summary>Answers every attempt with 200 from a thread of its own (a transport never completes inside Send), allocating nothing per request.</summary>
    private sealed class InstantTransport : IAttemptTransport
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<(OutgoingRequest Request, IAttemptSink Sink)> _pending = new();
        private readonly SemaphoreSlim _signal = new(0);
        private readonly Thread _completer;
        private volatile bool _stopped;

        public InstantTransport()
        {
            _completer = new Thread(Complete) { IsBackground = true, Name = "instant transport" };
            _completer.Start();
        }

        public string Name => "instant";


        public int Capacity => int.MaxValue;

        public void Send(in OutgoingRequest request, IAttemptSink sink)
        {
            _pending.Enqueue((request, sink));
            _signal.Release();
        }

        public ValueTask DisposeAsync()
        {
            _stopped = true;
            _signal.Release();
            _completer.Join();
            return default;
        }

        private void Complete()
        {
            while (true)
            {
                _signal.Wait();
                while (_pending.TryDequeue(out var item))
                {
                    item.Sink.AttemptCompleted(item.Request, _stopped ? AttemptResult.Failed(AttemptFailure.Stopped) : AttemptResult.Answered(200));
                }

                if (_stopped)
                {
                    return;
                }
            }
        }
    }
}

/// <summary>
/// The caller's share alone: the senders are held (as when they are busy sending), so no sender runs on the other core
/// while the calls are timed; each iteration makes 50,000 calls into the queue, then (untimed) the senders are let go
/// and the queue drained. Baseline: <c>WriteTrack</c> into a reused buffer, 50,000 times.
/// </summary>
[MemoryDiagnoser]
public class DeliveryTrackHeldSenderBenchmarks
{
    private const int Calls = 50_000;
    private readonly ArrayBufferWriter<byte> _buffer = new(8192);
    private readonly HeldTransport _transport = new();
    private KissmetricsClient _client = null!;
    private KissmetricsClient _spooling = null!;
    private string _spool = null!;

    [GlobalSetup]
    public void Setup()
    {
        _spool = Path.Combine(Path.GetTempPath(), "kissmetrics-bench-spool-" + Guid.NewGuid().ToString("N"));
        _client = Create(null);
        _spooling = Create(_spool);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _transport.Release();
        _client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _spooling.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_spool, recursive: true);
    }

    [IterationSetup]
    public void Hold() => _transport.Hold();

    [IterationCleanup]
    public void Drain()
    {
        _transport.Release();
        _client.FlushAsync().GetAwaiter().GetResult();
        _spooling.FlushAsync().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls, Description = "WriteTrack (serialization alone)")]
    public int WriteTrack()
    {
        int written = 0;
        for (int i = 0; i < Calls; i++)
        {
            _buffer.ResetWrittenCount();
            KissmetricsFormatter.WriteTrack(_buffer, Samples.Options, Samples.Person, Samples.SignedUp, Samples.Timestamp);
            written += _buffer.WrittenCount;
        }

        return written;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "client.Track, senders held")]
    public void Track()
    {
        for (int i = 0; i < Calls; i++)
        {
            _client.Track(Samples.Person, Samples.SignedUp, Samples.Timestamp);
        }
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "client.Track, senders held, with a spool")]
    public void TrackSpooled()
    {
        for (int i = 0; i < Calls; i++)
        {
            _spooling.Track(Samples.Person, Samples.SignedUp, Samples.Timestamp);
        }
    }

    private KissmetricsClient Create(string? spool) => new(
        new KissmetricsOptions
        {
            ApiKey = Samples.ApiKey,
            Endpoint = new Uri("http://127.0.0.1:9/"),
            MaxQueueLength = Calls + 1_000,
            SpoolDirectory = spool,
            SpoolMaxBytes = 1L << 30,
        },
        httpClient: null,
        ownsHttp: true,
        TimeProvider.System,
        loggerFactory: null,
        meterFactory: null,
        _transport);

    /// <summary>Holds every attempt until <see cref="Release"/>, then answers 200 (from the thread pool, never inside Send).</summary>
    private sealed class HeldTransport : IAttemptTransport
    {
        private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "held";


        public int Capacity => int.MaxValue;

        public void Hold() => Volatile.Write(ref _gate, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

        public void Release() => Volatile.Read(ref _gate).TrySetResult();

        public void Send(in OutgoingRequest request, IAttemptSink sink)
        {
            OutgoingRequest copy = request;
            Volatile.Read(ref _gate).Task.ContinueWith(_ => sink.AttemptCompleted(copy, AttemptResult.Answered(200)), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }

        public ValueTask DisposeAsync()
        {
            Release();
            return default;
        }
    }
}

/// <summary>
/// Delivery throughput to a loopback tracker: the client (Track then FlushAsync) against a bare <see cref="HttpClient"/>
/// loop sending the same pre-built requests with the same concurrency over the same kind of handler. The tracker is a
/// minimal keep-alive HTTP/1.1 responder, so the client's own overhead is what differs. Times are per request.
/// </summary>
[MemoryDiagnoser]
public class DeliveryThroughputBenchmarks
{
    private const int Requests = 2_000;

    private MinimalTracker _tracker = null!;
    private HttpClient _bare = null!;
    private KissmetricsClient _client = null!;
    private Uri[] _prebuilt = [];
    private SignedUp[] _events = [];

    [Params(4)]
    public int Concurrency { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _tracker = MinimalTracker.Start();
        var options = new KissmetricsOptions
        {
            ApiKey = Samples.ApiKey,
            Endpoint = _tracker.Endpoint,
            MaxConcurrency = Concurrency,
            QueueFullMode = KissmetricsQueueFullMode.Wait,
            QueueFullWaitTimeout = TimeSpan.FromMinutes(1),
        };
        _client = new KissmetricsClient(options);
        _bare = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(5), UseProxy = false });
        _events = Enumerable.Range(0, Requests).Select(i => Samples.SignedUp with { Seats = i }).ToArray();
        string authority = _tracker.Endpoint.GetLeftPart(UriPartial.Authority);
        _prebuilt = _events
            .Select(e => new Uri(authority + KissmetricsFormatter.FormatTrack(Samples.Options, Samples.Person, e, Samples.Timestamp).Single(), new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }))
            .ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _bare.Dispose();
        _tracker.Dispose();
        KissmetricsClientStatistics statistics = _client.Statistics;
        Console.WriteLine($"// tracker served {_tracker.Served} requests; client delivered {statistics.Delivered}, dropped {statistics.Dropped}, retried {statistics.Retried}");
        if (statistics.Dropped != 0 || statistics.Retried != 0)
        {
            throw new InvalidOperationException("the client did not deliver every request at the first attempt: the comparison would be void");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Requests, Description = "bare HttpClient loop")]
    public async Task BareHttpClient()
    {
        int next = -1;
        var workers = new Task[Concurrency];
        for (int w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < Requests)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, _prebuilt[i]);
                    using HttpResponseMessage response = await _bare.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new InvalidOperationException("the tracker failed");
                    }
                }
            });
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    [Benchmark(OperationsPerInvoke = Requests, Description = "KissmetricsClient: Track + FlushAsync")]
    public async Task Client()
    {
        for (int i = 0; i < _events.Length; i++)
        {
            _client.Track(Samples.Person, _events[i], Samples.Timestamp);
        }

        await _client.FlushAsync().ConfigureAwait(false);
    }
}

/// <summary>A minimal keep-alive HTTP/1.1 responder on 127.0.0.1: answers every request with an empty 200.</summary>
internal sealed class MinimalTracker : IDisposable
{
    private static readonly byte[] s_ok = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private long _served;

    private MinimalTracker(TcpListener listener) => _listener = listener;

    public long Served => Interlocked.Read(ref _served);

    public Uri Endpoint => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    public static MinimalTracker Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(512);
        var tracker = new MinimalTracker(listener);
        _ = Task.Run(tracker.AcceptLoopAsync);
        return tracker;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            socket.NoDelay = true;
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        byte[] buffer = new byte[64 * 1024];
        int filled = 0;
        try
        {
            while (true)
            {
                int read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                filled += read;
                int start = 0;
                while (true)
                {
                    int end = buffer.AsSpan(start, filled - start).IndexOf("\r\n\r\n"u8);
                    if (end < 0)
                    {
                        break;
                    }

                    int length = end + 4 + ContentLength(buffer.AsSpan(start, end));
                    if (start + length > filled)
                    {
                        break;
                    }

                    start += length;
                    Interlocked.Increment(ref _served);
                    await socket.SendAsync(s_ok, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                }

                Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
                filled -= start;
            }
        }
        catch (Exception)
        {
            // The client closed the connection, or the tracker is stopping.
        }
        finally
        {
            socket.Dispose();
        }
    }

    private static int ContentLength(ReadOnlySpan<byte> headers)
    {
        string text = Encoding.ASCII.GetString(headers);
        foreach (string line in text.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line.AsSpan(15).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
