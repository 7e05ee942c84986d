using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Security;
#if !NET
using System.Security.Authentication;
#endif
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Kissmetrics.Typed.Delivery.Transport;

/// <summary>
/// The fast transport: each request's bytes framed as HTTP/1.1 (see <see cref="Http1RequestWriter"/>) and written to
/// pooled keep-alive connections, plain TCP or TLS through <see cref="SslStream"/>, up to
/// <see cref="KissmetricsOptions.MaxConnections"/> of them with up to <see cref="KissmetricsOptions.PipelineDepth"/>
/// requests outstanding on each. No string, <see cref="Uri"/>, <c>HttpRequestMessage</c> or <see cref="Task"/> per
/// request: an attempt is a struct in a connection's queue, its frame a pooled buffer, and the loops are woken by
/// reusable signals.
/// </summary>
/// <remarks>
/// <para>
/// One lock guards every connection's state and queues. An attempt moves between queues (waiting, written,
/// answered, moved to another connection when its own dies) and one lock makes each move a single step that the
/// send loops, receive loops, timer and dispose all see the same way; it is held for a few queue operations and a
/// copy, never across I/O or a sink call.
/// </para>
/// <para>
/// Where an attempt can end: answered (any status); its connection failed to open (<see cref="AttemptFailure.Connect"/>);
/// it was written and the connection broke or answered garbage before its answer (<see cref="AttemptFailure.ConnectionLost"/>,
/// <see cref="AttemptFailure.Protocol"/>); no answer within <see cref="KissmetricsOptions.RequestTimeout"/> of <c>Send</c>
/// (<see cref="AttemptFailure.Timeout"/>); the transport was disposed (<see cref="AttemptFailure.StoppedInFlight"/> once
/// written, <see cref="AttemptFailure.Stopped"/> before). Requests
/// that were not written when their open connection died, and written ones behind a <c>Connection: close</c> answer
/// (the server did not process them), move to another connection instead, at most <see cref="MaxMoves"/> times.
/// </para>
/// <para>
/// For the dispatcher: <see cref="Send"/> never blocks and may be called from inside a sink; sinks are called on
/// transport threads, several at once (one per connection), in no order across connections. Send accepts any
/// number of attempts: beyond <c>MaxConnections × PipelineDepth</c> they wait in the connections' queues, and their
/// timeout counts from <c>Send</c>, so the in-flight limit should stay within that product.
/// </para>
/// </remarks>
internal sealed class SocketTransport : IAttemptTransport
{
    /// <summary>The frames pooled by the transport: every GET fits (2048 bytes of URL and the headers).</summary>
    internal const int FrameBufferSize = 3 * 1024;

    /// <summary>How many times an unanswered attempt may move on from a connection that answered nothing before it fails with <see cref="AttemptFailure.ConnectionLost"/>.</summary>
    internal const int MaxMoves = 3;

    private readonly object _gate = new();
    private readonly List<Http1Connection> _connections = new();
    private readonly Stack<byte[]> _frames = new();
    private readonly Http1RequestWriter _writer;
    private readonly ILogger _logger;
    private readonly RemoteCertificateValidationCallback? _certificateValidation;
    private readonly string _targetHost;
    private readonly int _maxConnections;
    private readonly int _pipelineDepth;
    private readonly int _maxPooledFrames;
    private readonly long _timeoutTicks;
    private readonly long _lifetimeTicks;
    private readonly long _idleTicks;
    private readonly long _pipeliningPauseTicks;
    private readonly ITimer _timer;
    private int _depth;
    private long _pipeliningResumesAt;
    private bool _disposed;
    private int _nextConnectionId;
    private int _peakOutstanding;
    private int _connectionsOpened;

    /// <summary>Creates the transport; it connects lazily, on the first <see cref="Send"/>.</summary>
    /// <param name="options">Endpoint, RequestTimeout, MaxConnections and PipelineDepth are read once, here.</param>
    /// <param name="timeProvider">Timestamps and the timer that checks timeouts.</param>
    /// <param name="logger">Connections opened, closed and failed, at Debug.</param>
    public SocketTransport(KissmetricsOptions options, TimeProvider timeProvider, ILogger logger)
        : this(options, timeProvider, logger, certificateValidation: null)
    {
    }

