using System;
using System.Buffers;
using System.Diagnostics.Metrics;
using System.Net.Http;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Kissmetrics.Typed.Delivery;
using Kissmetrics.Typed.Serialization;
using Microsoft.Extensions.Logging;

namespace Kissmetrics.Typed;

/// <summary>
/// Delivers typed analytics to the Kissmetrics tracking API. Calls serialize on the caller's thread into pooled
/// buffers and queue the requests (a bounded queue: see <see cref="KissmetricsOptions.QueueFullMode"/>); background
/// senders deliver them with retries, <see cref="KissmetricsOptions.MaxConcurrency"/> at a time. Dispose it (or call
/// <see cref="FlushAsync"/>) before the process exits so nothing queued is lost. The guarantees are in <c>docs/delivery.md</c>.
/// </summary>
/// <example>
/// <code>
/// await using var client = new KissmetricsClient(new KissmetricsOptions { ApiKey = "..." });
/// client.Track("bob", new SignedUp("Pro"));
/// </code>
/// </example>
public sealed class KissmetricsClient : IKissmetricsClient, IDisposable
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_scratch;

    private readonly KissmetricsOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly HttpClient? _http;
    private readonly bool _ownsHttp;
    private readonly IRequestTransport _transport;
    private readonly DeliveryTelemetry _telemetry;
    private readonly RequestBufferPool _pool;
    private readonly Spool? _spool;
    private readonly Channel<OutgoingRequest> _queue;
    private readonly KissmetricsQueueFullMode _fullMode;
    private readonly Task[] _senders;
    private readonly Task _replay;
    private readonly object _flushGate = new();
    private readonly object _spaceGate = new();
    private readonly CancellationTokenSource _stopping = new();
    private DeliveryEpoch _epoch = new(prior: null);
    private Task? _disposing;
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly ITimer _wakeTimer;
    private readonly TimeSpan _sendDelay;
    private readonly int _wakeThreshold;
    private int _producersWaiting;
    private int _disposed;
    private int _queued;
    private int _idleSenders;
    private int _wakeArmed;

    /// <summary>Creates a client with its own long-lived <see cref="HttpClient"/> (a <see cref="SocketsHttpHandler"/> with pooled connection lifetime).</summary>
    /// <param name="options">The API key, endpoint and settings; validated here.</param>
    /// <exception cref="KissmetricsConfigurationException">The options cannot work (for example, no API key).</exception>
    public KissmetricsClient(KissmetricsOptions options)
        : this(options, httpClient: null, ownsHttp: true, TimeProvider.System, loggerFactory: null, meterFactory: null)
    {
    }

    /// <summary>Creates a client that sends with <paramref name="httpClient"/> (which it does not dispose).</summary>
    /// <param name="options">The API key, endpoint and settings; validated here.</param>
    /// <param name="httpClient">The HTTP client to send with, for example one from <c>IHttpClientFactory</c>.</param>
    /// <exception cref="KissmetricsConfigurationException">The options cannot work (for example, no API key).</exception>
    public KissmetricsClient(KissmetricsOptions options, HttpClient httpClient)
        : this(options, httpClient ?? throw new ArgumentNullException(nameof(httpClient)), ownsHttp: false, TimeProvider.System, loggerFactory: null, meterFactory: null)
    {
    }

    /// <summary>Creates a client with an explicit clock (for tests and for hosts that fake time).</summary>
    /// <param name="options">The API key, endpoint and settings; validated here.</param>
    /// <param name="httpClient">The HTTP client to send with (not disposed by the client).</param>
    /// <param name="timeProvider">The clock for <c>_t</c>, timeouts, retry delays and the spool's ages.</param>
    public KissmetricsClient(KissmetricsOptions options, HttpClient httpClient, TimeProvider timeProvider)
        : this(options, httpClient ?? throw new ArgumentNullException(nameof(httpClient)), ownsHttp: false, timeProvider, loggerFactory: null, meterFactory: null)
    {
    }

    /// <summary>Creates a client with logging and metrics, outside dependency injection.</summary>
    /// <param name="options">The API key, endpoint and settings; validated here.</param>
    /// <param name="httpClient">The HTTP client to send with (not disposed by the client); <see langword="null"/> for one of its own.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where the client logs (never the API key or a payload); <see langword="null"/> for nowhere.</param>
    /// <param name="meterFactory">Creates the <c>Kissmetrics.Typed</c> meter; <see langword="null"/> for a meter of the client's own.</param>
    public KissmetricsClient(KissmetricsOptions options, HttpClient? httpClient, TimeProvider? timeProvider, ILoggerFactory? loggerFactory, IMeterFactory? meterFactory = null)
        : this(options, httpClient, ownsHttp: httpClient is null, timeProvider ?? TimeProvider.System, loggerFactory, meterFactory)
    {
    }

    internal KissmetricsClient(
        KissmetricsOptions options,
        HttpClient? httpClient,
        bool ownsHttp,
        TimeProvider timeProvider,
        ILoggerFactory? loggerFactory,
        IMeterFactory? meterFactory,
        IRequestTransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate(); // before anything that needs disposing is created
        _options = options;
        _timeProvider = timeProvider;
        _fullMode = options.QueueFullMode;
        _queue = Channel.CreateBounded<OutgoingRequest>(new BoundedChannelOptions(options.MaxQueueLength)
        {
            SingleReader = false,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait, // the full policy is applied by Enqueue, so every drop is counted
        });
        _telemetry = new DeliveryTelemetry(options, timeProvider, loggerFactory?.CreateLogger<KissmetricsClient>(), meterFactory, () => _queue.Reader.Count);
        _pool = new RequestBufferPool(retain: options.MaxQueueLength + options.MaxConcurrency);
        try
        {
            _spool = options.SpoolDirectory is null ? null : Spool.Open(options, timeProvider, _telemetry);
        }
        catch
        {
            _telemetry.Dispose();
            throw;
        }

        if (transport is null)
        {
            _http = httpClient ?? new HttpClient(CreateHandler(options)) { Timeout = Timeout.InfiniteTimeSpan };
            _ownsHttp = httpClient is null || ownsHttp;
            transport = new HttpSender(_http, options, timeProvider, _telemetry);
        }

        _transport = transport;
        _sendDelay = options.SendDelay;
        _wakeThreshold = options.SendDelay <= TimeSpan.Zero ? 1 : Math.Min(options.MaxQueueLength, Math.Max(64, 16 * options.MaxConcurrency));
        _wakeTimer = timeProvider.CreateTimer(static state => ((KissmetricsClient)state!).WakeSenders(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        KissmetricsLog.Started(_telemetry.Logger, options.Endpoint.Host, options.MaxQueueLength, options.QueueFullMode, options.MaxConcurrency, _spool?.Directory ?? "off");
        _replay = _spool is { ReplaySegments.Count: > 0 } ? Task.Run(ReplayAsync) : Task.CompletedTask;
        _senders = new Task[options.MaxConcurrency];
        for (int i = 0; i < _senders.Length; i++)
        {
            _senders[i] = Task.Run(SendLoopAsync);
        }
    }

    /// <summary>What the client has done so far: a snapshot of its counters. Nothing it was given is lost without being counted here.</summary>
    public KissmetricsClientStatistics Statistics => _telemetry.Snapshot(_queue.Reader.Count);

    /// <inheritdoc />
    public void Track<TEvent>(string person, TEvent @event, DateTimeOffset? timestamp = null)
        where TEvent : IKissmetricsEvent
    {
        if (_options.Validation != KissmetricsValidationMode.Off && !KissmetricsValidation.Check(@event, _options, _telemetry))
        {
            return;
        }

        var writer = BeginCall(out ArrayBufferWriter<byte> scratch);
        KissmetricsFormatter.WriteTrack(ref writer, _options, person, @event, Now(timestamp));
        EndCall(ref writer, scratch);
    }

    /// <inheritdoc />
    public void Identify<TTraits>(string person, TTraits traits, string? anonymousId = null, DateTimeOffset? timestamp = null)
        where TTraits : IKissmetricsTraits
    {
        if (_options.Validation != KissmetricsValidationMode.Off && !KissmetricsValidation.CheckTraits(traits, _options, _telemetry))
        {
            return;
        }

        var writer = BeginCall(out ArrayBufferWriter<byte> scratch);
        KissmetricsFormatter.WriteIdentify(ref writer, _options, person, traits, anonymousId, Now(timestamp));
        EndCall(ref writer, scratch);
    }

    /// <inheritdoc />
    public void Group<TTraits>(string person, string groupId, TTraits traits, DateTimeOffset? timestamp = null)
        where TTraits : IKissmetricsGroupTraits
    {
        if (_options.Validation != KissmetricsValidationMode.Off && !KissmetricsValidation.CheckGroupTraits(traits, _options, _telemetry))
        {
            return;
        }

        var writer = BeginCall(out ArrayBufferWriter<byte> scratch);
        KissmetricsFormatter.WriteGroup(ref writer, _options, person, groupId, traits, Now(timestamp));
        EndCall(ref writer, scratch);
    }

    /// <inheritdoc />
    public void Page<TPage>(string person, TPage page, DateTimeOffset? timestamp = null)
        where TPage : IKissmetricsPage
    {
        if (_options.Validation != KissmetricsValidationMode.Off && !KissmetricsValidation.CheckView(page, _options, _telemetry))
        {
            return;
        }

        var writer = BeginCall(out ArrayBufferWriter<byte> scratch);
        KissmetricsFormatter.WriteView(ref writer, _options, person, page, Now(timestamp));
        EndCall(ref writer, scratch);
    }

    /// <inheritdoc />
    public void Screen<TScreen>(string person, TScreen screen, DateTimeOffset? timestamp = null)
        where TScreen : IKissmetricsScreen
    {
        if (_options.Validation != KissmetricsValidationMode.Off && !KissmetricsValidation.CheckView(screen, _options, _telemetry))
        {
            return;
        }

        var writer = BeginCall(out ArrayBufferWriter<byte> scratch);
        KissmetricsFormatter.WriteView(ref writer, _options, person, screen, Now(timestamp));
        EndCall(ref writer, scratch);
    }

    /// <inheritdoc />
    public void Alias(string previousId, string newId)
    {
        var writer = BeginCall(out ArrayBufferWriter<byte> scratch);
        KissmetricsFormatter.WriteAlias(ref writer, _options, previousId, newId);
        EndCall(ref writer, scratch);
    }

    /// <inheritdoc />
    /// <remarks>Requests replayed from the spool of an earlier run count as accepted before any flush.</remarks>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        WakeSenders(); // no waiting for the send delay
        if (!_replay.IsCompleted)
        {
            return FlushAfterReplayAsync(cancellationToken);
        }

        Task drained = CloseEpoch();
        return drained.IsCompleted ? drained : drained.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Sends what is queued (waiting at most <see cref="KissmetricsOptions.ShutdownTimeout"/>), then stops. What is still
    /// unsent then is dropped and counted, or with a spool kept there for the next start. Calling it twice is harmless.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        lock (_flushGate)
        {
            if (_disposing is null)
            {
                Volatile.Write(ref _disposed, 1);
                _disposing = DisposeCoreAsync();
            }

            return new ValueTask(_disposing);
        }
    }

    /// <summary>Blocks while <see cref="DisposeAsync"/> runs (for containers and callers that dispose synchronously); prefer <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>The handler of the client's own <see cref="HttpClient"/>: pooled connections recycled every 5 minutes (DNS changes are seen), one per concurrent request.</summary>
    internal static SocketsHttpHandler CreateHandler(KissmetricsOptions options) => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        MaxConnectionsPerServer = options.MaxConcurrency,
        ConnectTimeout = options.RequestTimeout,
    };

    private static KissmetricsWriter BeginCall(out ArrayBufferWriter<byte> scratch)
    {
        scratch = t_scratch ??= new ArrayBufferWriter<byte>(1024);
        scratch.ResetWrittenCount();
        return new KissmetricsWriter(scratch);
    }

    private void EndCall(ref KissmetricsWriter writer, ArrayBufferWriter<byte> scratch)
    {
        writer.Flush();
        ReadOnlySpan<byte> written = scratch.WrittenSpan;
        while (!written.IsEmpty)
        {
            int end = written.IndexOf((byte)'\n');
            Enqueue(written.Slice(0, end));
            written = written.Slice(end + 1);
        }
    }

    private long Now(DateTimeOffset? timestamp) => UnixTime.Seconds(timestamp ?? _timeProvider.GetUtcNow());

    private void Enqueue(ReadOnlySpan<byte> line)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            _telemetry.AfterDispose();
            return;
        }

        if (_spool is not null && _fullMode == KissmetricsQueueFullMode.DropNewest && _queue.Reader.Count >= _options.MaxQueueLength)
        {
            _telemetry.QueueFull(); // refused before it costs a spool write
            return;
        }

        byte[] buffer = _pool.Rent(line.Length);
        line.CopyTo(buffer);
        SpoolSegment? segment = _spool?.Append(line); // durable before the call returns
        var request = new OutgoingRequest(buffer, line.Length, EnterEpoch(), segment);
        if (_queue.Writer.TryWrite(request))
        {
            Accepted();
            return;
        }

        EnqueueWhenFull(request);
    }

    private void EnqueueWhenFull(OutgoingRequest request)
    {
        switch (_fullMode)
        {
            case KissmetricsQueueFullMode.DropOldest:
                while (Volatile.Read(ref _disposed) == 0)
                {
                    if (_queue.Reader.TryRead(out OutgoingRequest oldest))
                    {
                        Interlocked.Decrement(ref _queued);
                        Release(oldest, complete: true);
                        _telemetry.QueueFull();
                    }

                    if (_queue.Writer.TryWrite(request))
                    {
                        Accepted();
                        return;
                    }
                }

                break;

            case KissmetricsQueueFullMode.Wait:
                if (WaitForRoom(request))
                {
                    Accepted();
                    return;
                }

                break;
        }

        Release(request, complete: true);
        if (Volatile.Read(ref _disposed) != 0)
        {
            _telemetry.AfterDispose(); // raced DisposeAsync: not a full queue
        }
        else
        {
            _telemetry.QueueFull();
        }
    }

    /// <summary>Blocks (a monitor wait: no thread-pool thread is parked on a task) until the request fits, the timeout passes or the client is disposed.</summary>
    private bool WaitForRoom(OutgoingRequest request)
    {
        long start = _timeProvider.GetTimestamp();
        lock (_spaceGate)
        {
            Interlocked.Increment(ref _producersWaiting);
            try
            {
                while (Volatile.Read(ref _disposed) == 0)
                {
                    if (_queue.Writer.TryWrite(request))
                    {
                        return true;
                    }

                    TimeSpan remaining = _options.QueueFullWaitTimeout - _timeProvider.GetElapsedTime(start);
                    if (remaining <= TimeSpan.Zero)
                    {
                        return false;
                    }

                    Monitor.Wait(_spaceGate, remaining < TimeSpan.FromMilliseconds(50) ? remaining : TimeSpan.FromMilliseconds(50));
                }

                return false;
            }
            finally
            {
                Interlocked.Decrement(ref _producersWaiting);
            }
        }
    }

    /// <summary>
    /// A request entered the queue. Senders are not woken for every request: when traffic is light the first request
    /// arms a timer that wakes them within <see cref="KissmetricsOptions.SendDelay"/>, and a backlog wakes them at once,
    /// so a call costs no thread wake-up in steady state.
    /// </summary>
    private void Accepted()
    {
        _telemetry.Accepted();
        int queued = Interlocked.Increment(ref _queued);
        if (queued >= _wakeThreshold)
        {
            if (Volatile.Read(ref _idleSenders) > 0)
            {
                WakeSenders();
            }
        }
        else if (Volatile.Read(ref _wakeArmed) == 0 && Interlocked.CompareExchange(ref _wakeArmed, 1, 0) == 0)
        {
            try
            {
                _wakeTimer.Change(_sendDelay, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // A call that raced DisposeAsync to its end: the shutdown already sent or counted the request.
            }
        }
    }

    /// <summary>Wakes every idle sender (they drain the queue, then wait again).</summary>
    private void WakeSenders()
    {
        Volatile.Write(ref _wakeArmed, 0);
        int wanted = Volatile.Read(ref _idleSenders) - _wake.CurrentCount; // wake-ups already given and not yet taken count
        if (wanted > 0)
        {
            _wake.Release(wanted);
        }
    }

    private void SignalRoom()
    {
        if (Volatile.Read(ref _producersWaiting) > 0)
        {
            lock (_spaceGate)
            {
                Monitor.PulseAll(_spaceGate);
            }
        }
    }

    private DeliveryEpoch EnterEpoch()
    {
        DeliveryEpoch epoch = Volatile.Read(ref _epoch);
        while (true)
        {
            epoch.Enter();
            DeliveryEpoch current = Volatile.Read(ref _epoch);
            if (ReferenceEquals(current, epoch))
            {
                return epoch;
            }

            epoch.Leave(); // a flush closed it meanwhile: belong to the next one
            epoch = current;
        }
    }

    private Task CloseEpoch()
    {
        lock (_flushGate)
        {
            DeliveryEpoch current = _epoch;
            if (current.IsIdle)
            {
                return Task.CompletedTask;
            }

            var next = new DeliveryEpoch(prior: null);
            Volatile.Write(ref _epoch, next);
            Task drained = current.Close();
            next.Prior = drained;
            return drained;
        }
    }

    private async Task FlushAfterReplayAsync(CancellationToken cancellationToken)
    {
        await _replay.WaitAsync(cancellationToken).ConfigureAwait(false);
        await CloseEpoch().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns the buffer and leaves the epoch; <paramref name="complete"/> also accounts for the spool line (it is not when the request is kept there for the next start).</summary>
    private void Release(OutgoingRequest request, bool complete)
    {
        _pool.Return(request.Buffer);
        if (complete && request.Segment is { } segment)
        {
            _spool!.Complete(segment);
        }

        request.Epoch.Leave();
    }

    private async Task SendLoopAsync()
    {
        CancellationToken stopping = _stopping.Token;
        ChannelReader<OutgoingRequest> reader = _queue.Reader;
        while (!stopping.IsCancellationRequested)
        {
            if (!reader.TryRead(out OutgoingRequest request))
            {
                // Idle: announce it, look once more (a caller that saw no idle sender did not wake one), then wait.
                Interlocked.Increment(ref _idleSenders);
                try
                {
                    if (Volatile.Read(ref _queued) == 0)
                    {
                        await _wake.WaitAsync(stopping).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
                finally
                {
                    Interlocked.Decrement(ref _idleSenders);
                }

                continue;
            }

            Interlocked.Decrement(ref _queued);
            SignalRoom();
            long start = _timeProvider.GetTimestamp();
            try
            {
                SendResult result = await _transport.SendAsync(request, stopping).ConfigureAwait(false);
                _telemetry.Completed(request, result, _timeProvider.GetElapsedTime(start));
                Release(request, complete: true);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Stopped mid-send: the shutdown decides, like for what is still queued.
                _telemetry.AtShutdown(keptInSpool: request.Segment is not null);
                Release(request, complete: false);
                return;
            }
            catch (Exception exception)
            {
                _telemetry.SenderFailed(request, exception);
                Release(request, complete: true);
            }
        }
    }

    private async Task ReplayAsync()
    {
        CancellationToken stopping = _stopping.Token;
        try
        {
            await _spool!.ReplayAsync(
                async (buffer, length, segment, cancellationToken) =>
                {
                    var request = new OutgoingRequest(buffer, length, EnterEpoch(), segment);
                    try
                    {
                        await _queue.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
                    }
                    catch
                    {
                        Release(request, complete: false); // stays in the spool for the next start
                        throw;
                    }

                    Accepted();
                    _telemetry.SpoolReplayed();
                },
                _pool.Rent,
                stopping).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or ChannelClosedException or System.IO.IOException)
        {
            // Stopping (or the spool became unreadable): what was not replayed stays on disk for the next start.
        }
    }

    private async Task DisposeCoreAsync()
    {
        lock (_spaceGate)
        {
            Monitor.PulseAll(_spaceGate); // callers waiting for room give up
        }

        try
        {
            await FlushAsync().WaitAsync(_options.ShutdownTimeout, _timeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // What is still unsent is dropped (or kept in the spool) below, and counted.
        }

        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_senders).ConfigureAwait(false);
        await _replay.ConfigureAwait(false);

        while (_queue.Reader.TryRead(out OutgoingRequest abandoned))
        {
            _telemetry.AtShutdown(keptInSpool: abandoned.Segment is not null);
            Release(abandoned, complete: false);
        }

        KissmetricsClientStatistics statistics = Statistics;
        _telemetry.ReportShutdown(statistics.DroppedAtShutdown, statistics.KeptInSpool);
        _spool?.Dispose();
        _wakeTimer.Dispose();
        _stopping.Dispose();
        if (_ownsHttp)
        {
            _http?.Dispose();
        }

        _telemetry.Dispose();
    }
}

/// <summary>
/// A snapshot of what a <see cref="KissmetricsClient"/> has done. Every request the client was given ends in exactly one
/// of <see cref="Delivered"/>, <see cref="Rejected"/>, <see cref="GaveUp"/>, <see cref="DroppedQueueFull"/>,
/// <see cref="DroppedAtShutdown"/>, <see cref="DroppedAfterDispose"/> or <see cref="KeptInSpool"/>, or is still pending.
/// </summary>
public readonly record struct KissmetricsClientStatistics
{
    /// <summary>Requests taken into the queue (replayed spool lines included).</summary>
    public long Accepted { get; init; }

    /// <summary>Requests Kissmetrics answered with 2xx.</summary>
    public long Delivered { get; init; }

    /// <summary>Retries made (each attempt after the first).</summary>
    public long Retried { get; init; }

    /// <summary>Requests answered with a 4xx other than 408 and 429: not retried, dropped.</summary>
    public long Rejected { get; init; }

    /// <summary>Requests still failing after every attempt or the longest retry duration: dropped.</summary>
    public long GaveUp { get; init; }

    /// <summary>Requests dropped because the queue was full: the new ones, or the oldest with <see cref="KissmetricsQueueFullMode.DropOldest"/>.</summary>
    public long DroppedQueueFull { get; init; }

    /// <summary>Requests still unsent when the client stopped after <see cref="KissmetricsOptions.ShutdownTimeout"/>, without a spool: dropped.</summary>
    public long DroppedAtShutdown { get; init; }

    /// <summary>Calls made after the client was disposed (or racing it): ignored.</summary>
    public long DroppedAfterDispose { get; init; }

    /// <summary>Requests still unsent when the client stopped, left in the spool: the next client on that directory sends them.</summary>
    public long KeptInSpool { get; init; }

    /// <summary>Requests read back from the spool an earlier run left (also counted in <see cref="Accepted"/>).</summary>
    public long SpoolReplayed { get; init; }

    /// <summary>Spooled requests older than <see cref="KissmetricsOptions.SpoolMaxAge"/> when replayed: dropped.</summary>
    public long SpoolExpired { get; init; }

    /// <summary>Corrupted or truncated spool lines skipped at replay: dropped.</summary>
    public long SpoolCorrupted { get; init; }

    /// <summary>Spooled requests not yet replayed when the spool's size cap removed their file: dropped.</summary>
    public long SpoolEvicted { get; init; }

    /// <summary>Spool writes that failed (the request was then kept in memory only, not dropped).</summary>
    public long SpoolWriteFailures { get; init; }

    /// <summary>Calls whose values broke their DataAnnotations attributes (<see cref="KissmetricsOptions.Validation"/> on), sent or not.</summary>
    public long ValidationFailures { get; init; }

    /// <summary>Calls not sent because their values broke their validation attributes (<see cref="KissmetricsValidationMode.ReportAndDrop"/>).</summary>
    public long DroppedInvalid { get; init; }

    /// <summary>Requests waiting in the queue when the snapshot was taken.</summary>
    public long Queued { get; init; }

    /// <summary>Every request dropped for whatever reason.</summary>
    public long Dropped => Rejected + GaveUp + DroppedQueueFull + DroppedAtShutdown + DroppedAfterDispose + SpoolExpired + SpoolCorrupted + SpoolEvicted + DroppedInvalid;
}
