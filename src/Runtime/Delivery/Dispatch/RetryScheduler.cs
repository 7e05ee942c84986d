using System;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Delivery.Transport;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Kissmetrics.Typed.Delivery.Dispatch;

/// <summary>
/// The retries of requests whose first attempt failed with something worth another try. Only failures come here, so
/// the first attempt of every request pays for no policy at all. The policy is Polly's: exponential backoff with
/// jitter from <see cref="KissmetricsOptions.RetryBaseDelay"/>, a <c>Retry-After</c> answer instead of the backoff (both
/// capped at <see cref="KissmetricsOptions.MaxRetryDelay"/>), at most <see cref="KissmetricsOptions.MaxAttempts"/>
/// attempts and <see cref="KissmetricsOptions.MaxRetryDuration"/> from the first attempt's start. A request waiting out
/// its backoff holds no sending slot; each of its attempts goes back through the <see cref="Dispatcher"/> and its limit.
/// While it waits it still counts against the queue's bounds (<see cref="RequestQueue.HoldForRetry"/>), so an outage
/// fills the queue and its full policy applies, instead of memory growing.
/// </summary>
internal sealed class RetryScheduler
{
    private static readonly ResiliencePropertyKey<RetryAttempt> s_attemptKey = new("Kissmetrics.Typed.RetryAttempt");

    private readonly Dispatcher _dispatcher;
    private readonly RequestQueue _queue;
    private readonly RequestAccounting _accounting;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _maxRetryDelay;
    private readonly TimeSpan _maxRetryDuration;
    private readonly ResiliencePipeline<AttemptResult> _pipeline;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _active;
    private int _stopRequested;

    public RetryScheduler(KissmetricsOptions options, Dispatcher dispatcher, RequestQueue queue, RequestAccounting accounting, TimeProvider timeProvider)
    {
        _dispatcher = dispatcher;
        _queue = queue;
        _accounting = accounting;
        _timeProvider = timeProvider;
        _maxRetryDelay = options.MaxRetryDelay;
        _maxRetryDuration = options.MaxRetryDuration;

        var builder = new ResiliencePipelineBuilder<AttemptResult> { TimeProvider = timeProvider };
        builder.AddTimeout(new TimeoutStrategyOptions
        {
            // Counted from the first attempt, which ran before the pipeline was entered.
            TimeoutGenerator = static args =>
            {
                TimeSpan left = args.Context.Properties.GetValue(s_attemptKey, null!).TimeLeft;
                return new ValueTask<TimeSpan>(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
            },
        });
        builder.AddRetry(new RetryStrategyOptions<AttemptResult>
        {
            MaxRetryAttempts = Math.Max(1, options.MaxAttempts - 1),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
            MaxDelay = options.MaxRetryDelay,
            ShouldHandle = static args => new ValueTask<bool>(args.Outcome.Exception is null && args.Outcome.Result.IsTransient),
            DelayGenerator = args => new ValueTask<TimeSpan?>(RetryAfter(args.Outcome.Result)),
            OnRetry = args =>
            {
                RetryAttempt attempt = args.Context.Properties.GetValue(s_attemptKey, null!);
                _accounting.Telemetry.Retrying(attempt.Request.PathForLog, args.AttemptNumber + 2, args.Outcome.Result.StatusCode, args.Outcome.Result.Describe(), args.RetryDelay);
                return default;
            },
        });
        _pipeline = builder.Build();
    }

    /// <summary>Takes over <paramref name="request"/>, whose first attempt ended with <paramref name="first"/>.</summary>
    public void Start(in OutgoingRequest request, in AttemptResult first)
    {
        Interlocked.Increment(ref _active);
        _queue.HoldForRetry(request.Length);
        _ = RunAsync(new RetryAttempt(_dispatcher, request, first, _timeProvider, _maxRetryDuration));
    }

    /// <summary>Cancels every wait: requests still waiting for a retry end as stopped (kept in the spool, or dropped and counted). Completes when none is left.</summary>
    public Task StopAsync()
    {
        Interlocked.Exchange(ref _stopRequested, 1);
        _stopping.Cancel();
        if (Volatile.Read(ref _active) == 0)
        {
            _idle.TrySetResult();
        }

        return _idle.Task;
    }

    private async Task RunAsync(RetryAttempt attempt)
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get(_stopping.Token);
        context.Properties.Set(s_attemptKey, attempt);
        OutgoingRequest request = attempt.Request;
        bool held = true;
        try
        {
            Outcome<AttemptResult> outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (_, attempt) => Outcome.FromResult(await attempt.NextAsync().ConfigureAwait(false)),
                context,
                attempt).ConfigureAwait(false);

            // Out of the queue's count before the outcome settles the flush epoch: a flush that completes sees it gone.
            _queue.ReleaseRetry(request.Length);
            held = false;
            TimeSpan elapsed = _timeProvider.GetElapsedTime(attempt.FirstStarted);
            AttemptResult last = attempt.Last;
            if (outcome.Exception is TimeoutRejectedException)
            {
                _accounting.Finished(request, new SendResult(SendOutcome.GaveUp, last.StatusCode, attempt.Count, last.Describe()), elapsed);
            }
            else if (last.Failure == AttemptFailure.StoppedInFlight)
            {
                _accounting.InFlightAtShutdown(request); // the transport stopped under an attempt it had written
            }
            else if (outcome.Exception is not null || last.Failure == AttemptFailure.Stopped)
            {
                _accounting.AtShutdown(request); // stopping cancelled the wait, or the transport stopped before writing the attempt
            }
            else if (last.IsSuccess)
            {
                _accounting.Finished(request, new SendResult(SendOutcome.Delivered, last.StatusCode, attempt.Count, null), elapsed);
            }
            else
            {
                SendOutcome kind = last.IsTransient ? SendOutcome.GaveUp : SendOutcome.Rejected;
                _accounting.Finished(request, new SendResult(kind, last.StatusCode, attempt.Count, last.Describe()), elapsed);
            }
        }
        catch (Exception exception)
        {
            if (held)
            {
                _queue.ReleaseRetry(request.Length);
                held = false;
            }

            _accounting.Failed(request, exception);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
            if (Interlocked.Decrement(ref _active) == 0 && Volatile.Read(ref _stopRequested) != 0)
            {
                _idle.TrySetResult();
            }
        }
    }

    /// <summary>The wait a <c>Retry-After</c> answer asked for, capped; <see langword="null"/> lets the backoff decide.</summary>
    private TimeSpan? RetryAfter(AttemptResult result)
    {
        if (result.RetryAfter is not { } wait || wait <= TimeSpan.Zero)
        {
            return null;
        }

        return wait > _maxRetryDelay ? _maxRetryDelay : wait;
    }
}

