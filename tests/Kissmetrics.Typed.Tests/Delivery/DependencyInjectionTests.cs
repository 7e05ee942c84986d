using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Kissmetrics.Typed.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;
using static Kissmetrics.Typed.Tests.Infrastructure.DeliveryTestKit;

namespace Kissmetrics.Typed.Tests.Delivery;

/// <summary><c>services.AddKissmetrics(...)</c> in a real host.</summary>
public sealed class DependencyInjectionTests
{
    private static HostApplicationBuilder Builder(Dictionary<string, string?> configuration)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(configuration);
        return builder;
    }

    private static Dictionary<string, string?> Settings(LoopbackTracker tracker) => new()
    {
        ["Kissmetrics:ApiKey"] = ApiKey,
        ["Kissmetrics:Endpoint"] = tracker.BaseAddress.ToString(),
        ["Kissmetrics:PrefixProperties"] = "false",
        ["Kissmetrics:MaxConcurrency"] = "2",
        ["Kissmetrics:MaxQueueLength"] = "5000",
        ["Kissmetrics:QueueFullMode"] = "Wait",
        ["Kissmetrics:QueueFullWaitTimeout"] = "00:00:05",
        ["Kissmetrics:RetryBaseDelay"] = "00:00:00.010",
        ["Kissmetrics:ShutdownTimeout"] = "00:00:20",
    };

    [Fact]
    public async Task AHostBuiltFromConfigurationSendsAndFlushesOnStop()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        HostApplicationBuilder builder = Builder(Settings(tracker));
        builder.Services.AddKissmetrics(builder.Configuration.GetSection("Kissmetrics"));
        using IHost host = builder.Build();
        await host.StartAsync();

        KissmetricsOptions options = host.Services.GetRequiredService<IOptions<KissmetricsOptions>>().Value;
        Assert.Equal((2, 5000, KissmetricsQueueFullMode.Wait, false), (options.MaxConcurrency, options.MaxQueueLength, options.QueueFullMode, options.PrefixProperties));
        Assert.Equal(TimeSpan.FromSeconds(5), options.QueueFullWaitTimeout);
        Assert.Equal(tracker.BaseAddress, options.Endpoint);

        IKissmetricsClient client = host.Services.GetRequiredService<IKissmetricsClient>();
        Assert.Same(client, host.Services.GetRequiredService<IKissmetricsClient>());
        Assert.Same(client, host.Services.GetRequiredService<KissmetricsClient>());
        for (int i = 0; i < 300; i++)
        {
            client.Track("p", new DeliveryEvent(i), When);
        }

        await host.StopAsync().WaitAsync(TestTimeout); // the hosted service flushes

        Assert.Equal(300, tracker.Requests.Count);
        Assert.Equal("1", tracker.Requests.Single(r => r["Index"] == "1")["Index"]); // PrefixProperties=false from configuration
    }

    [Fact]
    public async Task TheParameterlessOverloadBindsTheKissmetricsSection()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        HostApplicationBuilder builder = Builder(Settings(tracker));
        builder.Services.AddKissmetrics();
        using IHost host = builder.Build();
        await host.StartAsync();

        host.Services.GetRequiredService<IKissmetricsClient>().Alias("a", "b");
        await host.StopAsync().WaitAsync(TestTimeout);
        Assert.Equal("/a", Assert.Single(tracker.Requests).Path);
    }

    [Fact]
    public async Task TheActionOverloadConfiguresInCode()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        HostApplicationBuilder builder = Builder(new());
        builder.Services.AddKissmetrics(o =>
        {
            o.ApiKey = ApiKey;
            o.Endpoint = tracker.BaseAddress;
        });
        IHost host = builder.Build();
        await host.StartAsync();
        host.Services.GetRequiredService<IKissmetricsClient>().Track("p", new DeliveryEvent(1), When);
        await host.StopAsync().WaitAsync(TestTimeout);
        await ((IAsyncDisposable)host).DisposeAsync();

        Assert.Single(tracker.Requests);
    }

    [Fact]
    public async Task AMissingApiKeyIsAClearStartupError()
    {
        HostApplicationBuilder builder = Builder(new() { ["Kissmetrics:Endpoint"] = "https://trk.kissmetrics.io" });
        builder.Services.AddKissmetrics(builder.Configuration.GetSection("Kissmetrics"));
        using IHost host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("KissmetricsOptions.ApiKey is required", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'Kissmetrics:ApiKey'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidSettingsFromConfigurationFailAtStartup()
    {
        HostApplicationBuilder builder = Builder(new() { ["Kissmetrics:ApiKey"] = "k", ["Kissmetrics:MaxQueueLength"] = "0", ["Kissmetrics:MaxConcurrency"] = "0" });
        builder.Services.AddKissmetrics();
        using IHost host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("MaxQueueLength", exception.Message, StringComparison.Ordinal);
        Assert.Contains("MaxConcurrency", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposingTheContainerSynchronouslyIsSafe()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        var services = new ServiceCollection();
        services.AddKissmetrics(o =>
        {
            o.ApiKey = ApiKey;
            o.Endpoint = tracker.BaseAddress;
        });
        ServiceProvider provider = services.BuildServiceProvider();
        provider.GetRequiredService<IKissmetricsClient>().Alias("a", "b");

        provider.Dispose(); // the client is IDisposable too: the container does not throw, and the queue is drained

        Assert.Single(tracker.Requests);
    }
    [Fact]
    public async Task AtDefaultsTheHostSendsOverTheSocketTransport()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        HostApplicationBuilder builder = Builder(Settings(tracker));
        builder.Services.AddKissmetrics();
        using IHost host = builder.Build();
        await host.StartAsync();

        KissmetricsClient client = host.Services.GetRequiredService<KissmetricsClient>();
        Assert.StartsWith("sockets", client.TransportName, StringComparison.Ordinal);
        client.Alias("a", "b");
        await host.StopAsync().WaitAsync(TestTimeout);
        Assert.Single(tracker.Requests);
    }

    [Fact]
    public async Task AHandlerAddedToTheNamedHttpClientSelectsTheHttpClientTransportAndSeesEveryRequest()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        HostApplicationBuilder builder = Builder(Settings(tracker));
        var seen = new CountingHandler();
        builder.Services.AddHttpClient(KissmetricsServiceCollectionExtensions.HttpClientName).AddHttpMessageHandler(() => seen);
        builder.Services.AddKissmetrics();
        using IHost host = builder.Build();
        await host.StartAsync();

        KissmetricsClient client = host.Services.GetRequiredService<KissmetricsClient>();
        Assert.Equal("HttpClient", client.TransportName);
        client.Alias("a", "b");
        client.Alias("c", "d");
        await host.StopAsync().WaitAsync(TestTimeout);
        Assert.Equal(2, tracker.Requests.Count);
        Assert.Equal(2, seen.Count);
    }

    [Theory]
    [InlineData("HttpClient", "HttpClient")]
    [InlineData("Sockets", "sockets")]
    public async Task TheTransportOptionIsHonoured(string setting, string expected)
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        Dictionary<string, string?> settings = Settings(tracker);
        settings["Kissmetrics:Transport"] = setting;
        HostApplicationBuilder builder = Builder(settings);
        builder.Services.AddKissmetrics();
        using IHost host = builder.Build();
        await host.StartAsync();

        Assert.StartsWith(expected, host.Services.GetRequiredService<KissmetricsClient>().TransportName, StringComparison.Ordinal);
        await host.StopAsync().WaitAsync(TestTimeout);
    }

    [Fact]
    public void AProxyThatAppliesToTheEndpointSelectsTheHttpClientTransport()
    {
        var endpoint = new Uri("https://trk.kissmetrics.io");
        Assert.True(Kissmetrics.Typed.Delivery.Transport.TransportSelection.ProxyApplies(new System.Net.WebProxy("http://127.0.0.1:3128"), endpoint));
        Assert.False(Kissmetrics.Typed.Delivery.Transport.TransportSelection.ProxyApplies(new System.Net.WebProxy("http://127.0.0.1:3128", BypassOnLocal: false, BypassList: ["trk\\.kissmetrics\\.io"]), endpoint));
        Assert.False(Kissmetrics.Typed.Delivery.Transport.TransportSelection.ProxyApplies(new System.Net.WebProxy(), endpoint)); // no proxy address
    }

    [Fact]
    public async Task HostStopAndDisposeTogetherTakeAtMostTheShutdownTimeoutAndLeaveTheOtherServicesALiveToken()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.DefaultResponse = TrackerResponse.Hang;
        Dictionary<string, string?> settings = Settings(tracker);
        settings["Kissmetrics:ShutdownTimeout"] = "00:00:01";
        settings["Kissmetrics:RequestTimeout"] = "00:00:30";
        HostApplicationBuilder builder = Builder(settings);
        var other = new StopRecordingService(); // registered first, so stopped after the client's service
        builder.Services.AddSingleton<IHostedService>(other);
        builder.Services.AddKissmetrics();
        var logs = new CapturingLoggerProvider();
        builder.Logging.AddProvider(logs);
        IHost host = builder.Build();
        await host.StartAsync();
        KissmetricsClient client = host.Services.GetRequiredService<KissmetricsClient>();
        for (int i = 0; i < 200; i++)
        {
            client.Track("p", new DeliveryEvent(i), When);
        }

        await tracker.WaitForRequestsAsync(1);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await host.StopAsync().WaitAsync(TestTimeout); // the host's own shutdown timeout is 30 s
        host.Dispose();
        clock.Stop();

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(5));
        Assert.True(other.Stopped);
        Assert.False(other.TokenWasCanceled);
        KissmetricsClientStatistics statistics = client.Statistics;
        Assert.Equal(tracker.Requests.Count, statistics.InFlightAtShutdown); // received, never answered: outcome unknown
        Assert.Equal(200 - tracker.Requests.Count, statistics.DroppedAtShutdown);
        Assert.Contains(logs.Logs, l => l.EventId.Name == "DroppedAtShutdown");
    }

    private sealed class StopRecordingService : IHostedService
    {
        public bool Stopped { get; private set; }

        public bool TokenWasCanceled { get; private set; }

        public Task StartAsync(System.Threading.CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(System.Threading.CancellationToken cancellationToken)
        {
            Stopped = true;
            TokenWasCanceled = cancellationToken.IsCancellationRequested;
            return Task.CompletedTask;
        }
    }

    private sealed class CountingHandler : System.Net.Http.DelegatingHandler
    {
        private int _count;

        public int Count => System.Threading.Volatile.Read(ref _count);

        protected override Task<System.Net.Http.HttpResponseMessage> SendAsync(System.Net.Http.HttpRequestMessage request, System.Threading.CancellationToken cancellationToken)
        {
            System.Threading.Interlocked.Increment(ref _count);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
