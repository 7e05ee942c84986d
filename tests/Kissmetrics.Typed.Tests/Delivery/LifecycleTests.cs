using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Tests.Infrastructure;
using Xunit;
using static Kissmetrics.Typed.Tests.Infrastructure.DeliveryTestKit;

namespace Kissmetrics.Typed.Tests.Delivery;

/// <summary>FlushAsync, DisposeAsync and calls around them.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task DisposeDrainsTheQueue()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        using HttpClient http = NewHttpClient();
        var client = NewClient(Options(tracker), http);

        for (int i = 0; i < 500; i++)
        {
            client.Track("p", new DeliveryEvent(i), When);
        }

        await client.DisposeAsync().AsTask().WaitAsync(TestTimeout);

        Assert.Equal(500, tracker.Requests.Count);
        Assert.Equal(500, client.Statistics.Delivered);
        Assert.Equal(0, client.Statistics.Dropped);
    }

    [Fact]
    public async Task DisposeTwiceAndConcurrentlyIsHarmless()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        using HttpClient http = NewHttpClient();
        var client = NewClient(Options(tracker), http);
        client.Alias("a", "b");

        await Task.WhenAll(client.DisposeAsync().AsTask(), client.DisposeAsync().AsTask(), Task.Run(client.Dispose)).WaitAsync(TestTimeout);
        await client.DisposeAsync();
        client.Dispose();

        Assert.Equal(1, client.Statistics.Delivered);
    }

    [Fact]
    public async Task CallsAfterDisposeAreIgnoredAndCounted()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        using HttpClient http = NewHttpClient();
        var client = NewClient(Options(tracker), http);
        await client.DisposeAsync();

        client.Track("p", new DeliveryEvent(1), When);
        client.Alias("a", "b");
        await client.FlushAsync().WaitAsync(TestTimeout);

        Assert.Equal(2, client.Statistics.DroppedAfterDispose);
        Assert.Equal(0, client.Statistics.Accepted);
        Assert.Empty(tracker.Requests);
    }

    [Theory]
    [InlineData(KissmetricsQueueFullMode.DropNewest)]
    [InlineData(KissmetricsQueueFullMode.DropOldest)]
    [InlineData(KissmetricsQueueFullMode.Wait)]
    public async Task CallsRacingDisposeAreCountedAsAfterDisposeNotAsAFullQueue(KissmetricsQueueFullMode mode)
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = Options(tracker);
        options.QueueFullMode = mode;

        // Room for every call the loop makes before dispose begins (tens of thousands at about a microsecond each,
        // faster than the loopback tracker takes them): a queue that fills up before dispose drops legitimately, and
        // this test is about the calls that race dispose.
        options.MaxQueueLength = 2_000_000;
        options.MaxQueueBytes = 2_000_000L * 1024; // the byte bound (32 MiB by default, ~130,000 of these) must not fill first either
        var client = NewClient(options, http);
        using var stop = new CancellationTokenSource();
        int calls = 0;
        var started = new ManualResetEventSlim();

        var caller = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                client.Track("p", new DeliveryEvent(calls), When);
                calls++;
                started.Set();
            }
        });
        caller.Start();
        started.Wait(TestTimeout);
        await Task.Delay(20);
        await client.DisposeAsync().AsTask().WaitAsync(TestTimeout);
        await Task.Delay(20);
        stop.Cancel();
        Assert.True(caller.Join(TestTimeout));

        KissmetricsClientStatistics statistics = client.Statistics;
        Assert.Equal(0, statistics.DroppedQueueFull);
        Assert.True(statistics.DroppedAfterDispose > 0);
        Assert.Equal(calls, statistics.Accepted + statistics.DroppedAfterDispose);
        Assert.Equal(statistics.Accepted, statistics.Delivered + statistics.DroppedAtShutdown + statistics.InFlightAtShutdown);
    }

    [Fact]
    public async Task DisposeStopsAtItsDeadlineAndCountsWhatWasNotSent()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.DefaultResponse = TrackerResponse.Hang;
        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = Options(tracker);
        options.RequestTimeout = TimeSpan.FromSeconds(30);
        options.ShutdownTimeout = TimeSpan.FromMilliseconds(300);
        options.MaxConcurrency = 2;
        var client = NewClient(options, http);
        for (int i = 0; i < 10; i++)
        {
            client.Track("p", new DeliveryEvent(i), When);
        }

        await tracker.WaitForRequestsAsync(2);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await client.DisposeAsync().AsTask().WaitAsync(TestTimeout);

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(15));
        KissmetricsClientStatistics statistics = client.Statistics;
        Assert.Equal(2, tracker.Requests.Count);
        Assert.Equal(2, statistics.InFlightAtShutdown); // the two the tracker received: outcome unknown
        Assert.Equal(8, statistics.DroppedAtShutdown); // never written
        Assert.Equal(0, statistics.Delivered);
        Assert.Equal(statistics.Accepted, statistics.Delivered + statistics.Dropped + statistics.KeptInSpool + statistics.InFlightAtShutdown);
    }

    [Fact]
    public async Task FlushAfterAFailureBurstCompletesAndDeliveryGoesOn()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.DefaultResponse = TrackerResponse.Status(500);
        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = Options(tracker);
        options.MaxAttempts = 2;
        await using var client = NewClient(options, http);

        for (int i = 0; i < 100; i++)
        {
            client.Track("p", new DeliveryEvent(i), When);
        }

        await FlushAsync(client);
        Assert.Equal(100, client.Statistics.GaveUp);
        Assert.Equal(100, client.Statistics.Retried);

        tracker.DefaultResponse = null;
        client.Track("p", new DeliveryEvent(100), When);
        await FlushAsync(client);
        Assert.Equal(1, client.Statistics.Delivered);
    }

    [Fact]
    public async Task FlushWaitsForAnEarlierRequestEvenWhenLaterOnesFinishFirst()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        var release = new TaskCompletionSource();
        tracker.Enqueue(TrackerResponse.WaitFor(release.Task));
        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = Options(tracker);
        options.MaxConcurrency = 2;
        await using var client = NewClient(options, http);

        client.Track("p", new DeliveryEvent(0), When); // held by the tracker
        await tracker.WaitForRequestsAsync(1);
        client.Track("p", new DeliveryEvent(1), When); // delivered by the other sender
        Task flush = client.FlushAsync();
        await WaitUntilAsync(() => client.Statistics.Delivered == 1);
        await Task.Delay(100);
        Assert.False(flush.IsCompleted);

        release.SetResult();
        await flush.WaitAsync(TestTimeout);
        Assert.Equal(2, client.Statistics.Delivered);
    }

    [Fact]
    public async Task FlushCanBeCanceledAndTheRequestsStayQueued()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        var release = new TaskCompletionSource();
        tracker.Enqueue(TrackerResponse.WaitFor(release.Task));
        using HttpClient http = NewHttpClient();
        await using var client = NewClient(Options(tracker), http);

        client.Track("p", new DeliveryEvent(0), When);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.FlushAsync(cancel.Token));

        release.SetResult();
        await FlushAsync(client);
        Assert.Equal(1, client.Statistics.Delivered);
    }

    [Fact]
    public async Task FlushWithNothingPendingCompletesAtOnce()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        using HttpClient http = NewHttpClient();
        await using var client = NewClient(Options(tracker), http);
        Assert.True(client.FlushAsync().IsCompleted);
    }

    [Fact]
    public void InvalidOptionsThrowBeforeAnythingIsCreated()
    {
        var options = new KissmetricsOptions { ApiKey = "k", MaxConcurrency = 0, SpoolDirectory = "/dev/null/not-a-directory" };
        var exception = Assert.Throws<KissmetricsConfigurationException>(() => new KissmetricsClient(options));
        Assert.Contains("MaxConcurrency", exception.Message, StringComparison.Ordinal);
    }
}
