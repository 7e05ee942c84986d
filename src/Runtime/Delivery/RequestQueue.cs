using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace Kissmetrics.Typed.Delivery;

/// <summary>
/// The requests the client holds while they wait: for a first attempt (in the queue itself) or for a retry (held by the
/// retry scheduler, counted here so that an outage cannot grow memory past the bound). Bounded by count
/// (<see cref="KissmetricsOptions.MaxQueueLength"/>) and by bytes (<see cref="KissmetricsOptions.MaxQueueBytes"/>).
/// <para>
/// Callers that wait for room (<see cref="KissmetricsQueueFullMode.Wait"/>, the spool's replay) are woken once the
/// queue has drained to its low-water mark, three quarters of either bound, not once per freed slot: a producer woken
/// per slot would wake, add one request and sleep again, paying a thread wake-up per request.
/// </para>
/// </summary>
internal sealed class RequestQueue
{
    private readonly ConcurrentQueue<OutgoingRequest> _items = new();
    private readonly object _roomGate = new();
    private readonly int _maxCount;
    private readonly long _maxBytes;
    private readonly int _lowWaterCount;
    private readonly long _lowWaterBytes;
    private TaskCompletionSource? _roomForAsync;
    private int _count;
    private long _bytes;
    private int _waiters;
    private int _closed;

    public RequestQueue(int maxCount, long maxBytes)
    {
        _maxCount = maxCount;
        _maxBytes = maxBytes;
        _lowWaterCount = maxCount - Math.Max(1, maxCount / 4);
        _lowWaterBytes = maxBytes - (maxBytes / 4);
    }

    /// <summary>Requests held: queued for a first attempt or waiting to be retried.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Bytes of the requests held.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Whether no request waits for a first attempt.</summary>
    public bool IsEmpty => _items.IsEmpty;

    /// <summary>Whether a request of <paramref name="length"/> bytes would be refused now.</summary>
    public bool IsFull(int length) => Volatile.Read(ref _count) >= _maxCount || Interlocked.Read(ref _bytes) + length > _maxBytes;

    /// <summary>Adds <paramref name="request"/> if both bounds allow it (an empty queue takes a request of any size); <paramref name="count"/> is the count after it.</summary>
    public bool TryAdd(in OutgoingRequest request, out int count)
    {
        count = Interlocked.Increment(ref _count);
        if (count > _maxCount)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        long bytes = Interlocked.Add(ref _bytes, request.Length);
        if (bytes > _maxBytes && count > 1)
        {
            Interlocked.Add(ref _bytes, -request.Length);
            Interlocked.Decrement(ref _count);
            return false;
        }

        _items.Enqueue(request);
        return true;
    }

    /// <summary>Takes the oldest request waiting for a first attempt.</summary>
    public bool TryTake(out OutgoingRequest request)
    {
        if (!_items.TryDequeue(out request))
        {
            return false;
        }

        Released(request.Length);
        return true;
    }

    /// <summary>Counts a request that left the queue for an attempt and now waits to be retried. Never refused: the request is already the client's.</summary>
    public void HoldForRetry(int length)
    {
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _bytes, length);
    }

    /// <summary>A request held for retry ended (delivered, dropped or stopped).</summary>
    public void ReleaseRetry(int length) => Released(length);

    /// <summary>
    /// Blocks (a monitor wait: no thread-pool thread is parked on a task) until <paramref name="request"/> fits,
    /// <paramref name="timeout"/> passes or the queue is closed.
    /// </summary>
    public bool AddWhenRoom(in OutgoingRequest request, TimeSpan timeout, TimeProvider timeProvider, out int count)
    {
        long start = timeProvider.GetTimestamp();
        count = 0;
        lock (_roomGate)
        {
            Interlocked.Increment(ref _waiters);
            try
            {
                bool first = true;
                while (Volatile.Read(ref _closed) == 0)
                {
                    // After the first try, only once the queue has drained to the low-water mark: a waiter that took
                    // every single freed slot would be woken (and put back to sleep) once per request.
                    if ((first || BelowLowWater()) && TryAdd(request, out count))
                    {
                        return true;
                    }

                    first = false;
                    TimeSpan remaining = timeout - timeProvider.GetElapsedTime(start);
                    if (remaining <= TimeSpan.Zero)
                    {
                        return false;
                    }

                    // The slice bounds the wait should the clock be a fake one that never moves on its own.
                    Monitor.Wait(_roomGate, remaining < TimeSpan.FromMilliseconds(250) ? remaining : TimeSpan.FromMilliseconds(250));
                }

                return false;
            }
            finally
            {
                Interlocked.Decrement(ref _waiters);
            }
        }
    }

    /// <summary>
    /// Completes once the queue has drained to its low-water mark (or is closed, unless <paramref name="evenWhenClosed"/>):
    /// for the spool's replay and overflow reader, which must not block a thread. They pass
    /// <paramref name="evenWhenClosed"/> because they keep feeding the queue during the shutdown flush: a closed queue
    /// that completed the wait at once would have them spin on a full queue until the flush times out.
    /// </summary>
    public Task WaitForRoomAsync(CancellationToken cancellationToken, bool evenWhenClosed = false)
    {
        TaskCompletionSource waiter;
        lock (_roomGate)
        {
            if ((!evenWhenClosed && Volatile.Read(ref _closed) != 0) || BelowLowWater())
            {
                return Task.CompletedTask;
            }

            if (_roomForAsync is null)
            {
                _roomForAsync = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Interlocked.Increment(ref _waiters); // one for every async waiter: they share the task
            }

            waiter = _roomForAsync;

            // Checked again once registered: a release between the first check and the registration read no waiter
            // and woke no one, and it may have been the last one (the queue drained to empty), leaving this wait
            // without a wake-up. The release decrements before it reads the waiters, this registers before it reads
            // the count, so one of the two sees the other.
            if (BelowLowWater())
            {
                _roomForAsync = null;
                Interlocked.Decrement(ref _waiters);
                waiter.TrySetResult();
                return Task.CompletedTask;
            }
        }

        return waiter.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Wakes every caller waiting for room; they give up.</summary>
    public void Close()
    {
        Volatile.Write(ref _closed, 1);
        WakeWaiters();
    }

    private bool BelowLowWater() => Volatile.Read(ref _count) <= _lowWaterCount && Interlocked.Read(ref _bytes) <= _lowWaterBytes;

    private void Released(int length)
    {
        Interlocked.Decrement(ref _count);
        Interlocked.Add(ref _bytes, -length);
        if (Volatile.Read(ref _waiters) > 0 && BelowLowWater())
        {
            WakeWaiters();
        }
    }

    private void WakeWaiters()
    {
        TaskCompletionSource? asyncWaiter;
        lock (_roomGate)
        {
            Monitor.PulseAll(_roomGate);
            asyncWaiter = _roomForAsync;
            if (asyncWaiter is not null)
            {
                _roomForAsync = null;
                Interlocked.Decrement(ref _waiters);
            }
        }

        asyncWaiter?.TrySetResult();
    }
}
