using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Kissmetrics.Typed.Tests.TypedClient.Shop;
using Xunit;

namespace Kissmetrics.Typed.Tests.TypedClient;

/// <summary>The tracking plan generated for this test assembly, checked against what the records actually send.</summary>
public sealed class TrackingPlanTests
{
    private static readonly DateTimeOffset When = new(2014, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static JsonElement Plan { get; } = JsonDocument.Parse(KissmetricsTrackingPlan.ToJson()).RootElement;

    [Fact]
    public void The_plan_names_its_assembly_and_version()
    {
        Assert.Equal("Kissmetrics.Typed.Tests", Plan.GetProperty("assembly").GetString());
        Assert.Equal(1, Plan.GetProperty("planVersion").GetInt32());
    }

    [Fact]
    public void An_event_entry_lists_exactly_the_names_the_record_sends()
    {
        JsonElement entry = Entry("Kissmetrics.Typed.Tests.TypedClient.Shop.CheckoutStarted");
        Assert.Equal("track", entry.GetProperty("kind").GetString());
        Assert.Equal("Checkout Started", entry.GetProperty("name").GetString());
        Assert.Equal("A cart was checked out.", entry.GetProperty("description").GetString());

        var properties = entry.GetProperty("properties").EnumerateArray().ToList();
        Assert.Equal(SentNames(prefix: true), properties.Select(p => p.GetProperty("prefixedName").GetString()));
        Assert.Equal(SentNames(prefix: false), properties.Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(["string", "integer", "string"], properties.Select(p => p.GetProperty("type").GetString()));
        Assert.Equal([true, true, false], properties.Select(p => p.GetProperty("required").GetBoolean()));
        Assert.Equal("The cart's id.", properties[0].GetProperty("description").GetString());
    }

    [Fact]
    public void The_schema_is_a_protocols_style_json_schema_of_the_same_properties()
    {
        JsonElement schema = Entry("Kissmetrics.Typed.Tests.TypedClient.Shop.CheckoutStarted").GetProperty("schema");
        Assert.Equal("http://json-schema.org/draft-07/schema#", schema.GetProperty("$schema").GetString());
        JsonElement properties = schema.GetProperty("properties").GetProperty("properties");
        Assert.Equal(["CartId", "Items", "Coupon"], properties.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["CartId", "Items"], properties.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Array, properties.GetProperty("properties").GetProperty("Coupon").GetProperty("type").ValueKind);
    }

    [Fact]
    public void Traits_group_page_and_screen_entries_carry_their_kinds_and_names()
    {
        Assert.Equal("identify", Entry("Kissmetrics.Typed.Tests.TypedClient.Shop.ShopperTraits").GetProperty("kind").GetString());
        Assert.Equal(
            ["Email", "Loyalty Tier"],
            Entry("Kissmetrics.Typed.Tests.TypedClient.Shop.ShopperTraits").GetProperty("properties").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(
            ["Group - Name", "Group - Employees"],
            Entry("Kissmetrics.Typed.Tests.TypedClient.Shop.StoreTraits").GetProperty("properties").EnumerateArray().Select(p => p.GetProperty("name").GetString()));

        JsonElement page = Entry("Kissmetrics.Typed.Tests.TypedClient.Shop.CartPage");
        Assert.Equal("Viewed Cart Page", page.GetProperty("name").GetString());
        Assert.Equal("Viewed Checkout Page", page.GetProperty("categorizedName").GetString());
        Assert.Contains(page.GetProperty("properties").EnumerateArray(), p => p.GetProperty("name").GetString() == "Page - name");

        JsonElement screen = Entry("Kissmetrics.Typed.Tests.TypedClient.Shop.CartScreen");
        Assert.False(screen.TryGetProperty("name", out _));
        Assert.Equal("Viewed Checkout Screen", screen.GetProperty("categorizedName").GetString());
    }

    [Fact]
    public void Every_track_entry_matches_the_names_its_record_would_be_sent_under()
    {
        foreach (JsonElement entry in Plan.GetProperty("entries").EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "track"))
        {
            string name = entry.GetProperty("name").GetString()!;
            foreach (JsonElement property in entry.GetProperty("properties").EnumerateArray())
            {
                string wire = property.GetProperty("name").GetString()!;
                if (property.TryGetProperty("prefixedName", out JsonElement prefixed))
                {
                    Assert.Equal(name + " - " + wire, prefixed.GetString());
                }
                else
                {
                    Assert.Equal("Billing Amount", wire);
                }
            }
        }
    }

    private static JsonElement Entry(string type) =>
        Plan.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("type").GetString() == type);

    private static IEnumerable<string> SentNames(bool prefix)
    {
        var options = new KissmetricsOptions { ApiKey = "KEY", PrefixProperties = prefix };
        string line = KissmetricsFormatter.FormatTrack(options, "bob", new CheckoutStarted("c1", 3, "SAVE"), When).Single();
        return line[(line.IndexOf('?') + 1)..].Split('&')
            .Select(pair => Uri.UnescapeDataString(pair[..pair.IndexOf('=')]))
            .Where(n => !n.StartsWith('_'));
    }
}
