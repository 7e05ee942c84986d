using System;
using System.Buffers;
using System.Diagnostics.Metrics;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Delivery;
using Kissmetrics.Typed.Delivery.Transport;
using Kissmetrics.Typed.Serialization;
using Microsoft.Extensions.Logging;

namespace Kissmetrics.Typed;

/// <summary>
/// Delivers typed analytics to the Kissmetrics tracking API. Calls serialize on the caller's thread into pooled
/// buffers and queue the requests (a bounded queue: see <see cref="KissmetricsOptions.QueueFullMode"/>); the delivery
/// engine sends them in the background, many in flight at once (an adaptive limit up to
/// <see cref="KissmetricsOptions.MaxConcurrency"/>), with retries. Dispose it (or call
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
    private readonly DeliveryTelemetry _telemetry;
    private readonly Spool? _spool;
    private readonly DeliveryEngine _delivery;
    private readonly object _disposeGate = new();
    private Task? _disposing;

    /// <summary>Creates a client that sends over its own pooled keep-alive connections (see <see cref="KissmetricsOptions.Transport"/>).</summary>
    /// <param name="options">The API key, endpoint and settings; validated here.</param>
    /// <exception cref="KissmetricsConfigurationException">The options cannot work (for example, no API key).</exception>
    public KissmetricsClient(KissmetricsOptions options)
        : this(options, httpClient: null, ownsHttp: true, TimeProvider.System, loggerFactory: null, meterFactory: null)
    {
    }

    /// <summary>
    /// Creates a client that sends over its own pooled keep-alive connections and logs to <paramref name="loggerFactory"/>:
    /// outside dependency injection, the way to see an unreachable tracker, rejected requests, drops and calls after
    /// dispose as they happen rather than only in <see cref="Statistics"/>.
    /// </summary>
    /// <param name="options">The API key, endpoint and settings; validated here.</param>
    /// <param name="loggerFactory">Where the client logs (category <c>Kissmetrics.Typed.KissmetricsClient</c>; never the API key or a payload), for example <c>LoggerFactory.Create(b => b.AddConsole())</c>. Not disposed by the client.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="loggerFactory"/> is <see langword="null"/>.</exception>
    /// <exception cref="KissmetricsConfigurationException">The options cannot work (for example, no API key).</exception>
    public KissmetricsClient(KissmetricsOptions options, ILoggerFactory loggerFactory)
        : this(options, httpClient: null, ownsHttp: true, TimeProvider.System, loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory)), meterFactory: null)
    {
    }

    /// <summary>Creates a client that sends with <paramref name="httpClient"/> (which it does not dispose): the <c>HttpClient</c> transport, so its handlers and proxy apply.</summary>
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
    /// <param name="httpClient">The HTTP client to send with (not disposed by the client); <see langword="null"/> for the transport <see cref="KissmetricsOptions.Transport"/> chooses.</param>
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
        IAttemptTransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate(); // before anything that needs disposing is created
        _options = options;
        _timeProvider = timeProvider;
        DeliveryEngine? delivery = null;
        _telemetry = new DeliveryTelemetry(options, timeProvider, loggerFactory?.CreateLogger<KissmetricsClient>(), meterFactory, () => delivery?.Queued ?? 0);
        try
        {
            _spool = options.SpoolDirectory is null ? null : Spool.Open(options, timeProvider, _telemetry);
            transport ??= TransportSelection.Create(options, httpClient, ownsHttp, timeProvider, _telemetry.Logger);
        }
        catch
        {
            _spool?.Dispose();
            _telemetry.Dispose();
            throw;
        }

        TransportName = transport.Name;
        KissmetricsLog.Started(_telemetry.Logger, options.Endpoint.Host, transport.Name, options.MaxQueueLength, options.QueueFullMode, Math.Min(options.MinConcurrency, options.MaxConcurrency), options.MaxConcurrency, _spool?.Directory ?? "off");
        _delivery = delivery = new DeliveryEngine(options, timeProvider, _telemetry, _spool, transport);
    }

    /// <summary>What the client has done so far: a snapshot of its counters. Nothing it was given is lost without being counted here.</summary>
    public KissmetricsClientStatistics Statistics => _telemetry.Snapshot(_delivery.Queued);

    /// <summary>Which transport sends this client's requests, as logged at start.</summary>
    internal string TransportName { get; }

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
    public Task FlushAsync(CancellationToken cancellationToken = default) => _delivery.FlushAsync(cancellationToken);

    /// <summary>The host is stopping: flushes within the shutdown budget the later dispose shares (see <see cref="DeliveryEngine.ShutdownTimeLeft"/>).</summary>
    internal Task FlushForShutdownAsync(CancellationToken cancellationToken) => _delivery.FlushForShutdownAsync(cancellationToken);

    /// <summary>
    /// Sends what is queued (waiting at most <see cref="KissmetricsOptions.ShutdownTimeout"/>, counted from the host's stop
    /// when a host stopped the client first), then stops. What is still
    /// unsent then is dropped and counted, or with a spool kept there for the next start. Calling it twice is harmless.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        lock (_disposeGate)
        {
            _disposing ??= DisposeCoreAsync();
            return new ValueTask(_disposing);
        }
    }

    /// <summary>Blocks while <see cref="DisposeAsync"/> runs (for containers and callers that dispose synchronously); prefer <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

