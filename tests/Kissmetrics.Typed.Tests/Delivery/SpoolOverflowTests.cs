using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Tests.Infrastructure;
using Xunit;
using static Kissmetrics.Typed.Tests.Infrastructure.DeliveryTestKit;

namespace Kissmetrics.Typed.Tests.Delivery;

/// <summary>
/// With a spool, requests that do not fit in the queue wait on disk and are read back as it drains, instead of being
/// dropped: bursts ten times the queue's length, shutdown in the middle, an outage, flushes, and the same burst without a spool.
/// </summary>
public sealed class SpoolOverflowTests : IDisposable
{
    private const int QueueLength = 200;
    private const int Burst = 10 * QueueLength;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "kissmetrics-overflow-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private KissmetricsOptions BurstOptions(LoopbackTracker tracker, bool spool = true)
    {
        KissmetricsOptions options = Options(tracker);
        options.MaxQueueLength = QueueLength;
        options.MaxConcurrency = 4;
        if (spool)
        {
            options.SpoolDirectory = _directory;
            options.SpoolMaxBytes = 2 * 1024 * 1024; // segments of 128 KiB: several files for a burst, none evicted
        }

        return options;
    }

    private string[] SegmentFiles() => Directory.Exists(_directory) ? Directory.GetFiles(_directory, "*.kmspool") : [];

    private static int IndexOf(RecordedRequest request) => int.Parse(request["Delivery Test - Index"], CultureInfo.InvariantCulture);

    private static void TrackBurst(KissmetricsClient client, int from = 0, int count = Burst)
    {
        for (int i = from; i < from + count; i++)
        {
            client.Track("p", new DeliveryEvent(i), When);
        }
    }

    /// <summary>Samples <see cref="KissmetricsClientStatistics.Queued"/> until disposed: the most requests held in memory.</summary>
    private sealed class QueueSampler : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampling;
        private long _max;

        public QueueSampler(KissmetricsClient client) => _sampling = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                long queued = client.Statistics.Queued;
                if (queued > Volatile.Read(ref _max))
                {
                    Volatile.Write(ref _max, queued);
                }

