using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Kissmetrics.Typed.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Xunit;
using static Kissmetrics.Typed.Tests.Infrastructure.DeliveryTestKit;

namespace Kissmetrics.Typed.Tests.Delivery;

/// <summary>
/// <c>new KissmetricsClient(options, loggerFactory)</c>, the README's constructor outside dependency injection: what
/// would otherwise show only in <see cref="KissmetricsClient.Statistics"/> (an unreachable tracker, a call after
/// dispose) is logged through the given factory, and never with the API key.
/// </summary>
public sealed class LoggerFactoryConstructorTests
{
    private const string SecretKey = "sk-live-7a6b5c4d3e2f1098";

    [Fact]
    public async Task AnUnreachableTrackerAndACallAfterDisposeAreLoggedThroughTheGivenFactory()
    {
        var logs = new CapturingLoggerProvider();
        using ILoggerFactory loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var options = new KissmetricsOptions
        {
            ApiKey = SecretKey,
            Endpoint = new Uri("http://127.0.0.1:" + ClosedLoopbackPort() + "/"),
            MaxAttempts = 2,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            RequestTimeout = TimeSpan.FromSeconds(5),
        };

        var client = new KissmetricsClient(options, loggerFactory);
        client.Track("bob", new DeliveryEvent(1), When);
        await client.FlushAsync().WaitAsync(TestTimeout);
        Assert.Equal(1, client.Statistics.GaveUp);

        await client.DisposeAsync();
        client.Track("bob", new DeliveryEvent(2), When);
        Assert.Equal(1, client.Statistics.DroppedAfterDispose);

        CapturedLog[] captured = logs.Logs.ToArray();
        Assert.All(captured, log => Assert.Equal("Kissmetrics.Typed.KissmetricsClient", log.Category));
        CapturedLog gaveUp = Assert.Single(captured, log => log.EventId.Name == "GaveUp");
        Assert.Equal(LogLevel.Warning, gaveUp.Level);
        Assert.Contains("/e", gaveUp.Message, StringComparison.Ordinal);
        CapturedLog afterDispose = Assert.Single(captured, log => log.EventId.Name == "CalledAfterDispose");
        Assert.Equal(LogLevel.Warning, afterDispose.Level);
        Assert.DoesNotContain(captured, log => log.Everything.Contains(SecretKey, StringComparison.Ordinal));
    }

    [Fact]
    public void ANullFactoryOrNullOptionsIsAnArgumentNullExceptionNamingTheParameter()
    {
        var options = new KissmetricsOptions { ApiKey = "k" };
        Assert.Equal("loggerFactory", Assert.Throws<ArgumentNullException>(() => new KissmetricsClient(options, (ILoggerFactory)null!)).ParamName);
        using ILoggerFactory loggerFactory = LoggerFactory.Create(_ => { });
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => new KissmetricsClient(null!, loggerFactory)).ParamName);
    }

    /// <summary>A loopback port nothing listens on: bound, then released, so a connection to it is refused at once.</summary>
    private static int ClosedLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
