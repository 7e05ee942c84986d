using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Kissmetrics.Typed.Testing;
using Kissmetrics.Typed.Tests.TypedClient.Shop;
using Xunit;

namespace Kissmetrics.Typed.Tests.TypedClient;

/// <summary>The generated typed client sends exactly what the direct calls send, and its interface can be faked.</summary>
public sealed class TypedClientTests
{
    private static readonly DateTimeOffset When = new(2014, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static KissmetricsOptions Options => new() { ApiKey = "KEY" };

    [Fact]
    public void Every_method_sends_what_the_direct_call_sends()
    {
        var recording = new RecordingKissmetricsClient(Options);
        IShopAnalytics analytics = new ShopAnalytics(recording);

        analytics.CheckoutStarted("bob", cartId: "c1", items: 3, timestamp: When);
        analytics.CheckoutStarted("bob", new CheckoutStarted("c1", 3, "SAVE"), When);
        analytics.ProductsSearched("bob", timestamp: When);
        analytics.ProductsSearched("bob", query: "socks", timestamp: When);
        analytics.ShopperTraits("bob", email: "bob@example.com", anonymousId: "anon-1", timestamp: When);
        analytics.StoreTraits("bob", groupId: "store-9", name: "Lisbon", employees: 12, timestamp: When);
        analytics.CartPage("bob", url: "https://shop.example/cart", timestamp: When);
        analytics.CartScreen("bob", items: 2, timestamp: When);
        analytics.Alias("bob", "robert");

        KissmetricsOptions options = Options;
        string[] expected =
        [
            .. KissmetricsFormatter.FormatTrack(options, "bob", new CheckoutStarted("c1", 3), When),
            .. KissmetricsFormatter.FormatTrack(options, "bob", new CheckoutStarted("c1", 3, "SAVE"), When),
            .. KissmetricsFormatter.FormatTrack(options, "bob", new ProductsSearched(), When),
            .. KissmetricsFormatter.FormatTrack(options, "bob", new ProductsSearched { Query = "socks" }, When),
            .. KissmetricsFormatter.FormatIdentify(options, "bob", new ShopperTraits("bob@example.com"), "anon-1", When),
            .. KissmetricsFormatter.FormatGroup(options, "bob", "store-9", new StoreTraits("Lisbon", 12), When),
            .. KissmetricsFormatter.FormatPage(options, "bob", new CartPage("https://shop.example/cart"), When),
            .. KissmetricsFormatter.FormatScreen(options, "bob", new CartScreen(2), When),
            .. KissmetricsFormatter.FormatAlias(options, "bob", "robert"),
        ];
        Assert.Equal(expected, recording.Requests.Select(r => r.Line));
    }

    [Fact]
    public void Record_defaults_are_the_method_defaults()
    {
        var recording = new RecordingKissmetricsClient(Options);
        new ShopAnalytics(recording).ShopperTraits("bob", email: "bob@example.com", timestamp: When);

        Assert.Equal("Bronze", recording.Requests.Single()["Loyalty Tier"]);
    }

    [Fact]
    public void App_code_is_tested_against_a_fake_of_the_generated_interface()
    {
        var fake = new FakeShopAnalytics();
        new CheckoutService(fake).StartCheckout("bob", ["a", "b"], coupon: null);

        Assert.Equal([("bob", "cart-2", 2, (string?)null)], fake.Checkouts);
    }

    [Fact]
    public void The_client_covers_only_its_namespace_and_carries_the_record_docs()
    {
        string[] methods = typeof(IShopAnalytics).GetMethods().Select(m => m.Name).Distinct().Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["Alias", "CartPage", "CartScreen", "CheckoutStarted", "ProductsSearched", "ShopperTraits", "StoreTraits"], methods);

        ParameterInfo[] expanded = typeof(IShopAnalytics).GetMethods()
            .Single(m => m.Name == "CheckoutStarted" && m.GetParameters().Any(p => p.Name == "cartId"))
            .GetParameters();
        Assert.Equal(["person", "cartId", "items", "coupon", "timestamp"], expanded.Select(p => p.Name));
        Assert.True(expanded[3].HasDefaultValue);
        Assert.Null(expanded[3].DefaultValue);
    }

    [Fact]
    public void The_constructor_refuses_a_null_client() =>
        Assert.Throws<ArgumentNullException>(() => new ShopAnalytics(null!));

    private sealed class FakeShopAnalytics : IShopAnalytics
    {
        public List<(string Person, string CartId, int Items, string? Coupon)> Checkouts { get; } = [];

        public void Alias(string previousId, string newId) => throw new NotSupportedException();

        public void CartPage(string person, string url, DateTimeOffset? timestamp = null) => throw new NotSupportedException();

        public void CartPage(string person, CartPage page, DateTimeOffset? timestamp = null) => throw new NotSupportedException();

        public void CartScreen(string person, int items, DateTimeOffset? timestamp = null) => throw new NotSupportedException();

        public void CartScreen(string person, CartScreen screen, DateTimeOffset? timestamp = null) => throw new NotSupportedException();

        public void CheckoutStarted(string person, string cartId, int items, string? coupon = null, DateTimeOffset? timestamp = null) =>
            Checkouts.Add((person, cartId, items, coupon));

        public void CheckoutStarted(string person, CheckoutStarted @event, DateTimeOffset? timestamp = null) =>
            Checkouts.Add((person, @event.CartId, @event.Items, @event.Coupon));

        public void ProductsSearched(string person, string? query = null, DateTimeOffset? timestamp = null) => throw new NotSupportedException();

        public void ProductsSearched(string person, ProductsSearched @event, DateTimeOffset? timestamp = null) => throw new NotSupportedException();

        public void ShopperTraits(string person, string email, string? tier = "Bronze", string? anonymousId = null, DateTimeOffset? timestamp = null) => throw new NotSupportedException();

        public void ShopperTraits(string person, ShopperTraits traits, string? anonymousId = null, DateTimeOffset? timestamp = null) => throw new NotSupportedException();

        public void StoreTraits(string person, string groupId, string name, int employees, DateTimeOffset? timestamp = null) => throw new NotSupportedException();

        public void StoreTraits(string person, string groupId, StoreTraits traits, DateTimeOffset? timestamp = null) => throw new NotSupportedException();
    }
}