                await Task.Yield();
            }
        });

        public long Max => Volatile.Read(ref _max);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _sampling;
            _stop.Dispose();
        }
    }

    [Fact]
    public async Task ABurstTenTimesTheQueueIsDeliveredExactlyOnceThroughTheSpool()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tracker.DefaultResponse = TrackerResponse.WaitFor(gate.Task); // the queue fills while the tracker holds the first answers
        using HttpClient http = NewHttpClient();
        var client = NewClient(BurstOptions(tracker), http);
        await using (var sampler = new QueueSampler(client))
        {
            TrackBurst(client);
            tracker.DefaultResponse = null;
            gate.SetResult();
            await FlushAsync(client);

            // Two producers (the caller and the overflow reader) may each hold a slot they reserved and give back at once.
            Assert.InRange(sampler.Max, 1, QueueLength + 2);
        }

        await client.DisposeAsync();

        Assert.Equal(Enumerable.Range(0, Burst), tracker.Requests.Select(IndexOf).Order());
        KissmetricsClientStatistics statistics = client.Statistics;
        Assert.Equal(Burst, statistics.Accepted);
        Assert.Equal(Burst, statistics.Delivered);
        Assert.Equal(0, statistics.Dropped);
        Assert.Equal(0, statistics.KeptInSpool);
        Assert.InRange(statistics.SpooledOverflow, Burst - QueueLength - 64, Burst); // all but what the queue and the attempts held
        Assert.Empty(SegmentFiles()); // every line acknowledged
    }

    [Fact]
    public async Task OverflowLeftAtShutdownIsKeptInTheSpoolAndTheNextClientDeliversIt()
    {
        var firstRun = new HashSet<int>();
        long delivered;
        await using (LoopbackTracker tracker = await LoopbackTracker.StartAsync())
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            tracker.DefaultResponse = TrackerResponse.WaitFor(gate.Task);
            using HttpClient http = NewHttpClient();
            KissmetricsOptions options = BurstOptions(tracker);
            options.ShutdownTimeout = TimeSpan.FromMilliseconds(200);
            options.RequestTimeout = TimeSpan.FromSeconds(30);
            var client = NewClient(options, http);
            TrackBurst(client);

            // Some of it delivered, then the tracker stops answering: the rest is unsent at shutdown.
            tracker.DefaultResponse = null;
            gate.SetResult();
            await WaitUntilAsync(() => client.Statistics.Delivered >= Burst / 4, what: "a quarter delivered");
            tracker.DefaultResponse = TrackerResponse.Hang;
            await client.DisposeAsync().AsTask().WaitAsync(TestTimeout);

            KissmetricsClientStatistics statistics = client.Statistics;
            delivered = statistics.Delivered;
            Assert.True(delivered < Burst, "the shutdown came before the end of the burst");
            Assert.Equal(Burst, statistics.Accepted);
            Assert.Equal(0, statistics.Dropped);
            Assert.Equal(Burst, statistics.Delivered + statistics.KeptInSpool); // every request in exactly one outcome
            Assert.NotEmpty(SegmentFiles());
            firstRun.UnionWith(tracker.Requests.Select(IndexOf));
        }

        await using LoopbackTracker next = await LoopbackTracker.StartAsync();
        using HttpClient http2 = NewHttpClient();
        var second = NewClient(BurstOptions(next), http2);
        await FlushAsync(second);
        await second.DisposeAsync();

        int[] replayed = next.Requests.Select(IndexOf).ToArray();
        Assert.Equal(replayed.Length, replayed.Distinct().Count()); // nothing twice within the second run
        Assert.Equal(Enumerable.Range(0, Burst), firstRun.Union(replayed).Order()); // nothing lost across the two
        Assert.Equal(second.Statistics.SpoolReplayed, second.Statistics.Delivered);
        Assert.Equal(0, second.Statistics.Dropped);

        // What both runs sent: lines delivered by the first run in a segment it could not finish (a segment goes only
        // once every line in it is acknowledged) and the requests in flight at shutdown; never more than the first delivered plus those.
        int twice = firstRun.Intersect(replayed).Count();
        Assert.InRange(twice, 0, delivered + 64);
        Assert.Empty(SegmentFiles());
    }

    [Fact]
    public async Task OverflowWaitsOutATrackerThatIsDownThenUp()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.DefaultResponse = TrackerResponse.Status(503);
        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = BurstOptions(tracker);
        options.MaxAttempts = 1_000;
        options.MaxRetryDelay = TimeSpan.FromMilliseconds(50);
        var client = NewClient(options, http);
        TrackBurst(client);
        await WaitUntilAsync(() => tracker.Requests.Count >= 50, what: "the tracker refusing a while");
        Assert.Equal(0, client.Statistics.Delivered);
        Assert.True(client.Statistics.SpooledOverflow > 0);

        tracker.DefaultResponse = null; // back up
        await FlushAsync(client);
        await client.DisposeAsync();

        Assert.Equal(Enumerable.Range(0, Burst), tracker.Requests.Select(IndexOf).Distinct().Order());
        KissmetricsClientStatistics statistics = client.Statistics;
        Assert.Equal(Burst, statistics.Accepted);
        Assert.Equal(Burst, statistics.Delivered);
        Assert.Equal(0, statistics.Dropped);
        Assert.Empty(SegmentFiles());
    }

    [Fact]
    public async Task FlushWaitsForOverflowedRequests()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tracker.DefaultResponse = TrackerResponse.WaitFor(gate.Task);
        using HttpClient http = NewHttpClient();
        await using var client = NewClient(BurstOptions(tracker), http);
        TrackBurst(client);
        Assert.True(client.Statistics.SpooledOverflow > 0);

        Task flush = client.FlushAsync(CancellationToken.None);
        await Task.Delay(200);
        Assert.False(flush.IsCompleted, "nothing was delivered yet");

        tracker.DefaultResponse = null;
        gate.SetResult();
        await flush.WaitAsync(TestTimeout);

        // Complete means every one of them, the overflowed ones last, was delivered before the flush returned.
        Assert.Equal(Burst, client.Statistics.Delivered);
        Assert.Equal(Enumerable.Range(0, Burst), tracker.Requests.Select(IndexOf).Order());
    }

    [Fact]
    public async Task ASpoolTooSmallForTheBurstEvictsAndDropsButCountsEveryRequestOnce()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tracker.DefaultResponse = TrackerResponse.WaitFor(gate.Task);
        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = BurstOptions(tracker);
        options.SpoolMaxBytes = 64 * 1024; // the smallest allowed: about a hundred of these lines, in segments of 16 KiB
        var client = NewClient(options, http);
        string padding = new('x', 500); // lines of about 700 bytes: the index's MaxQueueLength entries need more than the spool holds
        for (int i = 0; i < Burst; i++)
        {
            client.Track("p", new DeliveryEvent(i, padding), When);
        }

        tracker.DefaultResponse = null;
        gate.SetResult();
        await FlushAsync(client);
        await client.DisposeAsync();

        KissmetricsClientStatistics statistics = client.Statistics;
        Assert.True(statistics.SpoolEvicted > 0, "the size cap removed overflowed lines");
        // Past the index bound (here MaxQueueLength entries) DropNewest would apply; entries of removed segments leave
        // the index as they are counted, so whether it is reached depends on timing: only the sum is certain.
        Assert.Equal(Burst, statistics.Accepted + statistics.DroppedQueueFull);
        Assert.Equal(statistics.Accepted, statistics.Delivered + statistics.SpoolEvicted); // each accepted request ends once
        Assert.Equal(statistics.Delivered, tracker.Requests.Count);
        Assert.Equal(tracker.Requests.Count, tracker.Requests.Select(IndexOf).Distinct().Count());
        Assert.Empty(SegmentFiles());
    }

    [Fact]
    public async Task WithoutASpoolTheSameBurstIsCountedAsDroppedQueueFull()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tracker.DefaultResponse = TrackerResponse.WaitFor(gate.Task);
        using HttpClient http = NewHttpClient();
        var client = NewClient(BurstOptions(tracker, spool: false), http);
        await using (var sampler = new QueueSampler(client))
        {
            TrackBurst(client);
            tracker.DefaultResponse = null;
            gate.SetResult();
            await FlushAsync(client);
            Assert.InRange(sampler.Max, 1, QueueLength + 1); // the caller's reservation, given back at once
        }

        await client.DisposeAsync();

        KissmetricsClientStatistics statistics = client.Statistics;
        Assert.True(statistics.DroppedQueueFull >= Burst - QueueLength - 64, $"dropped {statistics.DroppedQueueFull}");
        Assert.Equal(Burst, statistics.Accepted + statistics.DroppedQueueFull); // refused ones are never accepted
        Assert.Equal(statistics.Accepted, statistics.Delivered);
        Assert.Equal(0, statistics.SpooledOverflow);
        Assert.Equal(statistics.Delivered, tracker.Requests.Count);
    }
}
