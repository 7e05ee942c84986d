using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Kissmetrics.Typed.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;
using static Kissmetrics.Typed.Tests.Infrastructure.DeliveryTestKit;

namespace Kissmetrics.Typed.Tests.Delivery;

/// <summary>Logs (never the API key or a payload) and the <c>Kissmetrics.Typed</c> meter.</summary>
public sealed class ObservabilityTests
{
    private const string SecretKey = "sk-live-0f9e8d7c6b5a4321";
    private const string SecretPayload = "payload-never-logged-31415";

    [Fact]
    public async Task TheApiKeyAndPayloadsNeverAppearInAnyLogAtAnyLevel()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.Enqueue(
            TrackerResponse.Status(400),
            TrackerResponse.Status(503),
            TrackerResponse.Abort,
            TrackerResponse.Status(500),
            TrackerResponse.Status(500),
            TrackerResponse.Status(429, retryAfterSeconds: 0));
        var logs = new CapturingLoggerProvider();
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kissmetrics:ApiKey"] = SecretKey,
            ["Kissmetrics:Endpoint"] = tracker.BaseAddress.ToString(),
            ["Kissmetrics:RetryBaseDelay"] = "00:00:00.010",
            ["Kissmetrics:MaxAttempts"] = "2",
            ["Kissmetrics:MaxConcurrency"] = "1",
            ["Kissmetrics:MaxQueueLength"] = "3",
        });
        builder.Services.AddKissmetrics(builder.Configuration.GetSection("Kissmetrics"));
        using (IHost host = builder.Build())
        {
            await host.StartAsync();
            IKissmetricsClient client = host.Services.GetRequiredService<IKissmetricsClient>();
            for (int i = 0; i < 20; i++)
            {
                client.Track(SecretPayload + "-person", new DeliveryEvent(i, SecretPayload), When); // some are dropped: queue of 3
            }

            await FlushAsync(client);
            client.Track("p", new DeliveryEvent(99, new string('x', 3_000) + SecretPayload), When); // POSTed
            await FlushAsync(client);
            await host.StopAsync();
            await ((IAsyncDisposable)host).DisposeAsync();
            client.Track("p", new DeliveryEvent(100, SecretPayload), When); // after dispose
        }

        IReadOnlyCollection<CapturedLog> captured = logs.Logs;
        Assert.Contains(captured, l => l.EventId.Name == "Rejected");
        Assert.Contains(captured, l => l.EventId.Name == "Retrying");
        Assert.Contains(captured, l => l.EventId.Name == "GaveUp");
        Assert.Contains(captured, l => l.EventId.Name == "QueueFull");
        Assert.Contains(captured, l => l.EventId.Name == "CalledAfterDispose");
        Assert.All(captured, l =>
        {
            Assert.DoesNotContain(SecretKey, l.Everything, StringComparison.Ordinal);
            Assert.DoesNotContain(SecretPayload, l.Everything, StringComparison.Ordinal);
            Assert.DoesNotContain("_k=", l.Everything, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task TheMeterReportsAcceptedSentRetriedDroppedByReasonQueueDepthAndDuration()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.Enqueue(TrackerResponse.Status(503), TrackerResponse.Status(400));
        var services = new ServiceCollection();
        services.AddMetrics();
        await using ServiceProvider provider = services.BuildServiceProvider();
        IMeterFactory meterFactory = provider.GetRequiredService<IMeterFactory>();

        var measurements = new ConcurrentQueue<(string Instrument, double Value, string? Tag)>();
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
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, TagOf(tags))));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, TagOf(tags))));
        listener.Start();

        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = Options(tracker);
        options.MaxConcurrency = 1;
        await using var client = NewClient(options, http, TimeProvider.System, loggerFactory: null, meterFactory);
        client.Track("p", new DeliveryEvent(1), When); // 503 then 200: retried, sent
        client.Track("p", new DeliveryEvent(2), When); // 400: dropped, rejected
        await FlushAsync(client);
        listener.RecordObservableInstruments();

        double Sum(string name, string? tag = null) => measurements.Where(m => m.Instrument == name && (tag is null || m.Tag == tag)).Sum(m => m.Value);
        Assert.Equal(2, Sum("kissmetrics.requests.accepted"));
        Assert.Equal(1, Sum("kissmetrics.requests.sent"));
        Assert.Equal(1, Sum("kissmetrics.requests.retried"));
        Assert.Equal(1, Sum("kissmetrics.requests.dropped", "reason=rejected"));
        Assert.Equal(2, measurements.Count(m => m.Instrument == "kissmetrics.request.duration"));
        Assert.Contains(measurements, m => m.Instrument == "kissmetrics.queue.depth" && m.Value == 0);
        Assert.Contains(measurements, m => m.Instrument == "kissmetrics.requests.in_flight" && m.Value == 0);
        Assert.Contains(measurements, m => m.Instrument == "kissmetrics.concurrency.limit" && m.Value == 1);
    }

    [Fact]
    public async Task ShutdownDropsAreLoggedWithTheirCount()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.DefaultResponse = TrackerResponse.Hang;
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = Options(tracker);
        options.ShutdownTimeout = TimeSpan.FromMilliseconds(100);
        options.RequestTimeout = TimeSpan.FromSeconds(30);
        options.MaxConcurrency = 1;
        var client = NewClient(options, http, null, loggerFactory);
        client.Track("p", new DeliveryEvent(1), When);
        await tracker.WaitForRequestsAsync(1);
        client.Track("p", new DeliveryEvent(2), When);
        await client.DisposeAsync();

        CapturedLog log = Assert.Single(logs.Logs, l => l.EventId.Name == "DroppedAtShutdown");
        Assert.Equal(LogLevel.Warning, log.Level);
        Assert.Contains("1 request(s) unsent, dropped; 1 in flight at shutdown, outcome unknown", log.Message, StringComparison.Ordinal);
        Assert.Contains("\nDropped=1\n", log.Everything, StringComparison.Ordinal);
        Assert.Contains("\nInFlight=1\n", log.Everything, StringComparison.Ordinal);
        Assert.Contains("\nKept=0", log.Everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueueFullWarningsAddUpToEveryDropIncludingThoseSinceTheLastWarningAtDispose()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        var release = new TaskCompletionSource();
        tracker.DefaultResponse = TrackerResponse.WaitFor(release.Task);
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = Options(tracker);
        options.MaxQueueLength = 10;
        options.MaxConcurrency = 1;
        var client = NewClient(options, http, null, loggerFactory);
        client.Track("p", new DeliveryEvent(0), When);
        await tracker.WaitForRequestsAsync(1); // held: the queue then fills
        for (int i = 1; i <= 303; i++)
        {
            client.Track("p", new DeliveryEvent(i), When);
        }

        Assert.Equal(293, client.Statistics.DroppedQueueFull);
        release.SetResult();
        await client.DisposeAsync();

        long logged = logs.Logs.Where(l => l.EventId.Name == "QueueFull")
            .Sum(l => long.Parse(l.Everything.Split('\n').Single(v => v.StartsWith("Dropped=", StringComparison.Ordinal)).Substring("Dropped=".Length), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(293, logged); // the first drop warned at once; the other 292 came within 10 s, in the summary at dispose
    }

    private static string? TagOf(ReadOnlySpan<KeyValuePair<string, object?>> tags) => tags.Length == 0 ? null : tags[0].Key + "=" + tags[0].Value;
}
