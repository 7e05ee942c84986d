using System;
using System.Linq;
using System.Threading.Tasks;
using Kissmetrics.Typed.Testing;
using Kissmetrics.Typed.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static Kissmetrics.Typed.Tests.Infrastructure.DeliveryTestKit;

namespace Kissmetrics.Typed.Tests.Delivery;

/// <summary>The test double applications use to assert what they tracked.</summary>
public sealed class RecordingClientTests
{
    [Fact]
    public async Task RecordsEveryRequestWithItsPathAndDecodedParameters()
    {
        var time = new FakeTimeProvider(When);
        await using var kissmetrics = new RecordingKissmetricsClient(new KissmetricsOptions { ApiKey = "k" }, time);
        IKissmetricsClient client = kissmetrics; // what the application sees

        client.Track("bob@example.com", new DeliveryEvent(7, "a & b = 100% é"));
        client.Alias("anon-1", "bob@example.com");
        await client.FlushAsync();

        Assert.Equal(2, kissmetrics.Requests.Count);
        RecordedKissmetricsRequest track = kissmetrics.Requests[0];
        Assert.Equal("/e", track.Path);
        Assert.Equal("Delivery Test", track.EventName);
        Assert.Equal("bob@example.com", track.Person);
        Assert.Equal(When, track.Timestamp);
        Assert.Equal("7", track["Delivery Test - Index"]);
        Assert.Equal("a & b = 100% é", track["Delivery Test - Secret"]);
        Assert.Equal(new[] { "Delivery Test - Index", "Delivery Test - Secret" }, track.Properties.Keys.Order());
        Assert.Equal(KissmetricsFormatter.FormatTrack(new KissmetricsOptions { ApiKey = "k" }, "bob@example.com", new DeliveryEvent(7, "a & b = 100% é"), When).Single(), track.Line);

        RecordedKissmetricsRequest alias = kissmetrics.Requests[1];
        Assert.Equal("/a", alias.Path);
        Assert.Null(alias.EventName);
        Assert.Null(alias.Timestamp);
        Assert.Equal("bob@example.com", alias["_n"]);
        Assert.Equal(new[] { "Delivery Test" }, kissmetrics.EventNames);
        Assert.Equal(1, kissmetrics.FlushCount);
        Assert.Throws<System.Collections.Generic.KeyNotFoundException>(() => track["missing"]);

        kissmetrics.Clear();
        Assert.Empty(kissmetrics.Requests);
    }

    [Fact]
    public void ValidatesCallsLikeTheRealClient()
    {
        var kissmetrics = new RecordingKissmetricsClient();
        Assert.Throws<ArgumentException>(() => kissmetrics.Track("", new DeliveryEvent(1)));
        Assert.Throws<ArgumentException>(() => kissmetrics.Alias("a", null!));
        Assert.Empty(kissmetrics.Requests);
    }

    [Fact]
    public void HonoursTheMappingSettings()
    {
        var kissmetrics = new RecordingKissmetricsClient(new KissmetricsOptions { ApiKey = "k", PrefixProperties = false });
        kissmetrics.Track("p", new DeliveryEvent(3), When);
        Assert.Equal("3", Assert.Single(kissmetrics.Requests)["Index"]);
    }
}
