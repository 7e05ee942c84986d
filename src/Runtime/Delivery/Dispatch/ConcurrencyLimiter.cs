using System;
using System.Threading;

namespace Kissmetrics.Typed.Delivery.Dispatch;

/// <summary>What an attempt's end says about the tracker's capacity.</summary>
internal enum LimiterSignal
{
    /// <summary>An answer came back (2xx, or a 4xx rejection): the tracker kept up.</summary>
    Success,

    /// <summary>429, 5xx, a timeout or a connection failure: the tracker (or the path to it) is overloaded.</summary>
    Overload,

    /// <summary>Says nothing about capacity (the client is stopping): the slot is freed, the limit stays.</summary>
    Ignore,
}

/// <summary>Interim fixed limit at the floor (replaced by the adaptive limiter).</summary>
internal sealed class ConcurrencyLimiter
{
    private readonly int _floor;
    private int _inFlight;

    public ConcurrencyLimiter(int floor, int cap, TimeProvider timeProvider)
    {
        _floor = floor;
        _ = cap;
        _ = timeProvider;
    }

    public int Limit => _floor;

    public int InFlight => Volatile.Read(ref _inFlight);

    public bool TryAcquire()
    {
        while (true)
        {
            int current = Volatile.Read(ref _inFlight);
            if (current >= _floor)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _inFlight, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    public void Release(long startTimestamp, LimiterSignal signal, bool backlog)
    {
        _ = startTimestamp;
        _ = signal;
        _ = backlog;
        Interlocked.Decrement(ref _inFlight);
    }
}
