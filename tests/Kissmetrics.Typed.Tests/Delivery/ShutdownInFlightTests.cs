using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;
using static Kissmetrics.Typed.Tests.Infrastructure.DeliveryTestKit;

namespace Kissmetrics.Typed.Tests.Delivery;

/// <summary>
/// What the client counts when it stops with requests it already sent: written and unanswered is
/// <c>InFlightAtShutdown</c> (outcome unknown, not a drop), never written is <c>DroppedAtShutdown</c> (issue 15, defect 8).
/// </summary>
public sealed class ShutdownInFlightTests
{
    private const int InFlight = 3;
    private const int Calls = 10;

    /// <summary>The suite's transport (HttpClient of the test's, or sockets): a tracker that reads every request and never answers.</summary>
    [Fact]
    public async Task RequestsTheTrackerReceivedAreInFlightAtShutdownAndOnlyTheQueuedRestIsDropped()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.DefaultResponse = TrackerResponse.Hang;
        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = HangOptions(tracker);
        var client = NewClient(options, http);

        await TrackAndDisposeWhileInFlightAsync(client, tracker);

        AssertInFlightAndDropped(client.Statistics, tracker);
    }

    /// <summary>The HttpClient transport with the handler of the client's own: its connections' streams tell which attempts were written.</summary>
    [Fact]
    public async Task TheClientsOwnHttpClientCountsTheWrittenRequestsAsInFlight()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.DefaultResponse = TrackerResponse.Hang;
        KissmetricsOptions options = HangOptions(tracker);
        options.Transport = KissmetricsTransport.HttpClient;
        var client = new KissmetricsClient(options, httpClient: null, TimeProvider.System, loggerFactory: null);
        Assert.Equal("HttpClient", client.TransportName);

        await TrackAndDisposeWhileInFlightAsync(client, tracker);

        AssertInFlightAndDropped(client.Statistics, tracker);
    }

    /// <summary>
    /// A server that accepts TCP connections and never completes the TLS handshake: no request byte is ever written, so
    /// every request is dropped at shutdown, none is in flight. On the socket transport and on the client's own HttpClient.
    /// </summary>
    [Theory]
    [InlineData(KissmetricsTransport.Sockets)]
    [InlineData(KissmetricsTransport.HttpClient)]
    public async Task RequestsNeverWrittenBecauseTheConnectionNeverOpenedAreDroppedNotInFlight(KissmetricsTransport transport)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = new ConcurrentBag<Socket>();
        using var stop = new CancellationTokenSource();
        Task accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    accepted.Add(await listener.AcceptSocketAsync(stop.Token)); // held open, never read: the handshake stalls
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        try
        {
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            KissmetricsOptions options = Options(new Uri("https://127.0.0.1:" + port + "/"));
            options.Transport = transport;
            options.MaxConcurrency = InFlight;
            options.RequestTimeout = TimeSpan.FromSeconds(30);
            options.ShutdownTimeout = TimeSpan.FromMilliseconds(300);
            var client = new KissmetricsClient(options, httpClient: null, TimeProvider.System, loggerFactory: null);
            for (int i = 0; i < Calls; i++)
            {
                client.Track("p", new DeliveryEvent(i), When);
            }

            _ = client.FlushAsync(); // wakes the dispatcher now; completes at dispose
            await WaitUntilAsync(() => !accepted.IsEmpty, what: "a connection to the stalled server");
            await client.DisposeAsync().AsTask().WaitAsync(TestTimeout);

            KissmetricsClientStatistics statistics = client.Statistics;
            Assert.Equal(0, statistics.InFlightAtShutdown);
            Assert.Equal(Calls, statistics.DroppedAtShutdown);
            Assert.Equal(statistics.Accepted, statistics.Delivered + statistics.Dropped + statistics.KeptInSpool + statistics.InFlightAtShutdown);
        }
        finally
        {
            await stop.CancelAsync();
            await accepting;
            foreach (Socket socket in accepted)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>
    /// An HttpClient of the user's cannot say whether its handler wrote anything: a request it took before the stop and
    /// did not answer counts as in flight (unknown), never as certainly dropped. The queued rest is dropped.
    /// </summary>
    [Fact]
    public async Task ThroughAUsersHttpClientWhatItTookIsInFlightAndTheQueuedRestIsDropped()
    {
        var gate = new GateHandler(); // holds every request, writes nothing, answers only when opened (never here)
        using var http = new HttpClient(gate) { Timeout = Timeout.InfiniteTimeSpan };
        KissmetricsOptions options = Options(new Uri("http://127.0.0.1:9/"));
        options.MaxConcurrency = InFlight;
        options.ShutdownTimeout = TimeSpan.FromMilliseconds(300);
        var client = new KissmetricsClient(options, http, TimeProvider.System, loggerFactory: null);
        for (int i = 0; i < Calls; i++)
        {
            client.Track("p", new DeliveryEvent(i), When);
        }

        _ = client.FlushAsync();
        await WaitUntilAsync(() => gate.Waiting == InFlight, what: "the handler holding the requests in flight");
        await client.DisposeAsync().AsTask().WaitAsync(TestTimeout);

        KissmetricsClientStatistics statistics = client.Statistics;
        Assert.Equal(InFlight, statistics.InFlightAtShutdown);
        Assert.Equal(Calls - InFlight, statistics.DroppedAtShutdown);
        Assert.Equal(0, gate.Sent);
    }

    /// <summary>The retry of a request (its second attempt) written and unanswered at shutdown is in flight too; one waiting out its backoff is dropped.</summary>
    [Fact]
    public async Task ARetryInFlightAtShutdownIsInFlightAndOneInBackoffIsDropped()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.Enqueue(TrackerResponse.Status(503), TrackerResponse.Hang); // request 0: 503, then its retry hangs
        tracker.DefaultResponse = TrackerResponse.Status(503);
        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = Options(tracker);
        options.MaxConcurrency = 1;
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
        options.MaxRetryDelay = TimeSpan.FromMilliseconds(1);
        options.RequestTimeout = TimeSpan.FromSeconds(30);
        options.MaxRetryDuration = TimeSpan.FromMinutes(10);
        options.ShutdownTimeout = TimeSpan.FromMilliseconds(300);
        var client = NewClient(options, http);
        client.Track("p", new DeliveryEvent(0), When);
        await tracker.WaitForRequestsAsync(2); // the first attempt, then the retry that hangs
        client.Track("p", new DeliveryEvent(1), When); // queued behind the one slot: never written

        await client.DisposeAsync().AsTask().WaitAsync(TestTimeout);

        KissmetricsClientStatistics statistics = client.Statistics;
        Assert.Equal(1, statistics.Retried);
        Assert.Equal(1, statistics.InFlightAtShutdown);
        Assert.Equal(1, statistics.DroppedAtShutdown);
        Assert.Equal(2, tracker.Requests.Count);
    }

    /// <summary>The metric (<c>kissmetrics.requests.unknown</c>, reason <c>shutdown</c>, not a drop) and the one shutdown line with the three counts.</summary>
    [Fact]
    public async Task InFlightAtShutdownIsMeasuredApartFromDropsAndLoggedInTheShutdownSummary()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.DefaultResponse = TrackerResponse.Hang;
        var services = new ServiceCollection();
        services.AddMetrics();
        await using ServiceProvider provider = services.BuildServiceProvider();
        IMeterFactory meterFactory = provider.GetRequiredService<IMeterFactory>();
        var measurements = new ConcurrentQueue<(string Instrument, long Value, string Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Kissmetrics.Typed" && ReferenceEquals(instrument.Meter.Scope, meterFactory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            measurements.Enqueue((instrument.Name, value, string.Join(",", tags.ToArray().Select(t => t.Key + "=" + t.Value)))));
        listener.Start();
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        using HttpClient http = NewHttpClient();
        var client = NewClient(HangOptions(tracker), http, TimeProvider.System, loggerFactory, meterFactory);

        await TrackAndDisposeWhileInFlightAsync(client, tracker);

        long Sum(string name, string tags) => measurements.Where(m => m.Instrument == name && m.Tags == tags).Sum(m => m.Value);
        Assert.Equal(InFlight, Sum("kissmetrics.requests.unknown", "reason=shutdown"));
        Assert.Equal(Calls - InFlight, Sum("kissmetrics.requests.dropped", "reason=shutdown"));
        CapturedLog summary = Assert.Single(logs.Logs, l => l.EventId.Name is "DroppedAtShutdown" or "KeptInSpool");
        Assert.Equal("DroppedAtShutdown", summary.EventId.Name);
        Assert.Equal(LogLevel.Warning, summary.Level);
        Assert.Contains($"{Calls - InFlight} request(s) unsent, dropped; {InFlight} in flight at shutdown, outcome unknown", summary.Message, StringComparison.Ordinal);
        Assert.Contains("; 0 kept in the spool", summary.Message, StringComparison.Ordinal);
    }

    private static KissmetricsOptions HangOptions(LoopbackTracker tracker)
    {
        KissmetricsOptions options = Options(tracker);
        options.MaxConcurrency = InFlight; // the adaptive limit starts at min(MinConcurrency, MaxConcurrency) and grows only on answers
        options.RequestTimeout = TimeSpan.FromSeconds(30);
        options.ShutdownTimeout = TimeSpan.FromMilliseconds(300);
        return options;
    }

    private static async Task TrackAndDisposeWhileInFlightAsync(KissmetricsClient client, LoopbackTracker tracker)
    {
        for (int i = 0; i < Calls; i++)
        {
            client.Track("p", new DeliveryEvent(i), When);
        }

        await tracker.WaitForRequestsAsync(InFlight);
        await client.DisposeAsync().AsTask().WaitAsync(TestTimeout);
    }

    private static void AssertInFlightAndDropped(KissmetricsClientStatistics statistics, LoopbackTracker tracker)
    {
        Assert.Equal(InFlight, tracker.Requests.Count); // the limit held: nothing else was sent
        Assert.Equal(Calls, statistics.Accepted);
        Assert.Equal(0, statistics.Delivered);
        Assert.Equal(Calls - InFlight, statistics.DroppedAtShutdown); // queued, never written
        Assert.Equal(tracker.Requests.Count, statistics.InFlightAtShutdown); // what the tracker received, outcome unknown
        Assert.Equal(Calls - InFlight, statistics.Dropped); // in flight is not a drop
        Assert.Equal(statistics.Accepted, statistics.Delivered + statistics.Dropped + statistics.KeptInSpool + statistics.InFlightAtShutdown);
    }
}