#if NET
    /// <summary>The handler of an <see cref="HttpClient"/> the client makes for itself: pooled connections recycled every 5 minutes (DNS changes are seen).</summary>
    internal static SocketsHttpHandler CreateHandler(KissmetricsOptions options) => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        MaxConnectionsPerServer = options.MaxConnections,
        ConnectTimeout = options.RequestTimeout,
    };
#else
    /// <summary>
    /// The handler of an <see cref="HttpClient"/> the client makes for itself. netstandard2.0 has no
    /// <c>SocketsHttpHandler</c>: the platform's handler (on .NET Framework <c>HttpWebRequest</c>'s, which honours the
    /// <c>ServicePointManager</c> for connection lifetime and DNS refresh), bounded to the same number of connections.
    /// </summary>
    internal static HttpClientHandler CreateHandler(KissmetricsOptions options) => new()
    {
        MaxConnectionsPerServer = options.MaxConnections,
    };
#endif

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
            _delivery.Accept(written.Slice(0, end));
            written = written.Slice(end + 1);
        }
    }

    private long Now(DateTimeOffset? timestamp) => UnixTime.Seconds(timestamp ?? _timeProvider.GetUtcNow());

    private async Task DisposeCoreAsync()
    {
        await _delivery.StopAsync().ConfigureAwait(false);
        KissmetricsClientStatistics statistics = Statistics;
        _telemetry.ReportShutdown(statistics.DroppedAtShutdown, statistics.InFlightAtShutdown, statistics.KeptInSpool);
        _spool?.Dispose();
        _telemetry.Dispose();
    }
}

