using System;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Delivery.Dispatch;
using Kissmetrics.Typed.Delivery.Transport;

namespace Kissmetrics.Typed.Delivery;

/// <summary>
/// Everything after a call has serialized its request: the policy side of delivery, as OpenTelemetry's batch
/// processor is to its worker. <see cref="Accept"/> copies the request into a pooled buffer, appends it to the spool,
/// enters it in the current flush epoch and offers it to the <see cref="RequestQueue"/> under the full policy; the
/// <see cref="Dispatcher"/> sends, the <see cref="RetryScheduler"/> retries, <see cref="RequestAccounting"/> ends each
/// request once. This class decides when the dispatcher is woken, replays the spool, flushes and shuts down. With a
/// spool, a request that does not fit in the queue is kept on disk only (<see cref="SpoolOverflow"/>) and read back as
/// the queue drains, instead of being dropped.
/// </summary>
internal sealed class DeliveryEngine
{
    private readonly KissmetricsOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly DeliveryTelemetry _telemetry;
    private readonly RequestBufferPool _pool;
    private readonly Spool? _spool;
    private readonly RequestQueue _queue;
    private readonly FlushEpochs _epochs = new();
    private readonly RequestAccounting _accounting;
    private readonly IAttemptTransport _transport;
    private readonly Dispatcher _dispatcher;
    private readonly ITimer _sendDelayTimer;
    private readonly TimeSpan _sendDelay;
    private readonly int _wakeThreshold;
    private readonly CancellationTokenSource _stopping = new();
    private Task _replay; // read by FlushAsync and StopAsync; replaced once if the spool opens after the start
    private readonly SpoolOverflow? _overflow;
    private int _stopped;
    private long _shutdownStarted;
    private int _sendDelayArmed;

