using System;
using System.Collections.Generic;
using System.Threading;
using Kissmetrics.Typed.Delivery.Dispatch;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Kissmetrics.Typed.Tests.Delivery.Dispatch;

/// <summary>
/// The adaptive in-flight limit: exact slots, growth only on a used backlog at steady latency, a cut of a quarter once
/// per round trip on overload, its bounds under contention, convergence on a server's capacity, and no allocation.
/// </summary>
public sealed class ConcurrencyLimiterTests
{
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void StartsAtTheFloorAndGrantsNoSlotPastTheLimit()
    {
        var time = new FakeTimeProvider();
        var limiter = new ConcurrencyLimiter(4, 64, time);
        Assert.Equal(4, limiter.Limit);
        Assert.Equal(0, limiter.InFlight);

        for (int i = 0; i < 4; i++)
        {
            Assert.True(limiter.TryAcquire());
        }

        Assert.False(limiter.TryAcquire());
        Assert.Equal(4, limiter.InFlight);

        limiter.Release(time.GetTimestamp(), LimiterSignal.Success, backlog: false);
        Assert.Equal(3, limiter.InFlight);
        Assert.True(limiter.TryAcquire());
        Assert.False(limiter.TryAcquire());
    }

    [Fact]
    public void RejectsBoundsThatCannotWorkAndAReleaseWithoutASlot()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConcurrencyLimiter(0, 8, TimeProvider.System));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConcurrencyLimiter(8, 7, TimeProvider.System));
        Assert.Throws<ArgumentNullException>(() => new ConcurrencyLimiter(1, 8, null!));

        var limiter = new ConcurrencyLimiter(1, 8, TimeProvider.System);
        Assert.Throws<InvalidOperationException>(() => limiter.Release(0, LimiterSignal.Success, backlog: true));
        Assert.Equal(0, limiter.InFlight); // the count was put back: still exactly one slot to grant
        Assert.True(limiter.TryAcquire());
        Assert.False(limiter.TryAcquire());
    }

    [Fact]
    public void SteadyLatencyWithABacklogGrowsToTheCapAndStopsThere()
    {
        var time = new FakeTimeProvider();
        var limiter = new ConcurrencyLimiter(4, 64, time);
        var driver = new Driver(limiter, time, _ => (Latency, LimiterSignal.Success));

        // Slow start doubles the limit every round trip: 4 -> 64 is four of them, at most 4 + 8 + 16 + 32 + 64 releases.
        driver.Run(200, backlog: true);
        Assert.Equal(64, limiter.Limit);

        driver.Run(5_000, backlog: true);
        Assert.Equal(64, limiter.Limit);
        Assert.Equal(63, limiter.InFlight); // every slot in use but the one just released, none past the cap
    }

    [Fact]
    public void WithoutABacklogTheLimitDoesNotGrow()
    {
        var time = new FakeTimeProvider();
        var limiter = new ConcurrencyLimiter(4, 64, time);
        new Driver(limiter, time, _ => (Latency, LimiterSignal.Success)).Run(2_000, backlog: false);
        Assert.Equal(4, limiter.Limit);
    }

    [Fact]
    public void WhenTheSlotsAreNotUsedTheLimitDoesNotGrow()
    {
        var time = new FakeTimeProvider();
        var limiter = new ConcurrencyLimiter(4, 64, time);

        // One attempt at a time, though a backlog is reported: the bottleneck is elsewhere, a bigger limit would not help.
        for (int i = 0; i < 2_000; i++)
        {
            Assert.True(limiter.TryAcquire());
            long start = time.GetTimestamp();
            time.Advance(Latency);
            limiter.Release(start, LimiterSignal.Success, backlog: true);
        }

        Assert.Equal(4, limiter.Limit);

        // Two of four in use is half: that is use enough.
        Assert.True(limiter.TryAcquire());
        Assert.True(limiter.TryAcquire());
        long started = time.GetTimestamp();
        time.Advance(Latency);
        limiter.Release(started, LimiterSignal.Success, backlog: true);
        limiter.Release(started, LimiterSignal.Success, backlog: true);
        Assert.Equal(5, limiter.Limit);
    }

    [Fact]
    public void LatencyDoublingStopsGrowthUntilTheBaselineHasForgottenTheOldLatency()
    {
        var time = new FakeTimeProvider();
        var limiter = new ConcurrencyLimiter(4, 512, time);
        TimeSpan latency = Latency;
        var driver = new Driver(limiter, time, _ => (latency, LimiterSignal.Success));
        driver.RunWhile(() => limiter.Limit < 32, backlog: true);

        latency = 2 * Latency;
        long switched = time.GetTimestamp();
        driver.RunWhile(() => driver.OldestStart <= switched, backlog: true); // the attempts sent at the old latency end
        int limit = limiter.Limit;

        // 20 seconds at twice the baseline: within the baseline's memory, not one slot more.
        TimeSpan until = time.GetElapsedTime(switched) + TimeSpan.FromSeconds(20);
        driver.RunWhile(() => time.GetElapsedTime(switched) < until, backlog: true);
        Assert.Equal(limit, limiter.Limit);

        // Two windows on, the doubled latency is the baseline and growth resumes.
        driver.RunWhile(() => time.GetElapsedTime(switched) < 2 * ConcurrencyLimiter.BaselineWindow + TimeSpan.FromSeconds(5), backlog: true);
        Assert.True(limiter.Limit > limit, $"the limit stayed at {limiter.Limit}");
    }

    [Fact]
    public void AnOverloadCutsAQuarterOncePerRoundTripAndNeverBelowTheFloor()
    {
        var time = new FakeTimeProvider();
        var limiter = new ConcurrencyLimiter(4, 512, time);
        var driver = new Driver(limiter, time, _ => (Latency, LimiterSignal.Success));
        driver.RunWhile(() => limiter.Limit < 40, backlog: true);
        driver.Drain();
        int limit = limiter.Limit;

        // Ten attempts overloaded at the same moment: the first cuts, the other nine were sent under the old limit.
        long start = time.GetTimestamp();
        for (int i = 0; i < 10; i++)
        {
            Assert.True(limiter.TryAcquire());
        }

        time.Advance(Latency);
        limiter.Release(start, LimiterSignal.Overload, backlog: true);
        Assert.Equal(limit * 3 / 4, limiter.Limit);
        for (int i = 0; i < 9; i++)
        {
            limiter.Release(start, LimiterSignal.Overload, backlog: true);
        }

        Assert.Equal(limit * 3 / 4, limiter.Limit);

        // An attempt sent after the cut that is overloaded too cuts again.
        time.Advance(TimeSpan.FromMilliseconds(1));
        Overload(limiter, time);
        Assert.Equal(limit * 3 / 4 * 3 / 4, limiter.Limit);

        for (int i = 0; i < 50; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            Overload(limiter, time);
            Assert.True(limiter.Limit >= 4);
        }

        Assert.Equal(4, limiter.Limit);
        Assert.Equal(0, limiter.InFlight);

        static void Overload(ConcurrencyLimiter limiter, FakeTimeProvider time)
        {
            Assert.True(limiter.TryAcquire());
            long start = time.GetTimestamp();
            time.Advance(Latency);
            limiter.Release(start, LimiterSignal.Overload, backlog: true);
        }
    }

    [Fact]
    public void AfterTheFirstOverloadGrowthIsAboutOneSlotPerRoundTrip()
    {
        var time = new FakeTimeProvider();
        var limiter = new ConcurrencyLimiter(4, 512, time);
        var driver = new Driver(limiter, time, _ => (Latency, LimiterSignal.Success));
        driver.RunWhile(() => limiter.Limit < 40, backlog: true);
        driver.Drain();
        Assert.True(limiter.TryAcquire());
        long start = time.GetTimestamp();
        time.Advance(Latency);
        limiter.Release(start, LimiterSignal.Overload, backlog: true);
        int cut = limiter.Limit;

        // Ten round trips of full slots: ten slots more, give or take the one in progress.
        time.Advance(TimeSpan.FromMilliseconds(1));
        driver.RunWhile(() => time.GetElapsedTime(start) < (10 * Latency) + Latency, backlog: true);
        Assert.InRange(limiter.Limit, cut + 8, cut + 11);
    }

    [Fact]
    public void IgnoreChangesNothingButFreesTheSlot()
    {
        var time = new FakeTimeProvider();
        var limiter = new ConcurrencyLimiter(4, 512, time);
        var driver = new Driver(limiter, time, _ => (Latency, LimiterSignal.Success));
        driver.RunWhile(() => limiter.Limit < 20, backlog: true);
        driver.Drain();
        int limit = limiter.Limit;

        for (int round = 0; round < 100; round++)
        {
            long start = time.GetTimestamp();
            while (limiter.TryAcquire())
            {
            }

            Assert.Equal(limit, limiter.InFlight);
            time.Advance(round % 2 == 0 ? Latency : 10 * Latency); // neither a steady nor a slow answer counts
            for (int i = 0; i < limit; i++)
            {
                limiter.Release(start, LimiterSignal.Ignore, backlog: true);
            }

            Assert.Equal(0, limiter.InFlight);
            Assert.Equal(limit, limiter.Limit);
        }
    }

    [Fact]
    public void UnderContentionNoSlotIsLeakedOrGrantedPastTheCap()
    {
        const int Floor = 2;
        const int Cap = 16;
        const int Threads = 4;
        const int ReleasesPerThread = 100_000;
        var limiter = new ConcurrencyLimiter(Floor, Cap, TimeProvider.System);
        int held = 0;
        int mostHeld = 0;
        int outOfBounds = 0;
        int highestLimit = 0;
        Exception? failure = null;
        using var start = new Barrier(Threads);

        var threads = new Thread[Threads];
        for (int t = 0; t < Threads; t++)
        {
            int seed = t;
            threads[t] = new Thread(() =>
            {
                try
                {
                    Hammer(seed);
                }
                catch (Exception exception)
                {
                    // Kept for the assertion below: thrown on a thread of its own, it would take the test host down.
                    Interlocked.CompareExchange(ref failure, exception, null);
                }
            });
            threads[t].Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        Assert.Null(failure);
        Assert.Equal(0, outOfBounds);
        Assert.InRange(mostHeld, 1, Cap);
        Assert.True(highestLimit > Floor, "the limit never grew: the growth path was not exercised"); // not a weak test by accident
        Assert.Equal(0, held);
        Assert.Equal(0, limiter.InFlight);
        Assert.InRange(limiter.Limit, Floor, Cap);

        void Hammer(int seed)
        {
            var random = new Random(seed);
            var starts = new long[8]; // each thread holds up to 8 slots: 32 wanted, 16 at most granted
            int count = 0;
            int releases = 0;
            start.SignalAndWait();
            while (releases < ReleasesPerThread || count > 0)
            {
                if (count < starts.Length && releases < ReleasesPerThread && random.Next(2) == 0 && limiter.TryAcquire())
                {
                    int now = Interlocked.Increment(ref held);
                    InterlockedMax(ref mostHeld, now);
                    starts[count++] = TimeProvider.System.GetTimestamp();
                }
                else if (count > 0)
                {
                    // Counted down before the release: once released, the slot may be another thread's at once.
                    Interlocked.Decrement(ref held);
                    int roll = random.Next(100);
                    LimiterSignal signal = roll < 80 ? LimiterSignal.Success : roll < 90 ? LimiterSignal.Ignore : LimiterSignal.Overload;
                    limiter.Release(starts[--count], signal, backlog: random.Next(4) != 0);
                    releases++;
                }

                int limit = limiter.Limit;
                InterlockedMax(ref highestLimit, limit);
                if (limit < Floor || limit > Cap || limiter.InFlight > Cap)
                {
                    Interlocked.Increment(ref outOfBounds);
                }
            }
        }

        static void InterlockedMax(ref int location, int value)
        {
            int seen = Volatile.Read(ref location);
            while (value > seen)
            {
                int previous = Interlocked.CompareExchange(ref location, value, seen);
                if (previous == seen)
                {
                    return;
                }

                seen = previous;
            }
        }
    }

    [Theory]
    [InlineData(10)]
    [InlineData(40)]
    [InlineData(200)]
    public void AgainstAServerOfFixedCapacityTheLimitSettlesAroundThatCapacity(int capacity)
    {
        var time = new FakeTimeProvider();
        var limiter = new ConcurrencyLimiter(4, 512, time);
        var random = new Random(capacity);
        int active = 0;
        int served = 0;
        int refused = 0;

        // The server serves up to `capacity` at once in 90-110 ms and refuses the rest at once (503 in 5 ms).
        var driver = new Driver(limiter, time, _ =>
        {
            if (active < capacity)
            {
                active++;
                served++;
                return (TimeSpan.FromMilliseconds(90 + random.Next(21)), LimiterSignal.Success);
            }

            refused++;
            return (TimeSpan.FromMilliseconds(5), LimiterSignal.Overload);
        });
        driver.Ended = signal =>
        {
            if (signal == LimiterSignal.Success)
            {
                active--;
            }
        };

        long begin = time.GetTimestamp();
        driver.RunWhile(() => time.GetElapsedTime(begin) < TimeSpan.FromSeconds(30), backlog: true); // settle
        int servedBefore = served;
        int refusedBefore = refused;
        int least = int.MaxValue;
        int most = 0;
        long sum = 0;
        long samples = 0;
        driver.Ended += _ =>
        {
            int limit = limiter.Limit;
            least = Math.Min(least, limit);
            most = Math.Max(most, limit);
            sum += limit;
            samples++;
        };
        driver.RunWhile(() => time.GetElapsedTime(begin) < TimeSpan.FromSeconds(150), backlog: true);

        double mean = (double)sum / samples;
        Assert.True(least >= 0.7 * capacity, $"capacity {capacity}: the limit fell to {least}");
        Assert.True(most <= (1.1 * capacity) + 1, $"capacity {capacity}: the limit rose to {most}");
        Assert.True(mean >= 0.8 * capacity && mean <= capacity, $"capacity {capacity}: the mean limit was {mean:F1}");

        // The server was rarely refused once settled: about one probe past its capacity per sawtooth, and a sawtooth
        // climbs from 3/4 of the capacity one slot per round trip, so it carries about capacity / 4 round trips of
        // 7/8 capacity attempts each. Half as much again is allowed.
        double refusedShare = (double)(refused - refusedBefore) / (served - servedBefore + refused - refusedBefore);
        double onePerSawtooth = 1.0 / (capacity / 4.0 * (0.875 * capacity));
        Assert.True(refusedShare < 1.5 * onePerSawtooth, $"capacity {capacity}: {refusedShare:P3} refused");
    }

    [Fact]
    public void AcquireAndReleaseAllocateNothing()
    {
        var limiter = new ConcurrencyLimiter(4, 64, TimeProvider.System);
        var starts = new long[8];
        var signals = new[] { LimiterSignal.Success, LimiterSignal.Success, LimiterSignal.Success, LimiterSignal.Ignore, LimiterSignal.Overload };

        Cycle(limiter, starts, signals, 10_000); // warm-up: every path taken and jitted
        long before = GC.GetAllocatedBytesForCurrentThread();
        Cycle(limiter, starts, signals, 100_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(0, limiter.InFlight);

        static void Cycle(ConcurrencyLimiter limiter, long[] starts, LimiterSignal[] signals, int releases)
        {
            // Up to eight held at once so that growth (a used backlog) is on the measured path as well as cuts.
            int count = 0;
            for (int i = 0; i < releases; i++)
            {
                while (count < starts.Length && limiter.TryAcquire())
                {
                    starts[count++] = TimeProvider.System.GetTimestamp();
                }

                limiter.Release(starts[--count], signals[i % signals.Length], backlog: true);
            }

            while (count > 0)
            {
                limiter.Release(starts[--count], LimiterSignal.Ignore, backlog: false);
            }
        }
    }

    /// <summary>
    /// Plays the dispatcher against a fake clock: keeps every granted slot busy with an attempt whose latency and
    /// outcome <c>start</c> decides when it begins, and ends the attempts in the order they are due.
    /// </summary>
    private sealed class Driver
    {
        private readonly ConcurrencyLimiter _limiter;
        private readonly FakeTimeProvider _time;
        private readonly Func<long, (TimeSpan Latency, LimiterSignal Signal)> _start;
        private readonly PriorityQueue<(long Start, LimiterSignal Signal), long> _pending = new();

        public Driver(ConcurrencyLimiter limiter, FakeTimeProvider time, Func<long, (TimeSpan Latency, LimiterSignal Signal)> start)
        {
            _limiter = limiter;
            _time = time;
            _start = start;
        }

        /// <summary>Hears each attempt's end, after its release.</summary>
        public Action<LimiterSignal>? Ended { get; set; }

        /// <summary>When the oldest attempt in flight started; <see cref="long.MaxValue"/> when none is.</summary>
        public long OldestStart
        {
            get
            {
                long oldest = long.MaxValue;
                foreach (((long Start, LimiterSignal Signal) Element, long Priority) item in _pending.UnorderedItems)
                {
                    oldest = Math.Min(oldest, item.Element.Start);
                }

                return oldest;
            }
        }

        public void Run(int releases, bool backlog)
        {
            int done = 0;
            RunWhile(() => done++ < releases, backlog);
        }

        public void RunWhile(Func<bool> condition, bool backlog)
        {
            while (condition())
            {
                while (_limiter.TryAcquire())
                {
                    long now = _time.GetTimestamp();
                    (TimeSpan latency, LimiterSignal signal) = _start(now);
                    _pending.Enqueue((now, signal), now + latency.Ticks);
                }

                EndNext(backlog);
            }
        }

        /// <summary>Ends every attempt in flight, without refilling the slots.</summary>
        public void Drain()
        {
            while (_pending.Count > 0)
            {
                EndNext(backlog: false);
            }
        }

        private void EndNext(bool backlog)
        {
            _pending.TryDequeue(out (long Start, LimiterSignal Signal) attempt, out long due);
            long now = _time.GetTimestamp();
            if (due > now)
            {
                _time.Advance(TimeSpan.FromTicks(due - now));
            }

            _limiter.Release(attempt.Start, attempt.Signal, backlog);
            Ended?.Invoke(attempt.Signal);
        }
    }
}