    /// <summary>Creates the transport with a certificate check of the caller's: for tests against a self-signed loopback server only.</summary>
    /// <param name="options">Endpoint, RequestTimeout, MaxConnections and PipelineDepth are read once, here.</param>
    /// <param name="timeProvider">Timestamps and the timer that checks timeouts.</param>
    /// <param name="logger">Connections opened, closed and failed, at Debug.</param>
    /// <param name="certificateValidation">Replaces the system's certificate validation; <see langword="null"/> keeps it.</param>
    /// <param name="connectionLifetime">How long a connection is used before it is closed at a quiet moment (default 5 minutes): DNS changes are seen at the next connect.</param>
    /// <param name="idleTimeout">How long a connection may sit unused before it is closed (default <see cref="DefaultIdleTimeout"/>).</param>
    /// <param name="pipeliningPause">How long pipelining stays off after a connection broke with several requests outstanding (default <see cref="DefaultPipeliningPause"/>).</param>
    /// <param name="dedicatedThreads">Whether each connection runs on a thread of its own (default: when <see cref="KissmetricsOptions.MaxConcurrency"/> is at most <see cref="DedicatedThreadsUpTo"/>).</param>
    internal SocketTransport(
        KissmetricsOptions options,
        TimeProvider timeProvider,
        ILogger logger,
        RemoteCertificateValidationCallback? certificateValidation,
        TimeSpan? connectionLifetime = null,
        TimeSpan? idleTimeout = null,
        TimeSpan? pipeliningPause = null,
        bool? dedicatedThreads = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        Uri endpoint = options.Endpoint;
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("The endpoint must be an absolute http or https URI.", nameof(options));
        }

        TimeProvider = timeProvider;
        _logger = logger;
        _certificateValidation = certificateValidation;
        _writer = new Http1RequestWriter(endpoint);
        UseTls = endpoint.Scheme == Uri.UriSchemeHttps;
        Port = endpoint.Port;

        // IdnHost: punycode for DNS and SNI; an IPv6 literal without its brackets.
        ConnectHost = endpoint.IdnHost.Trim('[', ']');
        _targetHost = ConnectHost;
        _maxConnections = Math.Max(1, options.MaxConnections);
        _pipelineDepth = Math.Max(1, options.PipelineDepth);
        _depth = _pipelineDepth;
        DedicatedThreads = dedicatedThreads ?? options.MaxConcurrency <= DedicatedThreadsUpTo;
        _maxPooledFrames = Math.Min(_maxConnections * _pipelineDepth * 2, 1024);

        long frequency = timeProvider.TimestampFrequency;
        _timeoutTicks = ToTicks(options.RequestTimeout, frequency);
        _lifetimeTicks = ToTicks(connectionLifetime ?? TimeSpan.FromMinutes(5), frequency);
        _idleTicks = ToTicks(idleTimeout ?? DefaultIdleTimeout, frequency);
        PipeliningPause = pipeliningPause ?? DefaultPipeliningPause;
        _pipeliningPauseTicks = ToTicks(PipeliningPause, frequency);

        Name = _pipelineDepth > 1
            ? string.Create(CultureInfo.InvariantCulture, $"sockets (HTTP/1.1{(UseTls ? " over TLS" : string.Empty)}, pipelining up to {_pipelineDepth})")
            : "sockets (HTTP/1.1" + (UseTls ? " over TLS" : string.Empty) + ", no pipelining)";