/// <summary>
/// One request through its retries: Polly calls <see cref="NextAsync"/> for each attempt; the first call returns the
/// first attempt's result (already known), later ones send through the dispatcher and wait for the transport's answer.
/// An attempt in flight is never abandoned, even when the retry duration runs out under it: the transport still reads
/// the request's buffer until it answers (within the request timeout).
/// </summary>
internal sealed class RetryAttempt : IAttemptSink
{
    private readonly Dispatcher _dispatcher;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _maxDuration;
    private TaskCompletionSource<AttemptResult>? _pending;
    private bool _firstTaken;

    public RetryAttempt(Dispatcher dispatcher, in OutgoingRequest request, in AttemptResult first, TimeProvider timeProvider, TimeSpan maxDuration)
    {
        _dispatcher = dispatcher;
        Request = request;
        Last = first;
        FirstStarted = request.AttemptStarted;
        _timeProvider = timeProvider;
        _maxDuration = maxDuration;
        Count = 1;
    }

    public OutgoingRequest Request { get; }

    public long FirstStarted { get; }

    /// <summary>Attempts made so far, the first included.</summary>
    public int Count { get; private set; }

    /// <summary>The latest attempt's result.</summary>
    public AttemptResult Last { get; private set; }

    /// <summary>What is left of <see cref="KissmetricsOptions.MaxRetryDuration"/>.</summary>
    public TimeSpan TimeLeft => _maxDuration - _timeProvider.GetElapsedTime(FirstStarted);

    public ValueTask<AttemptResult> NextAsync()
    {
        if (!_firstTaken)
        {
            _firstTaken = true;
            return new ValueTask<AttemptResult>(Last);
        }

        Count++;
        var pending = new TaskCompletionSource<AttemptResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _pending, pending);
        _dispatcher.SendRetry(this);
        return new ValueTask<AttemptResult>(pending.Task);
    }

    /// <summary>The dispatcher stopped before this attempt could start: it ends as stopped, holding no slot.</summary>
    public void Abandon()
    {
        AttemptResult stopped = AttemptResult.Failed(AttemptFailure.Stopped);
        Last = stopped;
        Volatile.Read(ref _pending)!.TrySetResult(stopped);
    }

    void IAttemptSink.AttemptCompleted(in OutgoingRequest request, in AttemptResult result)
    {
        _dispatcher.RetryAttemptEnded(request, result);
        Last = result;
        Volatile.Read(ref _pending)!.TrySetResult(result);
        _dispatcher.Pump();
    }
}
