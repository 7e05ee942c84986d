using Xunit;
using static Kissmetrics.Typed.Tests.Mapping.Golden;

namespace Kissmetrics.Typed.Tests.Mapping;

/// <summary>mapping.md §9: completed orders, an <c>/e</c> then one <c>/s</c> per product at <c>_t</c> + index.</summary>
public sealed class CompletedOrderTests
{
    private static OrderCompleted TwoProducts(decimal total = 30m) =>
        new("o1", total, [new Product("a", 10.00m, 1), new Product("b & c", 20m, 2)], "USD");

    [Fact]
    public void OrderCompletedWithoutRevenueUsesItsTotalThenSendsEachProduct() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", TwoProducts(), When),
        "/e?_k=km-key&_p=bob&_n=Order%20Completed&_t=1388534400&_d=1" +
        "&Order%20Completed%20-%20order_id=o1&Order%20Completed%20-%20total=30&Order%20Completed%20-%20currency=USD" +
        "&Order%20Completed%20-%20revenue=30&Billing%20Amount=30",
        "/s?_k=km-key&_p=bob&_t=1388534400&_d=1&Order%20Completed%20-%20sku=a&Order%20Completed%20-%20price=10&Order%20Completed%20-%20quantity=1",
        "/s?_k=km-key&_p=bob&_t=1388534401&_d=1&Order%20Completed%20-%20sku=b%20%26%20c&Order%20Completed%20-%20price=20&Order%20Completed%20-%20quantity=2");

    [Theory]
    [InlineData("bob+1@example.com", "bob%2B1%40example.com")] // encoded once, copied into each product request
    [InlineData("josé", "jos%C3%A9")] // not ASCII: each request encodes it
    [InlineData("a-person-id-longer-than-the-short-text-limit-of-48-characters", "a-person-id-longer-than-the-short-text-limit-of-48-characters")]
    public void EveryProductRequestCarriesThePersonAsTheOrderDoes(string person, string encoded) => Lines(
        KissmetricsFormatter.FormatTrack(Options(prefix: false), person, TwoProducts(), When),
        "/e?_k=km-key&_p=" + encoded + "&_n=Order%20Completed&_t=1388534400&_d=1&order_id=o1&total=30&currency=USD&revenue=30&Billing%20Amount=30",
        "/s?_k=km-key&_p=" + encoded + "&_t=1388534400&_d=1&sku=a&price=10&quantity=1",
        "/s?_k=km-key&_p=" + encoded + "&_t=1388534401&_d=1&sku=b%20%26%20c&price=20&quantity=2");

    [Fact]
    public void WithoutPrefixTheOrderAndItsProductsAreUnprefixed() => Lines(
        KissmetricsFormatter.FormatTrack(Options(prefix: false), "bob", TwoProducts(), When),
        "/e?_k=km-key&_p=bob&_n=Order%20Completed&_t=1388534400&_d=1&order_id=o1&total=30&currency=USD&revenue=30&Billing%20Amount=30",
        "/s?_k=km-key&_p=bob&_t=1388534400&_d=1&sku=a&price=10&quantity=1",
        "/s?_k=km-key&_p=bob&_t=1388534401&_d=1&sku=b%20%26%20c&price=20&quantity=2");

    [Fact]
    public void AZeroTotalIsRevenueWithoutBillingAmount() => Lines(
        KissmetricsFormatter.FormatTrack(Options(prefix: false), "bob", new OrderCompleted("o1", 0m, [], "USD"), When),
        "/e?_k=km-key&_p=bob&_n=Order%20Completed&_t=1388534400&_d=1&order_id=o1&total=0&currency=USD&revenue=0");

    [Fact]
    public void NullProductsSendOnlyTheOrder() => Lines(
        KissmetricsFormatter.FormatTrack(Options(prefix: false), "bob", new OrderCompleted("o1", 5m, null, "USD"), When),
        "/e?_k=km-key&_p=bob&_n=Order%20Completed&_t=1388534400&_d=1&order_id=o1&total=5&currency=USD&revenue=5&Billing%20Amount=5");

    [Fact]
    public void ProductsInAnArrayAndAnOrderWithItsOwnRevenueKeepTotalAsAProperty() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new CompletedOrder([new Product("a", 0.10m, 3)], 25.5, 20), When),
        "/e?_k=km-key&_p=bob&_n=Completed%20Order&_t=1388534400&_d=1" +
        "&Completed%20Order%20-%20total=25.5&Completed%20Order%20-%20revenue=20&Billing%20Amount=20",
        "/s?_k=km-key&_p=bob&_t=1388534400&_d=1&Completed%20Order%20-%20sku=a&Completed%20Order%20-%20price=0.1&Completed%20Order%20-%20quantity=3");

    /// <summary>
    /// A product's own revenue yields <c>Billing Amount</c> (not when zero); a null total sends no revenue; a null product
    /// still takes its index (choice, as Segment's integration does: an <c>/s</c> with nothing but the control parameters).
    /// </summary>
    [Fact]
    public void SnakeCasedNameProductsWithRevenueAndANullProduct() => Lines(
        KissmetricsFormatter.FormatTrack(
            Options(),
            "bob",
            new OrderCompletedSnake([new RevenueProduct("a", 5m), null, new RevenueProduct("c", 0m, new InnerPart("x", "y"))], null),
            When),
        "/e?_k=km-key&_p=bob&_n=order_completed&_t=1388534400&_d=1",
        "/s?_k=km-key&_p=bob&_t=1388534400&_d=1&order_completed%20-%20sku=a&order_completed%20-%20revenue=5&Billing%20Amount=5",
        "/s?_k=km-key&_p=bob&_t=1388534401&_d=1",
        "/s?_k=km-key&_p=bob&_t=1388534402&_d=1&order_completed%20-%20sku=c&order_completed%20-%20revenue=0" +
        "&order_completed%20-%20Part.X=x&order_completed%20-%20Part.Y=y");

    [Fact]
    public void SnakeCasedOrderUsesItsDoubleTotalAsRevenue() => Lines(
        KissmetricsFormatter.FormatTrack(Options(prefix: false), "bob", new OrderCompletedSnake([], 0.1 + 0.2), When),
        "/e?_k=km-key&_p=bob&_n=order_completed&_t=1388534400&_d=1&total=0.30000000000000004&revenue=0.30000000000000004&Billing%20Amount=0.30000000000000004");

    [Fact]
    public void ProductTimesContinueAcrossAMinuteFromAFractionalTimestamp()
    {
        var products = new Product[62];
        for (int i = 0; i < products.Length; i++)
        {
            products[i] = new Product("s" + i, i, 1);
        }

        var lines = KissmetricsFormatter.FormatTrack(Options(prefix: false), "bob", new CompletedOrder(products, 1, 1), When.AddMilliseconds(999));
        Assert.Equal(63, lines.Count);
        Assert.Equal("/e?_k=km-key&_p=bob&_n=Completed%20Order&_t=1388534400&_d=1&total=1&revenue=1&Billing%20Amount=1", lines[0]);
        Assert.Equal("/s?_k=km-key&_p=bob&_t=1388534400&_d=1&sku=s0&price=0&quantity=1", lines[1]);
        Assert.Equal("/s?_k=km-key&_p=bob&_t=1388534461&_d=1&sku=s61&price=61&quantity=1", lines[62]);
    }

    /// <summary>The regex's first alternative has no <c>$</c>: a name that merely starts with "Completed Order" matches.</summary>
    [Fact]
    public void ANameMatchingTheFirstAlternativeByPrefixIsACompletedOrder() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new CompletedOrderSummary([new Product("a", 7m, 1)], 7), When),
        "/e?_k=km-key&_p=bob&_n=Completed%20Order%20Summary&_t=1388534400&_d=1" +
        "&Completed%20Order%20Summary%20-%20total=7&Completed%20Order%20Summary%20-%20revenue=7&Billing%20Amount=7",
        "/s?_k=km-key&_p=bob&_t=1388534400&_d=1&Completed%20Order%20Summary%20-%20sku=a&Completed%20Order%20Summary%20-%20price=7" +
        "&Completed%20Order%20Summary%20-%20quantity=1");

    /// <summary>The second alternative is anchored at the end: "Order Completed Again" is an ordinary event, its total is not revenue.</summary>
    [Fact]
    public void ANameThatDoesNotMatchIsAnOrdinaryEvent() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new OrderCompletedAgain(30m, ["a", "b"]), When),
        "/e?_k=km-key&_p=bob&_n=Order%20Completed%20Again&_t=1388534400&_d=1" +
        "&Order%20Completed%20Again%20-%20total=30&Order%20Completed%20Again%20-%20products=a%2Cb");
}
