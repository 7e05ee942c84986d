using System;
using System.Threading;

namespace Kissmetrics.Typed.Delivery.Dispatch;

/// <summary>What an attempt's end says about the tracker's capacity, as <see cref="ConcurrencyLimiter.Release"/> hears it.</summary>
internal enum LimiterSignal
{
    /// <summary>A 2xx answer: the tracker coped; its latency is a sample of how well.</summary>
    Success,

    /// <summary>429, 503, a timeout or a connection failure: the tracker (or the way to it) is overloaded. The limit backs off.</summary>
    Overload,

    /// <summary>An answer that says nothing about capacity (a 4xx rejection of the request itself, a stopped transport). Only the slot is freed.</summary>
    Ignore,
}

/// <summary>
/// The adaptive limit on attempts in flight: the dispatcher starts an attempt only after <see cref="TryAcquire"/>
/// grants a slot, and hands the slot back with <see cref="Release"/> when the attempt ends. Lock-free and
/// allocation-free: both calls are a few interlocked operations, made hundreds to thousands of times a second from
/// transport threads.
/// </summary>
/// <remarks>
/// <para>The policy, additive increase / multiplicative decrease in the manner of TCP congestion control:</para>
/// <list type="bullet">
/// <item><description>
/// <b>Start at the floor.</b> Nothing is known about the tracker yet, and the floor is what the user said is always safe.
/// </description></item>
/// <item><description>
/// <b>Grow only when it would help and the tracker keeps up.</b> A success grows the limit only when requests were
/// waiting for a slot (<c>backlog</c>: without one a bigger limit sends nothing more), when at least half the slots
/// were in use as it ended (otherwise the bottleneck is elsewhere, in connections or pipelining, and growing would only
/// inflate the limit past anything ever tested), and when its latency is under twice the baseline (a tracker that
/// answers slower as we send more is queueing our requests: more in flight would buy latency, not throughput).
/// </description></item>
/// <item><description>
/// <b>Slow start, then +1 per round trip.</b> Until the first overload each qualifying success adds one slot, which
/// doubles the limit every round trip and finds the tracker's capacity in a few of them; after that a limit's worth
/// of qualifying successes (about one round trip) adds one, so the limit probes above a known capacity gently.
/// </description></item>
/// <item><description>
/// <b>Back off by a quarter on overload, once per round trip.</b> An overload signal sets the limit to 3/4 of itself
/// (never below the floor). Overloads of attempts that started before the last cut are ignored: they were sent under
/// the old limit and end within about one latency of the cut, so a burst of failures from one overloaded moment cuts
/// once rather than crashing the limit to the floor. Attempts started after a cut that still fail cut again.
/// </description></item>
/// <item><description>
/// <b>The baseline is a slowly tracking minimum.</b> The least latency of successes over the current and the previous
/// <see cref="BaselineWindow"/>: the minimum is the tracker's latency without our queueing, and being windowed it
/// forgets within two windows, so a permanent change (a new route, a slower tracker) becomes the new baseline and
/// growth resumes. Latencies under <see cref="MinBaseline"/> count as that: below a millisecond the difference
/// between two samples is scheduling noise, not queueing.
/// </description></item>
/// </list>
/// <para>
/// Latency only ever stops growth; it never cuts. Cutting on latency alone would give up throughput whenever the
/// tracker is slow for reasons that are not ours; a tracker truly overwhelmed says so with 429, 503 or timeouts, and
/// those cut.
/// </para>
/// <para>
/// The slot count is exact: <see cref="TryAcquire"/> never takes <see cref="InFlight"/> past <see cref="Limit"/>
/// (after a cut, <see cref="InFlight"/> may stay above the new limit until enough attempts end: nothing starts until
/// then). The learning state (baseline, growth credit, last cut) tolerates races between threads: a lost sample or an
/// extra credit moves an estimate a little, never a slot.
/// </para>
/// </remarks>
internal sealed class ConcurrencyLimiter
{
    /// <summary>How long one window of the baseline minimum lasts: the baseline forgets a latency within two of them.</summary>
    internal static readonly TimeSpan BaselineWindow = TimeSpan.FromSeconds(30);

