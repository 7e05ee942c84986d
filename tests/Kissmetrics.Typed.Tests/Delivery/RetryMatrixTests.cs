using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Kissmetrics.Typed.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static Kissmetrics.Typed.Tests.Infrastructure.DeliveryTestKit;

namespace Kissmetrics.Typed.Tests.Delivery;

/// <summary>The retry matrix of issue 5 (after PostHog's capture contract), against a real loopback HTTP server.</summary>
public sealed class RetryMatrixTests
{
    [Fact]
    public async Task ServiceUnavailableTwiceThenOkDeliversOnceWithTheSameBytes()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.Enqueue(TrackerResponse.Status(503), TrackerResponse.Status(503), TrackerResponse.Status(200));
        using HttpClient http = NewHttpClient();
        await using var client = NewClient(Options(tracker), http);

        client.Track("bob", new DeliveryEvent(1));
        await FlushAsync(client);

        IReadOnlyList<RecordedRequest> requests = tracker.Requests;
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(requests[0].RawTarget, r.RawTarget));
        Assert.All(requests, r => Assert.Equal(requests[0]["_t"], r["_t"]));
        KissmetricsClientStatistics statistics = client.Statistics;
        Assert.Equal(1, statistics.Delivered);
        Assert.Equal(2, statistics.Retried);
        Assert.Equal(0, statistics.Dropped);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    [InlineData(408)]
    [InlineData(429)]
    public async Task TransientStatusesAreRetried(int status)
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.Enqueue(TrackerResponse.Status(status));
        using HttpClient http = NewHttpClient();
        await using var client = NewClient(Options(tracker), http);

        client.Track("bob", new DeliveryEvent(1), When);
        await FlushAsync(client);

        IReadOnlyList<RecordedRequest> requests = tracker.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal(requests[0].RawTarget, requests[1].RawTarget);
        Assert.Equal((1, 1, 0L), (client.Statistics.Delivered, client.Statistics.Retried, client.Statistics.Dropped));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(413)]
    public async Task OtherClientErrorsAreTriedExactlyOnceAndCountedAsDropped(int status)
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.Enqueue(TrackerResponse.Status(status), TrackerResponse.Status(status), TrackerResponse.Status(status));
        using HttpClient http = NewHttpClient();
        await using var client = NewClient(Options(tracker), http);

        client.Track("bob", new DeliveryEvent(1), When);
        await FlushAsync(client);

        Assert.Single(tracker.Requests);
        KissmetricsClientStatistics statistics = client.Statistics;
        Assert.Equal(1, statistics.Rejected);
        Assert.Equal(1, statistics.Dropped);
        Assert.Equal(0, statistics.Retried);
        Assert.Equal(0, statistics.Delivered);
    }

    [Fact]
    public async Task RetryAfterTwoSecondsIsWaitedOnTheTimeProvidersClock()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.Enqueue(TrackerResponse.Status(429, retryAfterSeconds: 2));
        using HttpClient http = NewHttpClient();
        var time = new FakeTimeProvider(When);
        KissmetricsOptions options = Options(tracker);
        options.RetryBaseDelay = TimeSpan.Zero; // only Retry-After can make it wait
        await using var client = NewClient(options, http, time);

        client.Track("bob", new DeliveryEvent(1));
        TimeSpan waited = await AdvanceUntilRetriedAsync(tracker, client, time);

        Assert.InRange(waited, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5));
        await FlushAsync(client);
        Assert.Equal(1, client.Statistics.Delivered);
        Assert.Equal(tracker.Requests[0].RawTarget, tracker.Requests[1].RawTarget);
    }

    [Fact]
    public async Task RetryAfterAsAnHttpDateIsMeasuredOnTheTimeProvidersClock()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero));
        tracker.Enqueue(TrackerResponse.StatusRetryAt(503, time.GetUtcNow().AddSeconds(3)));
        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = Options(tracker);
        options.RetryBaseDelay = TimeSpan.Zero;
        await using var client = NewClient(options, http, time);

        client.Track("bob", new DeliveryEvent(1));
        TimeSpan waited = await AdvanceUntilRetriedAsync(tracker, client, time);

        // The date is 3 s ahead of the fake clock (and years ahead of the real one, which must not be used).
        Assert.InRange(waited, TimeSpan.FromSeconds(2.9), TimeSpan.FromSeconds(6));
        await FlushAsync(client);
        Assert.Equal(1, client.Statistics.Delivered);
    }

    /// <summary>
    /// After the first answer, moves the fake clock on in 100 ms steps until the retry arrives, and returns how far it
    /// moved: at least the wait asked for, whatever the real scheduling (a late timer only makes the figure larger).
    /// </summary>
    private static async Task<TimeSpan> AdvanceUntilRetriedAsync(LoopbackTracker tracker, KissmetricsClient client, FakeTimeProvider time)
    {
        Task flushed = client.FlushAsync(); // wakes a sender now: the send delay is measured on the fake clock too
        await WaitUntilAsync(() => client.Statistics.Retried == 1, what: "the first answer to be seen");
        TimeSpan advanced = TimeSpan.Zero;
        while (tracker.Requests.Count < 2)
        {
            Assert.True(advanced < TimeSpan.FromSeconds(30), "the retry never came");
            time.Advance(TimeSpan.FromMilliseconds(100));
            advanced += TimeSpan.FromMilliseconds(100);
            await Task.Delay(advanced < TimeSpan.FromSeconds(1.5) ? 5 : 40);
        }

        await flushed.WaitAsync(TestTimeout);
        return advanced;
    }

    [Fact]
    public async Task RetryAfterIsCappedAtMaxRetryDelay()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.Enqueue(TrackerResponse.Status(503, retryAfterSeconds: 3600));
        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = Options(tracker);
        options.MaxRetryDelay = TimeSpan.FromMilliseconds(200);
        await using var client = NewClient(options, http);

        client.Track("bob", new DeliveryEvent(1));
        await FlushAsync(client); // within the test timeout, not an hour

        Assert.Equal(2, tracker.Requests.Count);
        Assert.Equal(1, client.Statistics.Delivered);
    }

    [Fact]
    public async Task AResetConnectionIsRetried()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.Enqueue(TrackerResponse.Abort, TrackerResponse.Abort);
        using HttpClient http = NewHttpClient();
        await using var client = NewClient(Options(tracker), http);

        client.Track("bob", new DeliveryEvent(1), When);
        await FlushAsync(client);

        IReadOnlyList<RecordedRequest> requests = tracker.Requests;
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(requests[0].RawTarget, r.RawTarget));
        Assert.Equal((1, 2), (client.Statistics.Delivered, client.Statistics.Retried));
    }

    [Fact]
    public async Task AHangingServerTimesOutAndIsRetried()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.Enqueue(TrackerResponse.Hang);
        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = Options(tracker);
        options.RequestTimeout = TimeSpan.FromMilliseconds(500);
        await using var client = NewClient(options, http);

        client.Track("bob", new DeliveryEvent(1), When);
        await FlushAsync(client);

        IReadOnlyList<RecordedRequest> requests = tracker.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal(requests[0].RawTarget, requests[1].RawTarget);
        Assert.Equal((1, 1), (client.Statistics.Delivered, client.Statistics.Retried));
    }

    [Fact]
    public async Task EveryRetryOfAPostedRequestSendsTheSameBody()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.Enqueue(TrackerResponse.Status(500), TrackerResponse.Abort, TrackerResponse.Status(503));
        using HttpClient http = NewHttpClient();
        await using var client = NewClient(Options(tracker), http);

        client.Track("bob", new DeliveryEvent(1, new string('x', 3_000)));
        await FlushAsync(client);

        IReadOnlyList<RecordedRequest> requests = tracker.Requests;
        Assert.Equal(4, requests.Count);
        Assert.All(requests, r => Assert.Equal("POST", r.Method));
        Assert.All(requests, r => Assert.Equal(requests[0].RawBody, r.RawBody));
        Assert.All(requests, r => Assert.Equal(requests[0]["_t"], r["_t"]));
    }

    [Fact]
    public async Task PersistentFailuresAreGivenUpAfterMaxAttempts()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.DefaultResponse = TrackerResponse.Status(500);
        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = Options(tracker);
        options.MaxAttempts = 3;
        await using var client = NewClient(options, http);

        client.Track("bob", new DeliveryEvent(1));
        await FlushAsync(client);

        Assert.Equal(3, tracker.Requests.Count);
        Assert.Equal((1, 2, 0), (client.Statistics.GaveUp, client.Statistics.Retried, client.Statistics.Delivered));
    }

    [Fact]
    public async Task RetriesStopAtMaxRetryDuration()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.DefaultResponse = TrackerResponse.Status(503);
        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = Options(tracker);
        options.MaxAttempts = 1_000;
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
        options.MaxRetryDelay = TimeSpan.FromMilliseconds(50);
        options.MaxRetryDuration = TimeSpan.FromMilliseconds(600);
        await using var client = NewClient(options, http);

        DateTime start = DateTime.UtcNow;
        client.Track("bob", new DeliveryEvent(1));
        await FlushAsync(client);

        Assert.InRange(DateTime.UtcNow - start, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10));
        Assert.Equal(1, client.Statistics.GaveUp);
        Assert.InRange(tracker.Requests.Count, 2, 30);
    }

    [Fact]
    public async Task ATrackerDownForAWhileThenUpGetsEverything()
    {
        int port;
        await using (LoopbackTracker first = await LoopbackTracker.StartAsync())
        {
            port = first.BaseAddress.Port;
        }

        KissmetricsOptions options = Options(new Uri($"http://127.0.0.1:{port}/"));
        options.MaxAttempts = 100;
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
        options.MaxRetryDelay = TimeSpan.FromMilliseconds(250);
        using HttpClient http = NewHttpClient();
        await using var client = NewClient(options, http);

        for (int i = 0; i < 50; i++)
        {
            client.Track("person-" + i, new DeliveryEvent(i), When);
        }

        await WaitUntilAsync(() => client.Statistics.Retried >= 8, what: "retries against the stopped tracker");
        Assert.Equal(0, client.Statistics.Delivered);

        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync(port);
        await FlushAsync(client);

        Assert.Equal(50, client.Statistics.Delivered);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i.ToString()), tracker.Requests.Select(r => r["Delivery Test - Index"]).Distinct().OrderBy(int.Parse));
        Assert.Equal(0, client.Statistics.Dropped);
    }
    [Fact]
    public async Task AtDefaultsATenSecondOutageDropsNothing()
    {
        var time = new FakeTimeProvider(When);
        LoopbackTracker down = await LoopbackTracker.StartAsync();
        int port = down.BaseAddress.Port;
        await down.DisposeAsync(); // the tracker is down: connections are refused
        var options = new KissmetricsOptions { ApiKey = ApiKey, Endpoint = new Uri("http://127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/") };
        await using var client = new KissmetricsClient(options, httpClient: null, time, loggerFactory: null);
        for (int i = 0; i < 100; i++)
        {
            client.Track("p", new DeliveryEvent(i), When);
        }

        Task flushed = client.FlushAsync();
        for (int step = 0; step < 100; step++) // 10 s of outage on the client's clock
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(5);
        }

        Assert.True(client.Statistics.Retried >= 100);
        Assert.Equal(0, client.Statistics.Dropped);
        await using LoopbackTracker up = await LoopbackTracker.StartAsync(port); // back
        for (int step = 0; step < 1_200 && !flushed.IsCompleted; step++) // at most two more minutes of the client's clock
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(5);
        }

        await flushed.WaitAsync(TestTimeout);
        Assert.Equal((100L, 0L), (client.Statistics.Delivered, client.Statistics.Dropped));
        Assert.Equal(100, up.Requests.Select(r => r["Delivery Test - Index"]).Distinct().Count());
    }
}