        // One timer for every connection and request, created without the caller's AsyncLocals (it lives as long as
        // the transport). A tick is a quarter of the shortest of the timeout, the idle timeout, the lifetime and the
        // pipelining pause (so a request ends within about 1.25 timeouts), at most a second, at least 10 ms.
        long shortest = Math.Min(Math.Min(options.RequestTimeout.Ticks, PipeliningPause.Ticks), Math.Min((connectionLifetime ?? TimeSpan.MaxValue).Ticks, (idleTimeout ?? DefaultIdleTimeout).Ticks));
        TimeSpan tick = TimeSpan.FromTicks(Math.Clamp(shortest / 4, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
        bool suppress = !ExecutionContext.IsFlowSuppressed(); // SuppressFlow throws when it already is
        if (suppress)
        {
            ExecutionContext.SuppressFlow();
        }

        try
        {
            _timer = timeProvider.CreateTimer(static state => ((SocketTransport)state!).OnTick(), this, tick, tick);
        }
        finally
        {
            if (suppress)
            {
                ExecutionContext.RestoreFlow();
            }
        }
    }

    /// <summary>
    /// How long a connection may sit unused before the transport closes it: 45 seconds, under the keep-alive timeouts
    /// of the usual servers and balancers (60 s for an AWS load balancer, 75 s nginx, 130 s Kestrel), so that the
    /// server rarely closes an idle connection just as a request is written to it (that request would be lost).
    /// </summary>
    internal static TimeSpan DefaultIdleTimeout { get; } = TimeSpan.FromSeconds(45);

    /// <summary>
    /// The largest <see cref="KissmetricsOptions.MaxConcurrency"/> at which each connection runs on a thread of its own
    /// (<see cref="DedicatedThreads"/>): so few in flight means a connection (and a thread) per request at most, each
    /// answer alone in its read, where a blocking read beats the socket engine's hand-off to the thread pool. Above it
    /// the asynchronous loops serve every connection from the pool (docs/benchmarks.md has both measured).
    /// </summary>
    internal const int DedicatedThreadsUpTo = 4;

    /// <summary>How long pipelining stays off after a connection broke with several requests outstanding, unless told otherwise.</summary>
    internal static TimeSpan DefaultPipeliningPause { get; } = TimeSpan.FromMinutes(1);

    /// <summary>How long pipelining stays off after a connection broke with several requests outstanding.</summary>
    internal TimeSpan PipeliningPause { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary><c>MaxConnections × PipelineDepth</c>: what the connections carry when pipelining is on.</summary>
    public int Capacity => _maxConnections * _pipelineDepth;

    /// <summary>Whether each connection runs on a thread of its own with blocking socket calls (see Http1Connection.Thread.cs) rather than on asynchronous loops.</summary>
    internal bool DedicatedThreads { get; }

    /// <summary>The clock of timestamps, timeouts and <c>Retry-After</c> dates.</summary>
    internal TimeProvider TimeProvider { get; }

    /// <summary>The host resolved at each connect (no brackets for IPv6).</summary>
    internal string ConnectHost { get; }

    /// <summary>The endpoint's port.</summary>
    internal int Port { get; }

    /// <summary>Whether connections are TLS.</summary>
    internal bool UseTls { get; }

    /// <summary>For tests: the most requests outstanding (written, unanswered) on one connection at once so far.</summary>
    internal int PeakOutstanding
    {
        get
        {
            lock (_gate)
            {
                return _peakOutstanding;
            }
        }
    }

    /// <summary>For tests: how many connections have opened so far.</summary>
    internal int ConnectionsOpened
    {
        get
        {
            lock (_gate)
            {
                return _connectionsOpened;
            }
        }
    }

    /// <summary>For tests: the pipeline depth now (1 while pipelining is paused).</summary>
    internal int CurrentPipelineDepth
    {
        get
        {
            lock (_gate)
            {
                return _depth;
            }
        }
    }

    /// <summary>For tests: connections open, opening or draining now.</summary>
    internal int ConnectionCount
    {
        get
        {
            lock (_gate)
            {
                return _connections.Count;
            }
        }
    }

    /// <inheritdoc />
    public void Send(in OutgoingRequest request, IAttemptSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ReadOnlySpan<byte> line = request.Bytes;
        int length = _writer.GetLength(line);
        lock (_gate)
        {
            if (!_disposed)
            {
                var attempt = new PendingAttempt
                {
                    Request = request,
                    Sink = sink,
                    Frame = RentFrame(length),
                    FrameLength = length,
                    StartedAt = TimeProvider.GetTimestamp(),
                };
                _writer.Write(line, attempt.Frame);
                Assign(ref attempt);
                return;
            }
        }

        // Never inline: the caller may hold its own lock, or call Send from inside its sink.
        ThreadPool.UnsafeQueueUserWorkItem(
            static state => state.Transport.Deliver(state.Sink, state.Request, AttemptResult.Failed(AttemptFailure.Stopped)),
            (Transport: this, Sink: sink, Request: request),
            preferLocal: false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        var settle = default(Settlement);
        Http1Connection[] connections;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            connections = _connections.ToArray();
            _connections.Clear();
            foreach (Http1Connection connection in connections)
            {
                connection.State = ConnectionState.Closed;
                // Written (taken into a write of the send loop) and unanswered: the server may have processed them.
                while (connection.Outstanding.TryDequeue(out PendingAttempt attempt))
                {
                    Fail(ref attempt, AttemptFailure.StoppedInFlight, ref settle);
                }

                // Never written on this connection (those moved here from one that closed were not processed there).
                while (connection.Unwritten.TryDequeue(out PendingAttempt attempt))
                {
                    Fail(ref attempt, AttemptFailure.Stopped, ref settle);
                }

                KissmetricsLog.ConnectionClosed(_logger, connection.Id, "transport disposed", connection.Answered, 0);
            }
        }

        foreach (Http1Connection connection in connections)
        {
            connection.Abort();
        }

        await _timer.DisposeAsync().ConfigureAwait(false);
        Finish(ref settle);

        // The loops end as soon as their sockets are closed; bounded anyway, so that dispose can never hang.
        var running = new Task[connections.Length];
        for (int i = 0; i < connections.Length; i++)
        {
            running[i] = connections[i].Completion;
        }

        try
        {
            await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>
    /// The next batch of a writer: copies the waiting frames the pipeline depth allows into <paramref name="buffer"/>
    /// (grown for one large frame), marks them written and takes (or keeps) the writer's place for their write; with
    /// nothing to write, gives the place up.
    /// </summary>
    /// <param name="connection">The connection.</param>
    /// <param name="buffer">The connection's write buffer: only the holder of its writer's place may pass it.</param>
    /// <param name="closed">Nothing more is written on this connection: the send loop ends.</param>
    /// <param name="sendLoop">The caller is the send loop, not the receive loop writing on its way out of a batch.</param>
    /// <param name="holding">The caller holds the writer's place from its previous write (the receive loop always does).</param>
    /// <returns>The bytes to write; 0 when there is nothing (the send loop then waits for <see cref="Http1Connection.WakeSendLoop"/>).</returns>
    internal int TakeBatch(Http1Connection connection, ref byte[] buffer, out bool closed, bool sendLoop, bool holding)
    {
        lock (_gate)
        {
            WriterPlace writer = connection.Writer;
            if (!holding && writer.Held)
            {
                // The receive loop holds the buffer: it writes what is waiting and, should the connection close, wakes
                // this loop once it has let go, so the loop never ends (and the buffer is never returned) under it.
                closed = false;
                writer.SendLoopWaiting = true;
                return 0;
            }

            writer.Held = false;
            closed = connection.State == ConnectionState.Closed || connection.WriteFailed;
            if (closed)
            {
                if (sendLoop)
                {
                    writer.SendLoopWaiting = false; // it is ending: nobody may take the writer's place any more
                }

                return 0;
            }

            int length = 0;
            while (connection.Unwritten.Count > 0 && connection.Outstanding.Count < _depth)
            {
                ref PendingAttempt next = ref connection.Unwritten.Oldest;
                if (length + next.FrameLength > buffer.Length)
                {
                    if (length > 0)
                    {
                        break; // the rest in the next write
                    }

                    // One frame larger than the buffer (a long POST): a buffer that fits it, kept for the connection.
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(next.FrameLength);
                }

                next.Frame.AsSpan(0, next.FrameLength).CopyTo(buffer.AsSpan(length));
                length += next.FrameLength;
                connection.Unwritten.TryDequeue(out PendingAttempt written);
                connection.Outstanding.Enqueue(written);
            }

            if (connection.Outstanding.Count > _peakOutstanding)
            {
                _peakOutstanding = connection.Outstanding.Count;
            }

            writer.Held = length > 0;
            if (sendLoop)
            {
                writer.SendLoopWaiting = length == 0;
            }

            return length;
        }
    }

    /// <summary>The connection is open: it takes requests from now on. <see langword="false"/> when it was closed meanwhile (then the caller closes the stream).</summary>
    internal bool OnOpened(Http1Connection connection)
    {
        lock (_gate)
        {
            if (connection.State != ConnectionState.Connecting)
            {
                return false;
            }

            long now = TimeProvider.GetTimestamp();
            connection.State = ConnectionState.Open;
            connection.OpenedAt = now;
            connection.LastActivity = now;
            _connectionsOpened++;
            KissmetricsLog.ConnectionOpened(_logger, connection.Id, ConnectHost, Port, UseTls ? "TLS" : "plain TCP");
            return true;
        }
    }

    /// <summary>The connection could not be opened: the requests waiting for it end with <see cref="AttemptFailure.Connect"/>.</summary>
    internal void OnConnectFailed(Http1Connection connection, Exception exception)
    {
        var settle = default(Settlement);
        lock (_gate)
        {
            if (connection.State == ConnectionState.Closed)
            {
                return; // aborted by the timer or dispose, which already accounted for its requests
            }

            KissmetricsLog.ConnectionFailed(_logger, connection.Id, ConnectHost, Port, exception.GetType().Name, connection.Load, exception);
            Close(connection, AttemptFailure.Connect, "connect failed", ref settle, log: false);
        }

        Finish(ref settle);
    }

    /// <summary>
    /// An answer arrived for the oldest written request on <paramref name="connection"/>. Completes it; with
    /// <paramref name="connectionClose"/> closes the connection and moves the requests behind it elsewhere.
    /// </summary>
    /// <returns>Whether the receive loop goes on reading.</returns>
    internal bool OnAnswered(Http1Connection connection, int statusCode, TimeSpan? retryAfter, bool connectionClose)
    {
        var settle = default(Settlement);
        PendingAttempt answered;
        bool got;
        bool goOn;
        lock (_gate)
        {
            if (connection.State == ConnectionState.Closed)
            {
                return false; // timed out or disposed: that request was already completed
            }

            got = connection.Outstanding.TryDequeue(out answered);
            if (!got)
            {
                // An answer to nothing (a 408 on an idle connection, or garbage): the connection cannot be trusted.
                Close(connection, AttemptFailure.Protocol, "an answer to no request", ref settle);
                goOn = false;
            }
            else
            {
                ReturnFrame(answered.Frame);
                connection.Answered++;
                connection.LastActivity = TimeProvider.GetTimestamp();
                if (connectionClose)
                {
                    // The server processed this request and no later one: those are sent again, not failed.
                    Close(connection, AttemptFailure.None, "Connection: close", ref settle);
                    goOn = false;
                }
                else if (connection.State == ConnectionState.Draining && connection.Load == 0)
                {
                    Close(connection, AttemptFailure.None, connection.WriteFailed ? "write failed" : "lifetime reached", ref settle);
                    goOn = false;
                }
                else
                {
                    // Room for a request held back by the pipeline depth, and whatever the sink is about to queue
                    // here: the receive loop writes them at the end of its batch (EndReceiveBatch), the send loop is
                    // not woken for them.
                    connection.Writer.ReceiveBatch = true;
                    goOn = true;
                }
            }
        }

        if (got)
        {
            Deliver(answered.Sink, answered.Request, AttemptResult.Answered(statusCode, retryAfter));
        }

        Finish(ref settle);
        return goOn;
    }

    /// <summary>
    /// The receive loop completed every answer of one read: the requests queued on <paramref name="connection"/>
    /// meanwhile (and those the answers made room for) are its to write, unless another writer is at it.
    /// </summary>
    /// <returns>Whether the receive loop took the writer's place and writes now (<see cref="TakeBatch"/> with <c>holding</c>).</returns>
    internal bool EndReceiveBatch(Http1Connection connection)
    {
        lock (_gate)
        {
            WriterPlace writer = connection.Writer;
            if (connection.State is not (ConnectionState.Open or ConnectionState.Draining) || connection.WriteFailed
                || connection.Unwritten.Count == 0 || connection.Outstanding.Count >= _depth)
            {
                writer.ReceiveBatch = false;
                return false;
            }

            // Otherwise the send loop is busy writing (its next batch takes them) or was woken by someone else.
            return writer.TryTakeForReceiveLoop();
        }
    }

    /// <summary>The connection broke: written requests end with <paramref name="failure"/>, the others move to another connection.</summary>
    internal void OnBroken(Http1Connection connection, AttemptFailure failure, string reason)
    {
        var settle = default(Settlement);
        lock (_gate)
        {
            if (connection.State == ConnectionState.Closed)
            {
                return;
            }

            Close(connection, failure, reason, ref settle);
        }

        Finish(ref settle);
    }

    /// <summary>
    /// The connection cannot write any more: it takes no new requests, the ones not written move elsewhere, and the
    /// written ones wait for their answers (or the receive loop's end, or the timeout).
    /// </summary>
    /// <param name="connection">The connection.</param>
    /// <param name="releaseWriter">The caller is the receive thread, holding the writer's place for the write that failed: it lets go of it.</param>
    internal void OnWriteFailed(Http1Connection connection, bool releaseWriter = false)
    {
        var settle = default(Settlement);
        lock (_gate)
        {
            if (releaseWriter)
            {
                connection.Writer.Held = false;
            }

            if (connection.State == ConnectionState.Closed)
            {
                return;
            }

            if (connection.Outstanding.Count == 0)
            {
                Close(connection, AttemptFailure.ConnectionLost, "write failed", ref settle);
            }
            else
            {
                connection.State = ConnectionState.Draining;
                connection.WriteFailed = true;
                while (connection.Unwritten.TryDequeue(out PendingAttempt attempt))
                {
                    Move(ref attempt, connection.Answered == 0, ref settle);
                }
            }
        }

        Finish(ref settle);
    }

#if NET
    /// <summary>TLS settings for one connection: the system's validation (unless a test replaced it), SNI, HTTP/1.1 by ALPN.</summary>
    internal SslClientAuthenticationOptions CreateTlsOptions() => new()
    {
        TargetHost = _targetHost,
        ApplicationProtocols = new List<SslApplicationProtocol> { SslApplicationProtocol.Http11 },
        RemoteCertificateValidationCallback = _certificateValidation,
    };

    /// <summary>TLS over one connection's <paramref name="network"/> stream.</summary>
    internal SslStream CreateTlsStream(Stream network) => new(network, leaveInnerStreamOpen: false);

    /// <summary>The handshake, with <see cref="CreateTlsOptions"/>.</summary>
    internal Task AuthenticateAsync(SslStream tls, CancellationToken cancellationToken) => tls.AuthenticateAsClientAsync(CreateTlsOptions(), cancellationToken);

    /// <summary>The handshake, blocking, with <see cref="CreateTlsOptions"/>.</summary>
    internal void Authenticate(SslStream tls) => tls.AuthenticateAsClient(CreateTlsOptions());
#else
    // netstandard2.0 has no SslClientAuthenticationOptions: the same settings through the older overloads, without
    // ALPN (the tracker speaks HTTP/1.1 to a client that offers nothing), the revocation check off as .NET's default is,
    // and TLS 1.2 or 1.3, whichever the platform negotiates (1.3's value, which netstandard2.0 does not name, is 0x3000).
    private const SslProtocols TlsProtocols = SslProtocols.Tls12 | (SslProtocols)0x3000;

    /// <summary>TLS over one connection's <paramref name="network"/> stream, validated as <see cref="_certificateValidation"/> says (the system's when null).</summary>
    internal SslStream CreateTlsStream(Stream network) => new(network, leaveInnerStreamOpen: false, _certificateValidation);

    /// <summary>The handshake; netstandard2.0's has no token, so cancelling disposes the stream, which ends it.</summary>
    internal async Task AuthenticateAsync(SslStream tls, CancellationToken cancellationToken)
    {
        using (cancellationToken.Register(static state => ((SslStream)state!).Dispose(), tls))
        {
            await tls.AuthenticateAsClientAsync(_targetHost, null, TlsProtocols, checkCertificateRevocation: false).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>The handshake, blocking.</summary>
    internal void Authenticate(SslStream tls) => tls.AuthenticateAsClient(_targetHost, null, TlsProtocols, checkCertificateRevocation: false);
#endif

    private static long ToTicks(TimeSpan span, long frequency) => (long)(span.TotalSeconds * frequency);

    /// <summary>
    /// Queues <paramref name="attempt"/> on the least-loaded connection, opening another while every open one is busy and
    /// there is room: requests spread over connections first and are pipelined only once all of them carry one, so a slow
    /// answer holds up as few others as possible (a pipelined connection answers in order). Under the lock.
    /// </summary>
    private void Assign(ref PendingAttempt attempt)
    {
        Http1Connection? best = null;
        int active = 0;
        foreach (Http1Connection connection in _connections)
        {
            if (connection.State is ConnectionState.Open or ConnectionState.Connecting)
            {
                active++;
                if (best is null || connection.Load < best.Load)
                {
                    best = connection;
                }
            }
        }

        if ((best is null || best.Load > 0) && active < _maxConnections)
        {
            best = new Http1Connection(this, ++_nextConnectionId, TimeProvider.GetTimestamp());
            _connections.Add(best);
            best.Start();
        }

        best!.Unwritten.Enqueue(attempt);
        if (best.Outstanding.Count < _depth && best.Writer.ShouldWakeSendLoop)
        {
            best.WakeSendLoop();
        }
    }

    /// <summary>
    /// Closes <paramref name="connection"/> and settles its requests, under the lock. Written, unanswered requests end
    /// with <paramref name="failure"/>, or move elsewhere when it is <see cref="AttemptFailure.None"/> (an orderly close);
    /// waiting ones move elsewhere, or end with <see cref="AttemptFailure.Connect"/> when the connection never opened.
    /// </summary>
    private void Close(Http1Connection connection, AttemptFailure failure, string reason, ref Settlement settle, bool log = true)
    {
        connection.State = ConnectionState.Closed;
        _connections.Remove(connection);
        int outstanding = connection.Outstanding.Count;
        if (log)
        {
            KissmetricsLog.ConnectionClosed(_logger, connection.Id, reason, connection.Answered, outstanding);
        }

        if (failure is AttemptFailure.ConnectionLost or AttemptFailure.Protocol && outstanding > 1 && _pipelineDepth > 1)
        {
            // Perhaps a server (or a proxy in front of it) that does not pipeline: one request at a time for a while.
            if (_depth != 1)
            {
                KissmetricsLog.PipeliningPaused(_logger, connection.Id, outstanding, PipeliningPause.TotalSeconds);
            }

            _depth = 1;
            _pipeliningResumesAt = TimeProvider.GetTimestamp() + _pipeliningPauseTicks;
        }

        // A move counts against MaxMoves only when the connection it leaves answered nothing: one that answered made
        // progress (a server closing after every N answers is served in full), one that did not may never.
        bool counted = connection.Answered == 0;
        while (connection.Outstanding.TryDequeue(out PendingAttempt attempt))
        {
            if (failure == AttemptFailure.None)
            {
                Move(ref attempt, counted, ref settle);
            }
            else
            {
                Fail(ref attempt, failure, ref settle);
            }
        }

        while (connection.Unwritten.TryDequeue(out PendingAttempt attempt))
        {
            if (failure == AttemptFailure.Connect)
            {
                Fail(ref attempt, AttemptFailure.Connect, ref settle);
            }
            else
            {
                Move(ref attempt, counted, ref settle);
            }
        }

        (settle.Closed ??= new List<Http1Connection>()).Add(connection); // its socket is closed once the lock is released
    }

    /// <summary>Gives an unanswered attempt to another connection, unless it has moved too often (<paramref name="counted"/>) or the transport is stopping. Under the lock.</summary>
    private void Move(ref PendingAttempt attempt, bool counted, ref Settlement settle)
    {
        if (_disposed)
        {
            Fail(ref attempt, AttemptFailure.Stopped, ref settle);
        }
        else if (counted && ++attempt.Moves > MaxMoves)
        {
            Fail(ref attempt, AttemptFailure.ConnectionLost, ref settle);
        }
        else
        {
            Assign(ref attempt);
        }
    }

    /// <summary>Ends an attempt with <paramref name="failure"/>; the sink hears it once the lock is released. Under the lock.</summary>
    private void Fail(ref PendingAttempt attempt, AttemptFailure failure, ref Settlement settle)
    {
        ReturnFrame(attempt.Frame);
        (settle.Completions ??= new List<Completion>()).Add(new Completion(attempt.Request, attempt.Sink, AttemptResult.Failed(failure)));
    }

    /// <summary>Timeouts, idle and old connections, the end of a pipelining pause: one timer for the transport.</summary>
    private void OnTick()
    {
        var settle = default(Settlement);
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            long now = TimeProvider.GetTimestamp();
            if (_depth != _pipelineDepth && now >= _pipeliningResumesAt)
            {
                _depth = _pipelineDepth;
                KissmetricsLog.PipeliningResumed(_logger, _depth);
                foreach (Http1Connection connection in _connections)
                {
                    if (connection.Writer.ShouldWakeSendLoop && connection.Unwritten.Count > 0)
                    {
                        connection.WakeSendLoop();
                    }
                }
            }

            // Backwards: closing a connection removes it from the list (and may add one for the requests it moves).
            for (int i = _connections.Count - 1; i >= 0; i--)
            {
                if (i >= _connections.Count)
                {
                    continue;
                }

                Http1Connection connection = _connections[i];
                switch (connection.State)
                {
                    case ConnectionState.Connecting:
                        if (now - connection.CreatedAt > _timeoutTicks)
                        {
                            KissmetricsLog.ConnectionFailed(_logger, connection.Id, ConnectHost, Port, "timed out", connection.Load, null);
                            Close(connection, AttemptFailure.Connect, "connect timed out", ref settle, log: false);
                        }

                        break;

                    case ConnectionState.Open or ConnectionState.Draining:
                        // Any written request past its time: HTTP/1.1 answers in order, so the whole connection is stuck.
                        if (connection.Outstanding.Count > 0 && now - connection.Outstanding.EarliestStart() > _timeoutTicks)
                        {
                            Close(connection, AttemptFailure.Timeout, "request timed out", ref settle);
                        }
                        else if (connection.Load == 0 && (connection.State == ConnectionState.Draining || now - connection.OpenedAt > _lifetimeTicks))
                        {
                            Close(connection, AttemptFailure.None, "lifetime reached", ref settle);
                        }
                        else if (connection.Load == 0 && now - connection.LastActivity > _idleTicks)
                        {
                            Close(connection, AttemptFailure.None, "idle", ref settle);
                        }
                        else if (connection.State == ConnectionState.Open && now - connection.OpenedAt > _lifetimeTicks)
                        {
                            connection.State = ConnectionState.Draining; // no new requests; closed after its last answer
                        }

                        break;
                }
            }
        }

        Finish(ref settle);
    }

    private byte[] RentFrame(int length)
    {
        if (length > FrameBufferSize)
        {
            return ArrayPool<byte>.Shared.Rent(length); // a long POST: rare, and never FrameBufferSize long
        }

        return _frames.TryPop(out byte[]? frame) ? frame : new byte[FrameBufferSize];
    }

    private void ReturnFrame(byte[] frame)
    {
        if (frame.Length != FrameBufferSize)
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
        else if (_frames.Count < _maxPooledFrames)
        {
            _frames.Push(frame);
        }
    }

    /// <summary>What a settlement under the lock left to do once it is released: close sockets, then tell the sinks.</summary>
    private void Finish(ref Settlement settle)
    {
        if (settle.Closed is { } closed)
        {
            // Outside the lock: closing a socket can wait for a system call in flight on it.
            foreach (Http1Connection connection in closed)
            {
                connection.Abort();
            }
        }

        if (settle.Completions is { } completions)
        {
            foreach (Completion completion in completions)
            {
                Deliver(completion.Sink, completion.Request, completion.Result);
            }
        }
    }

    private void Deliver(IAttemptSink sink, in OutgoingRequest request, in AttemptResult result)
    {
        try
        {
            sink.AttemptCompleted(request, result);
        }
        catch (Exception exception)
        {
            // A sink must not throw; if one does, the other attempts and the connection carry on.
            KissmetricsLog.AttemptSinkFailed(_logger, exception.GetType().Name, exception);
        }
    }

    /// <summary>An attempt's end, kept until the lock is released.</summary>
    private readonly record struct Completion(OutgoingRequest Request, IAttemptSink Sink, AttemptResult Result);

    /// <summary>What a change under the lock leaves for after it: attempts to complete, connections to close. Lists only when there is something (the failure paths), so the answered path allocates nothing.</summary>
    private struct Settlement
    {
        /// <summary>Attempts that ended, for their sinks.</summary>
        public List<Completion>? Completions;

        /// <summary>Connections marked closed whose sockets are still open.</summary>
        public List<Http1Connection>? Closed;
    }
}
