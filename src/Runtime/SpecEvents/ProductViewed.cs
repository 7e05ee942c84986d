namespace Kissmetrics.Typed.SpecEvents;

/// <summary>Segment's <c>Product Viewed</c> e-commerce spec event, with the spec's property names.</summary>
[KissmetricsEvent("Product Viewed")]
public sealed partial record ProductViewed : SpecProduct
{
    /// <summary>The ISO 4217 currency code (<c>currency</c>).</summary>
    [KissmetricsProperty("currency")]
    public string? Currency { get; init; }

    /// <summary>The total value of the product after quantity (<c>value</c>).</summary>
    [KissmetricsProperty("value")]
    public decimal? Value { get; init; }
}
