using System.Collections.Generic;
using Kissmetrics.Typed;

namespace Shop;

public sealed record Address(string City, string Country);

[KissmetricsEvent("Left")]
public partial record Left(string Reason);

[KissmetricsEvent("Moved")]
public partial record Moved([KissmetricsFlatten] Address From, [KissmetricsJoin] List<string> Tags, [KissmetricsRevenue] decimal Revenue, [KissmetricsProperty("secret")] string Secret, [KissmetricsProperty("a b")] string Pair);

[KissmetricsTraits]
public partial class Person
{
    [KissmetricsFlatten]
    public Address Home { get; set; } = new("", "");

    [KissmetricsProperty("hidden"), KissmetricsJoin]
    public List<string> Nicknames { get; set; } = new();
}

[KissmetricsClient]
public partial class ShopAnalytics;
public partial interface IShopAnalytics;
