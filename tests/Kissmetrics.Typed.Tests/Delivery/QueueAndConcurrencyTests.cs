using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Tests.Infrastructure;
using Xunit;
using static Kissmetrics.Typed.Tests.Infrastructure.DeliveryTestKit;

namespace Kissmetrics.Typed.Tests.Delivery;

/// <summary>The bounded queue, its full policies (exact counts) and concurrent sending.</summary>
public sealed class QueueAndConcurrencyTests
{
    private static KissmetricsOptions GatedOptions(int capacity, KissmetricsQueueFullMode mode) => new()
    {
        ApiKey = ApiKey,
        Endpoint = new Uri("http://127.0.0.1:9/"), // never reached: the gate handler answers
        MaxQueueLength = capacity,
        QueueFullMode = mode,
        MaxConcurrency = 1,
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Starts a client whose one sender holds request 0 at the gate, so the queue then fills deterministically.</summary>
    private static async Task<KissmetricsClient> StartHeldAsync(KissmetricsOptions options, GateHandler gate)
    {
        var client = new KissmetricsClient(options, new HttpClient(gate));
        client.Track("p", new DeliveryEvent(0), When);
        await WaitUntilAsync(() => gate.Waiting == 1, what: "request 0 at the gate");
        return client;
    }

    [Fact]
    public async Task DropNewestKeepsTheFirstRequestsAndCountsEveryOtherOne()
    {
        var gate = new GateHandler();
        await using KissmetricsClient client = await StartHeldAsync(GatedOptions(10, KissmetricsQueueFullMode.DropNewest), gate);

        for (int i = 1; i <= 25; i++)
        {
            client.Track("p", new DeliveryEvent(i), When);
        }

        KissmetricsClientStatistics statistics = client.Statistics;
        Assert.Equal(11, statistics.Accepted); // 1 at the gate + 10 queued
        Assert.Equal(15, statistics.DroppedQueueFull);
        Assert.Equal(10, statistics.Queued);

        gate.Open();
        await FlushAsync(client);
        Assert.Equal(11, client.Statistics.Delivered);
        Assert.Equal(11, gate.Sent);
    }

    [Fact]
    public async Task DropOldestKeepsTheNewestRequests()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        var release = new TaskCompletionSource();
        tracker.Enqueue(TrackerResponse.WaitFor(release.Task));
        KissmetricsOptions options = Options(tracker);
        options.MaxQueueLength = 10;
        options.QueueFullMode = KissmetricsQueueFullMode.DropOldest;
        options.MaxConcurrency = 1;
        using HttpClient http = NewHttpClient();
        await using var client = NewClient(options, http);

        client.Track("p", new DeliveryEvent(0), When);
        await tracker.WaitForRequestsAsync(1);
        for (int i = 1; i <= 25; i++)
        {
            client.Track("p", new DeliveryEvent(i), When);
        }

        Assert.Equal(15, client.Statistics.DroppedQueueFull);
        release.SetResult();
        await FlushAsync(client);

        Assert.Equal(11, client.Statistics.Delivered);
        Assert.Equal(
            new[] { 0 }.Concat(Enumerable.Range(16, 10)),
            tracker.Requests.Select(r => int.Parse(r["Delivery Test - Index"], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task WaitGivesUpAfterItsTimeoutAndCountsTheDrop()
    {
        var gate = new GateHandler();
        KissmetricsOptions options = GatedOptions(5, KissmetricsQueueFullMode.Wait);
        options.QueueFullWaitTimeout = TimeSpan.FromMilliseconds(200);
        await using KissmetricsClient client = await StartHeldAsync(options, gate);
        for (int i = 1; i <= 5; i++)
        {
            client.Track("p", new DeliveryEvent(i), When);
        }

        var clock = Stopwatch.StartNew();
        client.Track("p", new DeliveryEvent(6), When); // blocks for room that never comes
        client.Track("p", new DeliveryEvent(7), When);
        clock.Stop();

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(380), TimeSpan.FromSeconds(10));
        Assert.Equal(2, client.Statistics.DroppedQueueFull);
        gate.Open();
        await FlushAsync(client);
        Assert.Equal(6, client.Statistics.Delivered);
    }

    [Fact]
    public async Task WaitBlocksUntilASenderMakesRoom()
    {
        var gate = new GateHandler();
        KissmetricsOptions options = GatedOptions(5, KissmetricsQueueFullMode.Wait);
        options.QueueFullWaitTimeout = TimeSpan.FromSeconds(20);
        await using KissmetricsClient client = await StartHeldAsync(options, gate);
        for (int i = 1; i <= 5; i++)
        {
            client.Track("p", new DeliveryEvent(i), When);
        }

        Task blocked = Task.Run(() => client.Track("p", new DeliveryEvent(6), When));
        await Task.Delay(200);
        Assert.False(blocked.IsCompleted);

        gate.Open();
        await blocked.WaitAsync(TestTimeout);
        await FlushAsync(client);
        Assert.Equal(7, client.Statistics.Delivered);
        Assert.Equal(0, client.Statistics.DroppedQueueFull);
    }

    [Fact]
    public async Task FourThreadsOfTenThousandCallsAreEachDeliveredExactlyOnce()
    {
        const int Threads = 4, Calls = 10_000;
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        KissmetricsOptions options = Options(tracker);
        options.MaxQueueLength = 2_000; // smaller than the burst: the callers are held back, nothing dropped
        options.QueueFullMode = KissmetricsQueueFullMode.Wait;
        options.QueueFullWaitTimeout = TimeSpan.FromSeconds(60);
        using HttpClient http = NewHttpClient();
        await using var client = NewClient(options, http);

        Thread[] threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            for (int i = 0; i < Calls; i++)
            {
                client.Track("thread-" + t, new DeliveryEvent((t * Calls) + i), When);
            }
        })).ToArray();
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            Assert.True(thread.Join(TimeSpan.FromSeconds(120)));
        }

        await FlushAsync(client);

        IReadOnlyList<RecordedRequest> requests = tracker.Requests;
        Assert.Equal(Threads * Calls, requests.Count);
        int[] indexes = requests.Select(r => int.Parse(r["Delivery Test - Index"], System.Globalization.CultureInfo.InvariantCulture)).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, Threads * Calls), indexes);
        KissmetricsClientStatistics statistics = client.Statistics;
        Assert.Equal(Threads * Calls, statistics.Accepted);
        Assert.Equal(Threads * Calls, statistics.Delivered);
        Assert.Equal(0, statistics.Dropped);
        Assert.InRange(tracker.MaxConcurrentRequests, 2, options.MaxConcurrency);
    }

    [Fact]
    public async Task MaxConcurrencyRequestsAreInFlightAtOnce()
    {
        var gate = new GateHandler();
        var options = new KissmetricsOptions { ApiKey = ApiKey, Endpoint = new Uri("http://127.0.0.1:9/"), MaxConcurrency = 3 };
        await using var client = new KissmetricsClient(options, new HttpClient(gate));

        for (int i = 0; i < 10; i++)
        {
            client.Track("p", new DeliveryEvent(i), When);
        }

        await WaitUntilAsync(() => gate.Waiting == 3, what: "three requests in flight");
        await Task.Delay(100);
        Assert.Equal(3, gate.Waiting);
        Assert.Equal(7, client.Statistics.Queued);
        gate.Open();
        await FlushAsync(client);
        Assert.Equal(10, client.Statistics.Delivered);
    }
}
