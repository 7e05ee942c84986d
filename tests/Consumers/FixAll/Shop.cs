using System.Collections.Generic;
using Kissmetrics.Typed;

namespace Shop;

public sealed record Address(string City, string Country);

[KissmetricsEvent("Left")]
public record Left(string Reason);

[KissmetricsEvent("Moved")]
public partial record Moved(Address From, List<string> Tags, decimal Revenue, [KissmetricsProperty("_secret")] string Secret, [KissmetricsProperty("a,b")] string Pair);

[KissmetricsTraits]
public partial class Person
{
    public Address Home { get; set; } = new("", "");

    [KissmetricsProperty("_hidden")]
    public List<string> Nicknames { get; set; } = new();
}

[KissmetricsClient]
public partial class ShopAnalytics;
