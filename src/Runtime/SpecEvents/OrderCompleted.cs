using System.Collections.Generic;

namespace Kissmetrics.Typed.SpecEvents;

/// <summary>
/// Segment's <c>Order Completed</c> e-commerce spec event. It is a completed order (mapping.md §9): the event is
/// sent without its products, its <c>total</c> serves as revenue (<c>Order Completed - revenue</c> and
/// <c>Billing Amount</c>), and each product follows as a request of its own at the order's time plus its index.
/// </summary>
/// <remarks>
/// It declares no <c>revenue</c> property on purpose: with one, a null revenue would send no <c>Billing Amount</c>
/// even with a total. Declare your own record with <c>[KissmetricsRevenue]</c> to send a revenue different from the total.
/// </remarks>
[KissmetricsEvent("Order Completed")]
public sealed partial record OrderCompleted
{
    /// <summary>The checkout's id (<c>checkout_id</c>).</summary>
    [KissmetricsProperty("checkout_id")]
    public string? CheckoutId { get; init; }

    /// <summary>The order's id (<c>order_id</c>).</summary>
    [KissmetricsProperty("order_id")]
    public string? OrderId { get; init; }

    /// <summary>The store or affiliation (<c>affiliation</c>).</summary>
    [KissmetricsProperty("affiliation")]
    public string? Affiliation { get; init; }

    /// <summary>The total with shipping and taxes (<c>total</c>); also sent as revenue and <c>Billing Amount</c>.</summary>
    [KissmetricsProperty("total")]
    public decimal? Total { get; init; }

    /// <summary>The total before shipping and taxes (<c>subtotal</c>).</summary>
    [KissmetricsProperty("subtotal")]
    public decimal? Subtotal { get; init; }

    /// <summary>The shipping cost (<c>shipping</c>).</summary>
    [KissmetricsProperty("shipping")]
    public decimal? Shipping { get; init; }

    /// <summary>The tax (<c>tax</c>).</summary>
    [KissmetricsProperty("tax")]
    public decimal? Tax { get; init; }

    /// <summary>The discount (<c>discount</c>).</summary>
    [KissmetricsProperty("discount")]
    public decimal? Discount { get; init; }

    /// <summary>A coupon code (<c>coupon</c>).</summary>
    [KissmetricsProperty("coupon")]
    public string? Coupon { get; init; }

    /// <summary>The ISO 4217 currency code (<c>currency</c>).</summary>
    [KissmetricsProperty("currency")]
    public string? Currency { get; init; }

    /// <summary>The products ordered; each is sent as a request of its own.</summary>
    [KissmetricsProperty("products")]
    public IReadOnlyList<OrderProduct>? Products { get; init; }
}

/// <summary>One product of an <see cref="OrderCompleted"/>, with the spec's property names.</summary>
public sealed record OrderProduct
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
