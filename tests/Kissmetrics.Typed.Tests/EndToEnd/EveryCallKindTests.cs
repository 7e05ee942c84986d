using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Kissmetrics.Typed.SpecEvents;
using Kissmetrics.Typed.Tests.Infrastructure;
using Kissmetrics.Typed.Tests.Mapping;
using Xunit;

namespace Kissmetrics.Typed.Tests.EndToEnd;

/// <summary>
/// Every row of mapping.md §4-§10 through the real client to a loopback tracker: what arrives is exactly what
/// <see cref="KissmetricsFormatter"/> says the call sends, and the decoded parameters match the spec's table.
/// </summary>
public sealed class EveryCallKindTests
{
    private static readonly DateTimeOffset When = new(2014, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Cases => new(CallCases.Keys);

    private static readonly Dictionary<string, (Action<IKissmetricsClient> Call, Func<KissmetricsOptions, IReadOnlyList<string>> Expected, Action<KissmetricsOptions>? Configure)> CallCases = new()
    {
        ["track, prefix on"] = (c => c.Track("bob", new SignedUp("Pro"), When), o => KissmetricsFormatter.FormatTrack(o, "bob", new SignedUp("Pro"), When), null),
        ["track, prefix off"] = (c => c.Track("bob", new SignedUp("Pro"), When), o => KissmetricsFormatter.FormatTrack(o, "bob", new SignedUp("Pro"), When), o => o.PrefixProperties = false),
        ["track, revenue"] = (c => c.Track("bob", new RevenueEvent(9.99), When), o => KissmetricsFormatter.FormatTrack(o, "bob", new RevenueEvent(9.99), When), null),
        ["track, zero revenue"] = (c => c.Track("bob", new Refund(0m), When), o => KissmetricsFormatter.FormatTrack(o, "bob", new Refund(0m), When), null),
        ["identify"] = (c => c.Identify("u1", new UserTraits("a@b.co"), timestamp: When), o => KissmetricsFormatter.FormatIdentify(o, "u1", new UserTraits("a@b.co"), timestamp: When), null),
        ["identify with anonymous id"] = (c => c.Identify("user-id", new UserTraits("a@b.co"), "anonymous-id", When), o => KissmetricsFormatter.FormatIdentify(o, "user-id", new UserTraits("a@b.co"), "anonymous-id", When), null),
        ["group"] = (c => c.Group("bob", "123", new CompanyTraits("Test Inc", 250), When), o => KissmetricsFormatter.FormatGroup(o, "bob", "123", new CompanyTraits("Test Inc", 250), When), null),
        ["alias"] = (c => c.Alias("previous", "new"), o => KissmetricsFormatter.FormatAlias(o, "previous", "new"), null),
        ["page, named"] = (c => c.Page("bob", new NamedCategorizedPage(), When), o => KissmetricsFormatter.FormatPage(o, "bob", new NamedCategorizedPage(), When), null),
        ["page, named pages off"] = (c => c.Page("bob", new NamedCategorizedPage(), When), o => KissmetricsFormatter.FormatPage(o, "bob", new NamedCategorizedPage(), When), o => o.TrackNamedPages = false),
        ["screen"] = (c => c.Screen("bob", new HomeScreen("feed"), When), o => KissmetricsFormatter.FormatScreen(o, "bob", new HomeScreen("feed"), When), null),
        ["completed order"] = (c => c.Track("bob", Order, When), o => KissmetricsFormatter.FormatTrack(o, "bob", Order, When), null),
        ["completed order, prefix off"] = (c => c.Track("bob", Order, When), o => KissmetricsFormatter.FormatTrack(o, "bob", Order, When), o => o.PrefixProperties = false),
        ["spec event"] = (c => c.Track("bob", Experiment, When), o => KissmetricsFormatter.FormatTrack(o, "bob", Experiment, When), null),
    };

    private static Mapping.OrderCompleted Order => new("o-1", 30m, [new Product("a", 10m, 1), new Product("b", 20m, 1)], "USD");

    private static ExperimentViewed Experiment => new() { ExperimentId = "exp-1", VariationName = "B" };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_tracker_receives_exactly_what_the_formatter_shows(string name)
    {
        (Action<IKissmetricsClient> call, Func<KissmetricsOptions, IReadOnlyList<string>> expected, Action<KissmetricsOptions>? configure) = CallCases[name];
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        KissmetricsOptions options = Options(tracker);
        configure?.Invoke(options);
        IReadOnlyList<string> lines = expected(options);
        Assert.NotEmpty(lines);

        await using (var client = new KissmetricsClient(options))
        {
            call(client);
            await client.FlushAsync().WaitAsync(LoopbackTracker.DefaultWait);
        }

        IReadOnlyList<RecordedRequest> received = await tracker.WaitForRequestsAsync(lines.Count);
        Assert.Equal(lines.OrderBy(l => l, StringComparer.Ordinal), received.Select(r => r.RawTarget).OrderBy(l => l, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Identify_with_an_anonymous_id_sends_the_traits_then_the_alias()
    {
        IReadOnlyList<RecordedRequest> received = await SendAsync(c => c.Identify("user-id", new UserTraits("a@b.co"), "anonymous-id", When), expected: 2);

        RecordedRequest set = received.Single(r => r.Path == "/s");
        Assert.Equal(["_k", "_p", "_t", "_d", "Email", "id"], set.Names);
        Assert.Equal("a@b.co", set["Email"]);
        Assert.Equal("user-id", set["id"]);
        RecordedRequest alias = received.Single(r => r.Path == "/a");
        Assert.Equal(["_k", "_p", "_n"], alias.Names);
        Assert.Equal("user-id", alias["_p"]);
        Assert.Equal("anonymous-id", alias["_n"]);
    }

    [Fact]
    public async Task Group_sends_group_prefixed_traits_and_the_group_id()
    {
        RecordedRequest set = (await SendAsync(c => c.Group("bob", "123", new CompanyTraits("Test Inc", 250), When), expected: 1)).Single();

        Assert.Equal("/s", set.Path);
        Assert.Equal("Test Inc", set["Group - Name"]);
        Assert.Equal("250", set["Group - Employees"]);
        Assert.Equal("123", set["Group - id"]);
        Assert.Equal("1388534400", set["_t"]);
    }

    [Fact]
    public async Task Page_with_name_and_category_is_viewed_under_its_name()
    {
        RecordedRequest view = (await SendAsync(c => c.Page("bob", new NamedCategorizedPage(), When), expected: 1)).Single();

        Assert.Equal("/e", view.Path);
        Assert.Equal("Viewed Name Page", view["_n"]);
        Assert.Equal("Name", view["Page - name"]);
        Assert.Equal("Category", view["Page - category"]);
    }

    [Fact]
    public async Task Page_is_not_sent_when_neither_name_nor_category_may_be_used()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        KissmetricsOptions options = Options(tracker);
        options.TrackNamedPages = false;
        options.TrackCategorizedPages = false;
        await using (var client = new KissmetricsClient(options))
        {
            client.Page("bob", new NamedCategorizedPage(), When);
            client.Alias("a", "b"); // a marker: once it has arrived, a page request would have too
            await client.FlushAsync().WaitAsync(LoopbackTracker.DefaultWait);
            Assert.Equal(1, client.Statistics.Accepted);
        }

        Assert.Equal(["/a"], (await tracker.WaitForRequestsAsync(1)).Select(r => r.Path));
    }

    [Fact]
    public async Task Completed_order_sends_the_event_then_one_set_per_product_a_second_apart()
    {
        IReadOnlyList<RecordedRequest> received = await SendAsync(c => c.Track("bob", Order, When), expected: 3);

        RecordedRequest order = received.Single(r => r.Path == "/e");
        Assert.Equal("Order Completed", order["_n"]);
        Assert.Equal("30", order["Order Completed - total"]);
        Assert.Equal("30", order["Order Completed - revenue"]);
        Assert.Equal("30", order["Billing Amount"]);
        Assert.DoesNotContain(order.Names, n => n.Contains("Products", StringComparison.OrdinalIgnoreCase));

        var products = received.Where(r => r.Path == "/s").OrderBy(r => long.Parse(r["_t"], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(["1388534400", "1388534401"], products.Select(p => p["_t"]));
        Assert.Equal(["a", "b"], products.Select(p => p["Order Completed - sku"]));
    }

    private static async Task<IReadOnlyList<RecordedRequest>> SendAsync(Action<IKissmetricsClient> call, int expected)
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        await using (var client = new KissmetricsClient(Options(tracker)))
        {
            call(client);
            await client.FlushAsync().WaitAsync(LoopbackTracker.DefaultWait);
        }

        return await tracker.WaitForRequestsAsync(expected);
    }

    private static KissmetricsOptions Options(LoopbackTracker tracker) => new()
    {
        ApiKey = "KEY",
        Endpoint = tracker.BaseAddress,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
    };
}
