namespace Kissmetrics.Typed.SpecEvents;

/// <summary>Segment's <c>Product Added</c> e-commerce spec event (to a cart), with the spec's property names.</summary>
[KissmetricsEvent("Product Added")]
public sealed partial record ProductAdded : SpecProduct
{
    /// <summary>The cart's id (<c>cart_id</c>).</summary>
    [KissmetricsProperty("cart_id")]
    public string? CartId { get; init; }
}