    /// <summary>The least baseline: latencies below it are treated as equal.</summary>
    internal static readonly TimeSpan MinBaseline = TimeSpan.FromMilliseconds(1);

    private readonly int _floor;
    private readonly int _cap;
    private readonly TimeProvider _timeProvider;

    // Both in timestamp units (TimeProvider.TimestampFrequency per second), so a latency needs no conversion.
    private readonly long _windowLength;
    private readonly long _minBaseline;

    private int _limit;
    private int _inFlight;

    // 1 until the first overload: each qualifying success then grows the limit by one instead of by 1/limit.
    private int _slowStart = 1;

    // Qualifying successes since the limit last grew (after slow start): a limit's worth of them grows it by one.
    private int _growthCredit;

    // When the limit was last cut; overloads of attempts that started at or before it are ignored.
    private long _lastCut = long.MinValue;

    // The baseline: the least success latency of the current window and of the previous one, and when the current ends.
    private long _windowMin = long.MaxValue;
    private long _previousWindowMin = long.MaxValue;
    private long _windowEnd = long.MinValue;

    /// <summary>Creates a limiter whose limit starts at <paramref name="floor"/>.</summary>
    /// <param name="floor">The least the limit may be, and where it starts (<see cref="KissmetricsOptions.MinConcurrency"/>).</param>
    /// <param name="cap">The most the limit may be (<see cref="KissmetricsOptions.MaxConcurrency"/>).</param>
    /// <param name="timeProvider">The clock of the attempts' start timestamps and of the baseline windows.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="floor"/> is less than 1, or <paramref name="cap"/> less than <paramref name="floor"/>.</exception>
    public ConcurrencyLimiter(int floor, int cap, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(floor, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, floor);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _floor = floor;
        _cap = cap;
        _limit = floor;
        _timeProvider = timeProvider;
        _windowLength = ToTimestampUnits(BaselineWindow, timeProvider.TimestampFrequency);
        _minBaseline = Math.Max(1, ToTimestampUnits(MinBaseline, timeProvider.TimestampFrequency));
    }

    /// <summary>The current limit on attempts in flight: between the floor and the cap; starts at the floor.</summary>
    public int Limit => Volatile.Read(ref _limit);

    /// <summary>How many slots are held: attempts started and not yet released.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Takes a slot if fewer than <see cref="Limit"/> are held.</summary>
    /// <returns><see langword="true"/> when the caller holds a slot and must <see cref="Release"/> it exactly once; <see langword="false"/> when none is free.</returns>
    public bool TryAcquire()
    {
        // A compare-and-swap loop rather than increment-then-undo: an increment past the limit, even undone at once,
        // would let another thread's check see a count that was never granted.
        int inFlight = Volatile.Read(ref _inFlight);
        while (inFlight < Volatile.Read(ref _limit))
        {
            int seen = Interlocked.CompareExchange(ref _inFlight, inFlight + 1, inFlight);
            if (seen == inFlight)
            {
                return true;
            }

            inFlight = seen;
        }

        return false;
    }

    /// <summary>Hands back a slot taken with <see cref="TryAcquire"/> and learns from how the attempt ended.</summary>
    /// <param name="startTimestamp"><see cref="TimeProvider.GetTimestamp"/> of this limiter's clock when the attempt started.</param>
    /// <param name="signal">What the attempt's end says about the tracker's capacity.</param>
    /// <param name="backlog">Whether requests were waiting for a slot: only then can a bigger limit send more.</param>
    /// <exception cref="InvalidOperationException">No slot is held: a release without an acquire (a bug in the caller).</exception>
    public void Release(long startTimestamp, LimiterSignal signal, bool backlog)
    {
        int inFlightBefore = Interlocked.Decrement(ref _inFlight) + 1;
        if (inFlightBefore <= 0)
        {
            // Put the count back before saying so: a negative count would grant a slot too many.
            Interlocked.Increment(ref _inFlight);
            throw new InvalidOperationException("ConcurrencyLimiter.Release was called without a slot held.");
        }

        if (signal == LimiterSignal.Ignore)
        {
            return;
        }

        long now = _timeProvider.GetTimestamp();
        if (signal == LimiterSignal.Overload)
        {
            OnOverload(startTimestamp, now);
        }
        else
        {
            OnSuccess(Math.Max(0, now - startTimestamp), now, inFlightBefore, backlog);
        }
    }

