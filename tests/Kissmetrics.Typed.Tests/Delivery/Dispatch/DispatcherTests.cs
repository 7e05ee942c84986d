using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Delivery.Transport;
using Kissmetrics.Typed.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static Kissmetrics.Typed.Tests.Infrastructure.DeliveryTestKit;

namespace Kissmetrics.Typed.Tests.Delivery.Dispatch;

/// <summary>The dispatch protocol through the client, with a transport the test answers by hand: in-flight limits, retries that hold no slot, bounds, shutdown.</summary>
public sealed class DispatcherTests
{
    private static KissmetricsOptions ScriptedOptions(int concurrency) => new()
    {
        ApiKey = ApiKey,
        Endpoint = new Uri("http://127.0.0.1:9/"),
        MinConcurrency = concurrency,
        MaxConcurrency = concurrency,
        SendDelay = TimeSpan.Zero,
        ShutdownTimeout = TimeSpan.FromSeconds(5),
    };

    private static KissmetricsClient Client(KissmetricsOptions options, ScriptedTransport transport, TimeProvider? time = null) =>
        new(options, httpClient: null, ownsHttp: false, time ?? TimeProvider.System, loggerFactory: null, meterFactory: null, transport);

    [Fact]
    public async Task TheLimitsWorthOfAttemptsAreInFlightAtOnceAndEachEndStartsTheNext()
    {
        var transport = new ScriptedTransport();
        await using KissmetricsClient client = Client(ScriptedOptions(64), transport);
        for (int i = 0; i < 200; i++)
        {
            client.Track("p", new DeliveryEvent(i), When);
        }

        await WaitUntilAsync(() => transport.InFlight == 64, what: "64 attempts in flight");
        await Task.Delay(50);
        Assert.Equal(64, transport.InFlight);
        Assert.Equal(136, client.Statistics.Queued);

        Task flushed = client.FlushAsync();
        while (!flushed.IsCompleted)
        {
            transport.AnswerAll(AttemptResult.Answered(200));
            await Task.Delay(5);
        }

        await flushed;
        Assert.Equal(200, client.Statistics.Delivered);
        Assert.Equal(64, transport.MaxInFlight);
        Assert.Equal(200, transport.Sent);
    }

    [Fact]
    public async Task ARequestWaitingOutItsBackoffHoldsNoSlot()
    {
        var time = new FakeTimeProvider(When);
        var transport = new ScriptedTransport();
        KissmetricsOptions options = ScriptedOptions(1);
        options.RetryBaseDelay = TimeSpan.FromMinutes(1);
        options.MaxRetryDelay = TimeSpan.FromMinutes(5);
        options.MaxRetryDuration = TimeSpan.FromHours(1);
        await using KissmetricsClient client = Client(options, transport, time);
        for (int i = 0; i < 4; i++)
        {
            client.Track("p", new DeliveryEvent(i), When);
        }

        ScriptedTransport.PendingAttempt first = await NextAttemptAsync(transport);
        Assert.Equal(0, first.Index);
        first.Answer(AttemptResult.Answered(503));

        // With one slot, the others go out while request 0 waits for its retry: the clock has not moved.
        var order = new List<int>();
        for (int i = 0; i < 3; i++)
        {
            ScriptedTransport.PendingAttempt next = await NextAttemptAsync(transport);
            order.Add(next.Index);
            next.Answer(AttemptResult.Answered(200));
        }

        Assert.Equal(new[] { 1, 2, 3 }, order);
        await WaitUntilAsync(() => client.Statistics.Delivered == 3, what: "three delivered");
        Assert.Equal(1, client.Statistics.Queued); // request 0, held for its retry

        ScriptedTransport.PendingAttempt? retry = null;
        for (int step = 0; step < 60 && retry is null; step++)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            await Task.Delay(5);
            if (transport.TryTake(out ScriptedTransport.PendingAttempt taken))
            {
                retry = taken;
            }
        }