/// <summary>
/// A snapshot of what a <see cref="KissmetricsClient"/> has done. Every request the client was given ends in exactly one
/// of <see cref="Delivered"/>, <see cref="Rejected"/>, <see cref="GaveUp"/>, <see cref="DroppedQueueFull"/>,
/// <see cref="DroppedAtShutdown"/>, <see cref="DroppedAfterDispose"/>, <see cref="KeptInSpool"/> or
/// <see cref="InFlightAtShutdown"/>, or is still pending.
/// </summary>
public readonly record struct KissmetricsClientStatistics
{
    /// <summary>Requests taken into the queue (replayed spool lines included), or with a spool into the spool alone when the queue was full (<see cref="SpooledOverflow"/>).</summary>
    public long Accepted { get; init; }

    /// <summary>Requests Kissmetrics answered with 2xx.</summary>
    public long Delivered { get; init; }

    /// <summary>Retries made (each attempt after the first).</summary>
    public long Retried { get; init; }

    /// <summary>Requests answered with a 4xx other than 408 and 429: not retried, dropped.</summary>
    public long Rejected { get; init; }

    /// <summary>Requests still failing after every attempt or the longest retry duration: dropped.</summary>
    public long GaveUp { get; init; }

    /// <summary>
    /// Requests dropped because the queue was full: the new ones, or the oldest with <see cref="KissmetricsQueueFullMode.DropOldest"/>.
    /// With a spool this happens only when the spool cannot take the request (a write failure, or its overflow index full).
    /// </summary>
    public long DroppedQueueFull { get; init; }

    /// <summary>
    /// Requests never written when the client stopped after <see cref="KissmetricsOptions.ShutdownTimeout"/> (queued, or
    /// waiting out a retry's backoff), without a spool: dropped, the tracker cannot have them.
    /// </summary>
    public long DroppedAtShutdown { get; init; }

    /// <summary>
    /// Requests sent (at least partly written) with no answer before the client stopped, without a spool: the tracker may
    /// or may not have recorded them, so their outcome is unknown. Not part of <see cref="Dropped"/>, and not sent again.
    /// With a spool such a request stays in the spool for the next start and is counted in <see cref="KeptInSpool"/> instead.
    /// </summary>
    public long InFlightAtShutdown { get; init; }

    /// <summary>Calls made after the client was disposed (or racing it): ignored.</summary>
    public long DroppedAfterDispose { get; init; }

    /// <summary>Requests not delivered when the client stopped (unsent, or in flight without an answer), left in the spool: the next client on that directory sends them.</summary>
    public long KeptInSpool { get; init; }

    /// <summary>Requests read back from the spool an earlier run left (also counted in <see cref="Accepted"/>).</summary>
    public long SpoolReplayed { get; init; }

    /// <summary>
    /// Requests that did not fit in memory (the queue full by count or bytes) and, with a
    /// <see cref="KissmetricsOptions.SpoolDirectory"/>, went to the spool only, to be read back and sent as the queue
    /// drains (also counted in <see cref="Accepted"/>). Not an outcome: each still ends in exactly one of the outcomes, or
    /// in <see cref="KeptInSpool"/> when the client stops before it was read back.
    /// </summary>
    public long SpooledOverflow { get; init; }

    /// <summary>Spooled requests older than <see cref="KissmetricsOptions.SpoolMaxAge"/> when replayed: dropped.</summary>
    public long SpoolExpired { get; init; }

    /// <summary>Corrupted or truncated spool lines skipped at replay: dropped.</summary>
    public long SpoolCorrupted { get; init; }

    /// <summary>Spooled requests not yet replayed when the spool's size cap removed their file: dropped.</summary>
    public long SpoolEvicted { get; init; }

    /// <summary>Requests that could not be made durable (a failed spool write or acknowledgement, or a spool directory that cannot be used): they were kept in memory only, not dropped.</summary>
    public long SpoolWriteFailures { get; init; }

    /// <summary>Calls whose values broke their DataAnnotations attributes (<see cref="KissmetricsOptions.Validation"/> on), sent or not.</summary>
    public long ValidationFailures { get; init; }

    /// <summary>Calls not sent because their values broke their validation attributes (<see cref="KissmetricsValidationMode.ReportAndDrop"/>).</summary>
    public long DroppedInvalid { get; init; }

    /// <summary>Requests waiting in the queue when the snapshot was taken.</summary>
    public long Queued { get; init; }

    /// <summary>Every request dropped for whatever reason (not <see cref="InFlightAtShutdown"/>: those may have been recorded).</summary>
    public long Dropped => Rejected + GaveUp + DroppedQueueFull + DroppedAtShutdown + DroppedAfterDispose + SpoolExpired + SpoolCorrupted + SpoolEvicted + DroppedInvalid;
}
