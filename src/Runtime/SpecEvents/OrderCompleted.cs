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
public sealed record OrderProduct : SpecProduct;