        Assert.NotNull(retry);
        Assert.Equal(0, retry.Index);
        retry.Answer(AttemptResult.Answered(200));
        await client.FlushAsync().WaitAsync(TestTimeout);
        KissmetricsClientStatistics statistics = client.Statistics;
        Assert.Equal((4L, 1L, 0L, 0L), (statistics.Delivered, statistics.Retried, statistics.Dropped, statistics.Queued));
    }

    [Fact]
    public async Task RequestsWaitingToBeRetriedCountAgainstTheQueueBound()
    {
        var time = new FakeTimeProvider(When);
        var transport = new ScriptedTransport { AutoAnswer = _ => AttemptResult.Answered(503) };
        KissmetricsOptions options = ScriptedOptions(1);
        options.MaxQueueLength = 3;
        options.RetryBaseDelay = TimeSpan.FromMinutes(1);
        options.MaxRetryDuration = TimeSpan.FromHours(1);
        KissmetricsClient client = Client(options, transport, time);

        for (int i = 0; i < 3; i++)
        {
            client.Track("p", new DeliveryEvent(i), When);
            int sent = i + 1;
            await WaitUntilAsync(() => transport.Sent == sent, what: "attempt " + sent);
        }

        await WaitUntilAsync(() => client.Statistics.Queued == 3, what: "three held for retries");
        client.Track("p", new DeliveryEvent(3), When);
        client.Track("p", new DeliveryEvent(4), When);

        KissmetricsClientStatistics statistics = client.Statistics;
        Assert.Equal(2, statistics.DroppedQueueFull);
        Assert.Equal(3, statistics.Accepted);
        Assert.Equal(3, transport.Sent); // the outage filled the queue; memory did not grow
        await DisposeOnFakeClockAsync(client, time);
        Assert.Equal(3, client.Statistics.DroppedAtShutdown);
    }

    [Fact]
    public async Task StoppingEndsAttemptsInFlightAsInFlightAtShutdownAndRetriesWaitingAsDroppedAtShutdownAndCountsEveryRequestOnce()
    {
        var time = new FakeTimeProvider(When);
        var transport = new ScriptedTransport();
        KissmetricsOptions options = ScriptedOptions(2);
        options.RetryBaseDelay = TimeSpan.FromMinutes(1);
        options.MaxRetryDuration = TimeSpan.FromHours(1);
        options.ShutdownTimeout = TimeSpan.FromMilliseconds(200);
        KissmetricsClient client = Client(options, transport, time);
        for (int i = 0; i < 5; i++)
        {
            client.Track("p", new DeliveryEvent(i), When);
        }

        (await NextAttemptAsync(transport)).Answer(AttemptResult.Answered(503)); // waits for a retry
        (await NextAttemptAsync(transport)).Answer(AttemptResult.Answered(200)); // delivered
        await WaitUntilAsync(() => transport.InFlight == 2, what: "two more in flight");

        await DisposeOnFakeClockAsync(client, time);
        KissmetricsClientStatistics statistics = client.Statistics;
        Assert.Equal(5, statistics.Accepted);
        Assert.Equal(1, statistics.Delivered);
        Assert.Equal(2, statistics.DroppedAtShutdown); // one waiting for its retry, one queued: never written
        Assert.Equal(2, statistics.InFlightAtShutdown); // written, unanswered: outcome unknown
        Assert.Equal(2, statistics.Dropped);
        Assert.Equal(statistics.Accepted, statistics.Delivered + statistics.Dropped + statistics.KeptInSpool + statistics.InFlightAtShutdown);
    }

    /// <summary>Disposes, moving the fake clock on: the shutdown deadline runs on the client's clock.</summary>
    private static async Task DisposeOnFakeClockAsync(KissmetricsClient client, FakeTimeProvider time)
    {
        Task disposed = client.DisposeAsync().AsTask();
        for (int i = 0; i < 200 && !disposed.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(10);
        }

        await disposed.WaitAsync(TestTimeout);
    }

    private static async Task<ScriptedTransport.PendingAttempt> NextAttemptAsync(ScriptedTransport transport)
    {
        ScriptedTransport.PendingAttempt? attempt = null;
        await WaitUntilAsync(() => transport.TryTake(out attempt), what: "the next attempt");
        return attempt!;
    }
}