    public DeliveryEngine(KissmetricsOptions options, TimeProvider timeProvider, DeliveryTelemetry telemetry, Spool? spool, IAttemptTransport transport)
    {
        _options = options;
        _timeProvider = timeProvider;
        _telemetry = telemetry;
        _spool = spool;
        _transport = transport;
        _queue = new RequestQueue(options.MaxQueueLength, options.MaxQueueBytes);
        _pool = new RequestBufferPool(retain: options.MaxQueueLength + options.MaxConcurrency);
        _accounting = new RequestAccounting(telemetry, _pool, spool);
        _dispatcher = new Dispatcher(options, _queue, transport, _accounting, timeProvider);
        telemetry.ObserveDispatch(() => (long)_dispatcher.InFlight, () => (long)_dispatcher.Limit);
        _sendDelay = options.SendDelay;
        _wakeThreshold = options.SendDelay <= TimeSpan.Zero ? 1 : Math.Min(options.MaxQueueLength, Math.Max(64, 16 * Math.Min(options.MinConcurrency, options.MaxConcurrency)));
        _sendDelayTimer = timeProvider.CreateTimer(static state => ((DeliveryEngine)state!).WakeDispatcher(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (spool is not null)
        {
            // The index costs 24 bytes a request; its bound assumes requests of 512 bytes on disk (they are typically
            // 200-600), so it holds about what SpoolMaxBytes holds: 204,800 entries (4.9 MB) at the default 100 MiB.
            int maxEntries = (int)Math.Min(int.MaxValue, Math.Max(options.MaxQueueLength, options.SpoolMaxBytes / 512));
            _overflow = new SpoolOverflow(maxEntries, spool, _queue, _pool, _accounting, Enqueued, _stopping.Token);
        }

        _replay = spool is { ReplaySegments.Count: > 0 } ? Task.Run(ReplayAsync) : Task.CompletedTask;
        if (spool is not null)
        {
            // A spool directory that could not be used at start and opened later: what earlier runs left is replayed then.
            spool.Reopened = () =>
            {
                if (Volatile.Read(ref _stopped) == 0)
                {
                    Volatile.Write(ref _replay, Task.Run(ReplayAsync));
                }
            };
        }
    }

    /// <summary>Requests held: queued, or waiting to be retried.</summary>
    public int Queued => _queue.Count;

    /// <summary>Takes one serialized request (<c>&lt;path&gt;?&lt;query&gt;</c>) from a call. Never throws because of the network.</summary>
    public void Accept(ReadOnlySpan<byte> line)
    {
        if (Volatile.Read(ref _stopped) != 0)
        {
            _telemetry.AfterDispose();
            return;
        }

        bool spoolTried = false;
        SpoolSegment? segment = null;
        int spoolOffset = 0;
        if (_overflow is not null && (_overflow.IsActive || _queue.IsFull(line.Length)))
        {
            if (_overflow.HasRoom)
            {
                // Whatever the QueueFullMode: the request is on disk anyway, so it waits there instead of being dropped.
                segment = _spool!.Append(line, out int offset, out int length);
                if (segment is not null)
                {
                    DeliveryEpoch epoch = _epochs.Enter();
                    if (_overflow.TryAdd(segment, offset, length, epoch))
                    {
                        _telemetry.Accepted();
                        _telemetry.SpooledOverflow();
                    }
                    else
                    {
                        _accounting.OverflowAfterDispose(segment, offset, epoch); // raced StopAsync
                    }

                    return;
                }

                spoolTried = true; // the write failed (counted): held in memory only, under QueueFullMode, as without a spool
            }
            else if (_options.QueueFullMode == KissmetricsQueueFullMode.DropNewest && _queue.IsFull(line.Length))
            {
                _telemetry.QueueFull(); // the overflow index is full too: refused before it costs a spool write
                return;
            }
        }

        byte[] buffer = _pool.Rent(line.Length);
        line.CopyTo(buffer);
        if (!spoolTried)
        {
            segment = _spool?.Append(line, out spoolOffset, out _); // durable before the call returns
        }

        var request = new OutgoingRequest(buffer, line.Length, _epochs.Enter(), segment, spoolOffset);
        if (_queue.TryAdd(request, out int count) || AddWhenFull(request, out count))
        {
            Accepted(count);
        }
    }

    /// <summary>Completes when every request accepted so far has ended.</summary>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        WakeDispatcher(); // no waiting for the send delay
        if (!Volatile.Read(ref _replay).IsCompleted)
        {
            return FlushAfterReplayAsync(cancellationToken);
        }

        Task drained = _epochs.Close();
        return drained.IsCompleted ? drained : drained.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// The shutdown's budget: <see cref="KissmetricsOptions.ShutdownTimeout"/> from the first sign of shutdown (the host
    /// stopping, or <see cref="StopAsync"/>), shared by everything that waits for it afterwards, so that a host's flush
    /// and the container's dispose together take at most the timeout, not the timeout each.
    /// </summary>
    public TimeSpan ShutdownTimeLeft()
    {
        long started = Volatile.Read(ref _shutdownStarted);
        if (started == 0)
        {
            long now = _timeProvider.GetTimestamp();
            long previous = Interlocked.CompareExchange(ref _shutdownStarted, now, 0);
            started = previous == 0 ? now : previous;
        }

        TimeSpan left = _options.ShutdownTimeout - _timeProvider.GetElapsedTime(started);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>
    /// The host is stopping: sends what is queued within what is left of the shutdown budget (or until
    /// <paramref name="cancellationToken"/>, the host's own deadline, fires). Calls are still taken meanwhile (other
    /// services may track while they stop); <see cref="StopAsync"/> then has only what is left of the budget.
    /// </summary>
    public async Task FlushForShutdownAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FlushAsync(cancellationToken).WaitAsync(ShutdownTimeLeft(), _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            // The budget or the host's deadline ran out: the dispose stops at once and counts what is left.
        }
    }

    /// <summary>
    /// Flushes for what is left of the shutdown budget (<see cref="KissmetricsOptions.ShutdownTimeout"/>, see
    /// <see cref="ShutdownTimeLeft"/>), then stops: no attempt starts, retry waits are cancelled, the transport abandons
    /// what is in flight, and every request still held ends as stopped (kept in the spool, or dropped and counted).
    /// </summary>
    public async Task StopAsync()
    {
        TimeSpan budget = ShutdownTimeLeft();
        Volatile.Write(ref _stopped, 1);
        _queue.Close(); // callers waiting for room give up
        try
        {
            await FlushAsync(CancellationToken.None).WaitAsync(budget, _timeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // What is still unsent is dropped (or kept in the spool) below, and counted.
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _dispatcher.Stop();
        Task retriesStopped = _dispatcher.Retries.StopAsync();
        await _transport.DisposeAsync().ConfigureAwait(false); // attempts in flight end as stopped
        await retriesStopped.ConfigureAwait(false);
        await Volatile.Read(ref _replay).ConfigureAwait(false);
        if (_overflow is not null)
        {
            await _overflow.StopAsync().ConfigureAwait(false); // what was not read back stays in the spool
        }

        while (_queue.TryTake(out OutgoingRequest abandoned))
        {
            _accounting.AtShutdown(abandoned);
        }

        _sendDelayTimer.Dispose();
        _stopping.Dispose();
    }

    private bool AddWhenFull(in OutgoingRequest request, out int count)
    {
        switch (_options.QueueFullMode)
        {
            case KissmetricsQueueFullMode.DropOldest:
                while (Volatile.Read(ref _stopped) == 0)
                {
                    if (_queue.TryTake(out OutgoingRequest oldest))
                    {
                        _accounting.QueueFull(oldest);
                    }

                    if (_queue.TryAdd(request, out count))
                    {
                        return true;
                    }
                }

                break;

            case KissmetricsQueueFullMode.Wait:
                if (_queue.AddWhenRoom(request, _options.QueueFullWaitTimeout, _timeProvider, out count))
                {
                    return true;
                }

                break;
        }

        count = 0;
        if (Volatile.Read(ref _stopped) != 0)
        {
            _accounting.AfterDispose(request); // raced StopAsync: not a full queue
        }
        else
        {
            _accounting.QueueFull(request);
        }

        return false;
    }

    /// <summary>
    /// A request entered the queue. The dispatcher is not woken for every request: when traffic is light the first
    /// request arms a timer that wakes it within <see cref="KissmetricsOptions.SendDelay"/>, and a backlog wakes it at
    /// once; while attempts are in flight their completions pump the queue anyway. So a call costs no thread wake-up
    /// in steady state.
    /// </summary>
    private void Accepted(int count)
    {
        _telemetry.Accepted();
        Enqueued(count);
    }

    /// <summary>A request entered the queue (a new one, or one read back from the spool, accepted earlier): wakes the dispatcher as <see cref="Accepted"/> says.</summary>
    private void Enqueued(int count)
    {
        if (count >= _wakeThreshold)
        {
            _dispatcher.Schedule();
        }
        else if (Volatile.Read(ref _sendDelayArmed) == 0 && Interlocked.CompareExchange(ref _sendDelayArmed, 1, 0) == 0)
        {
            try
            {
                _sendDelayTimer.Change(_sendDelay, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // A call that raced StopAsync to its end: the shutdown already sent or counted the request.
            }
        }
    }

    private void WakeDispatcher()
    {
        Volatile.Write(ref _sendDelayArmed, 0);
        _dispatcher.Schedule();
    }

    private async Task FlushAfterReplayAsync(CancellationToken cancellationToken)
    {
        await Volatile.Read(ref _replay).WaitAsync(cancellationToken).ConfigureAwait(false);
        await _epochs.Close().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ReplayAsync()
    {
        CancellationToken stopping = _stopping.Token;
        try
        {
            await _spool!.ReplayAsync(
                async (buffer, length, segment, offset, cancellationToken) =>
                {
                    var request = new OutgoingRequest(buffer, length, _epochs.Enter(), segment, offset);
                    int count;
                    while (!_queue.TryAdd(request, out count))
                    {
                        try
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            await _queue.WaitForRoomAsync(cancellationToken, evenWhenClosed: true).ConfigureAwait(false);
                        }
                        catch
                        {
                            _accounting.NotTaken(request); // stays in the spool for the next start
                            throw;
                        }
                    }

                    Accepted(count);
                    _telemetry.SpoolReplayed();
                },
                _pool.Rent,
                stopping).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or System.IO.IOException)
        {
            // Stopping (or the spool became unreadable): what was not replayed stays on disk for the next start.
        }
    }
}