    private void OnSuccess(long latency, long now, int inFlightBefore, bool backlog)
    {
        // Every success feeds the baseline, backlog or not, so it is fresh when a backlog builds.
        long baseline = Math.Max(_minBaseline, SampleBaseline(latency, now));
        int limit = Volatile.Read(ref _limit);
        if (!backlog || inFlightBefore * 2 < limit || latency - baseline >= baseline)
        {
            return; // nothing waits, the slots were not used, or the latency is twice the baseline or more
        }

        if (Volatile.Read(ref _slowStart) == 0)
        {
            // One slot per limit's worth of qualifying successes. The thread whose credit reaches the limit spends it;
            // should another add credit meanwhile, that one sees the limit reached and spends it instead.
            int credit = Interlocked.Increment(ref _growthCredit);
            if (credit < limit || Interlocked.CompareExchange(ref _growthCredit, 0, credit) != credit)
            {
                return;
            }
        }

        while (limit < _cap)
        {
            int seen = Interlocked.CompareExchange(ref _limit, limit + 1, limit);
            if (seen == limit)
            {
                return;
            }

            limit = seen;
        }
    }

    private void OnOverload(long startTimestamp, long now)
    {
        // Claim the cut: only an attempt started after the last cut may make one, and of several such ending
        // together only the thread that moves the mark does.
        long lastCut = Volatile.Read(ref _lastCut);
        while (true)
        {
            if (startTimestamp <= lastCut)
            {
                return; // sent under the limit before the last cut: that cut has answered it
            }

            long seen = Interlocked.CompareExchange(ref _lastCut, now, lastCut);
            if (seen == lastCut)
            {
                break;
            }

            lastCut = seen;
        }

        Volatile.Write(ref _slowStart, 0);
        Volatile.Write(ref _growthCredit, 0); // credit earned above the old limit says nothing about the new one

        int limit = Volatile.Read(ref _limit);
        while (true)
        {
            int next = Math.Max(_floor, limit * 3 / 4);
            int seen = Interlocked.CompareExchange(ref _limit, next, limit);
            if (seen == limit)
            {
                return;
            }

            limit = seen;
        }
    }

    /// <summary>Adds a success's latency to the windowed minimum and returns the baseline: the least of this window and the last.</summary>
    private long SampleBaseline(long latency, long now)
    {
        long windowEnd = Volatile.Read(ref _windowEnd);
        if (now >= windowEnd && Interlocked.CompareExchange(ref _windowEnd, now + _windowLength, windowEnd) == windowEnd)
        {
            // This thread opens the next window with its own sample; the closing window's minimum becomes the previous one.
            // A sample another thread adds to the closing window meanwhile moves with it, or lands in the new one: both fine.
            Volatile.Write(ref _previousWindowMin, Interlocked.Exchange(ref _windowMin, latency));
        }
        else
        {
            long min = Volatile.Read(ref _windowMin);
            while (latency < min)
            {
                long seen = Interlocked.CompareExchange(ref _windowMin, latency, min);
                if (seen == min)
                {
                    break;
                }

                min = seen;
            }
        }

        return Math.Min(Math.Min(Volatile.Read(ref _windowMin), Volatile.Read(ref _previousWindowMin)), latency);
    }

    private static long ToTimestampUnits(TimeSpan span, long frequency) => (long)(span.TotalSeconds * frequency);
}
