using System;
using System.Collections.Concurrent;
using System.Threading;
using Kissmetrics.Typed.Delivery.Transport;

namespace Kissmetrics.Typed.Delivery.Dispatch;

/// <summary>
/// Starts attempts while the in-flight limit allows: requests due for a retry first, then the queue's oldest. There is
/// no send loop and no task per request: whoever makes work or room pumps — a thread-pool work item scheduled by a
/// call or the send-delay timer, and the transport's completion of an attempt, which starts the next one on the same
/// thread. A first attempt that fails with something worth retrying goes to the <see cref="RetryScheduler"/>, which
/// waits out its backoff holding no slot, then hands it back here through <see cref="SendRetry"/>.
/// </summary>
internal sealed class Dispatcher : IAttemptSink, IThreadPoolWorkItem
{
    private readonly RequestQueue _queue;
    private readonly ConcurrencyLimiter _limiter;
    private readonly IAttemptTransport _transport;
    private readonly RequestAccounting _accounting;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentQueue<RetryAttempt> _dueRetries = new();
    private readonly int _maxAttempts;
    private int _scheduled;
    private volatile bool _stopped;

    public Dispatcher(KissmetricsOptions options, RequestQueue queue, IAttemptTransport transport, RequestAccounting accounting, TimeProvider timeProvider)
    {
        _queue = queue;
        _transport = transport;
        _accounting = accounting;
        _timeProvider = timeProvider;
        _maxAttempts = options.MaxAttempts;
        int cap = Math.Min(options.MaxConcurrency, transport.Capacity);
        _limiter = new ConcurrencyLimiter(Math.Min(options.MinConcurrency, cap), cap, timeProvider);
        Retries = new RetryScheduler(options, this, queue, accounting, timeProvider);
    }

    public RetryScheduler Retries { get; }

    /// <summary>The in-flight limit now.</summary>
    public int Limit => _limiter.Limit;

    /// <summary>Attempts in flight now.</summary>
    public int InFlight => _limiter.InFlight;

    /// <summary>Pumps on the thread pool, off the caller's thread (a call must not pay for socket writes); a pump already scheduled covers this one.</summary>
    public void Schedule()
    {
        if (Volatile.Read(ref _scheduled) == 0 && Interlocked.Exchange(ref _scheduled, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>Starts no attempt from now on; the shutdown accounts for what is still queued.</summary>
    public void Stop()
    {
        _stopped = true;
        AbandonDueRetries();
    }

    void IThreadPoolWorkItem.Execute()
    {
        Volatile.Write(ref _scheduled, 0);
        Pump();
    }

    /// <summary>Starts attempts until the limit is reached or nothing is waiting.</summary>
    public void Pump()
    {
        while (!_stopped && (!_dueRetries.IsEmpty || !_queue.IsEmpty))
        {
            if (!_limiter.TryAcquire())
            {
                return; // the next attempt to end pumps again
            }

            long now = _timeProvider.GetTimestamp();
            if (_dueRetries.TryDequeue(out RetryAttempt? retry))
            {
                _transport.Send(retry.Request.StartingAttempt(now), retry);
            }
            else if (_queue.TryTake(out OutgoingRequest request))
            {
                _transport.Send(request.StartingAttempt(now), this);
            }
            else
            {
                _limiter.Release(now, LimiterSignal.Ignore, backlog: false); // another pump took it: look again
            }
        }
    }

    /// <summary>Sends the next attempt of a request whose backoff is over, ahead of the queue.</summary>
    public void SendRetry(RetryAttempt retry)
    {
        _dueRetries.Enqueue(retry);
        if (_stopped)
        {
            AbandonDueRetries(); // no attempt starts any more: the retry ends as stopped
        }
        else
        {
            Pump();
        }
    }

    private void AbandonDueRetries()
    {
        while (_dueRetries.TryDequeue(out RetryAttempt? retry))
        {
            retry.Abandon();
        }
    }

    /// <summary>A retry attempt ended: its slot is freed like a first attempt's.</summary>
    public void RetryAttemptEnded(in OutgoingRequest request, in AttemptResult result) => FreeSlot(request, result);

    /// <summary>A first attempt ended.</summary>
    void IAttemptSink.AttemptCompleted(in OutgoingRequest request, in AttemptResult result)
    {
        FreeSlot(request, result);
        try
        {
            if (result.IsSuccess)
            {
                _accounting.Finished(request, new SendResult(SendOutcome.Delivered, result.StatusCode, 1, null), _timeProvider.GetElapsedTime(request.AttemptStarted));
            }
            else if (result.Failure == AttemptFailure.StoppedInFlight)
            {
                _accounting.InFlightAtShutdown(request);
            }
            else if (result.Failure == AttemptFailure.Stopped || (_stopped && result.IsTransient))
            {
                _accounting.AtShutdown(request);
            }
            else if (result.IsTransient && _maxAttempts > 1)
            {
                Retries.Start(request, result);
            }
            else
            {
                SendOutcome outcome = result.IsTransient ? SendOutcome.GaveUp : SendOutcome.Rejected;
                _accounting.Finished(request, new SendResult(outcome, result.StatusCode, 1, result.Describe()), _timeProvider.GetElapsedTime(request.AttemptStarted));
            }
        }
        catch (Exception exception)
        {
            _accounting.Failed(request, exception);
        }

        Pump();
    }

    private void FreeSlot(in OutgoingRequest request, in AttemptResult result)
    {
        LimiterSignal signal = result.IsStopped ? LimiterSignal.Ignore
            : result.IsTransient ? LimiterSignal.Overload
            : LimiterSignal.Success;
        _limiter.Release(request.AttemptStarted, signal, backlog: !_queue.IsEmpty || !_dueRetries.IsEmpty);
    }
}
