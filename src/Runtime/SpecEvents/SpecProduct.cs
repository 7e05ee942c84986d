namespace Kissmetrics.Typed.SpecEvents;

/// <summary>
/// The product properties Segment's e-commerce spec shares between <c>Product Viewed</c>, <c>Product Added</c> and the
/// products of <c>Order Completed</c>, with the spec's property names. Sent before the event's own properties.
/// </summary>
public abstract record SpecProduct
{
    /// <summary>The product's database id (<c>product_id</c>).</summary>
    [KissmetricsProperty("product_id")]
    public string? ProductId { get; init; }

    /// <summary>The product's SKU (<c>sku</c>).</summary>
    [KissmetricsProperty("sku")]
    public string? Sku { get; init; }

    /// <summary>The product's category (<c>category</c>).</summary>
    [KissmetricsProperty("category")]
    public string? Category { get; init; }

    /// <summary>The product's name (<c>name</c>).</summary>
    [KissmetricsProperty("name")]
    public string? Name { get; init; }

    /// <summary>The product's brand (<c>brand</c>).</summary>
    [KissmetricsProperty("brand")]
    public string? Brand { get; init; }

    /// <summary>The product's variant (<c>variant</c>).</summary>
    [KissmetricsProperty("variant")]
    public string? Variant { get; init; }

    /// <summary>The price (<c>price</c>).</summary>
    [KissmetricsProperty("price")]
    public decimal? Price { get; init; }

    /// <summary>The quantity (<c>quantity</c>).</summary>
    [KissmetricsProperty("quantity")]
    public int? Quantity { get; init; }

    /// <summary>A coupon code (<c>coupon</c>).</summary>
    [KissmetricsProperty("coupon")]
    public string? Coupon { get; init; }

    /// <summary>The position in the order (<c>position</c>).</summary>
    [KissmetricsProperty("position")]
    public int? Position { get; init; }

    /// <summary>The product page's URL (<c>url</c>).</summary>
    [KissmetricsProperty("url")]
    public string? Url { get; init; }

    /// <summary>The product image's URL (<c>image_url</c>).</summary>
    [KissmetricsProperty("image_url")]
    public string? ImageUrl { get; init; }
}
