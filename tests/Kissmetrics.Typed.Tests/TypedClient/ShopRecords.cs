using System.Collections.Generic;
using Kissmetrics.Typed;

namespace Kissmetrics.Typed.Tests.TypedClient.Shop;

/// <summary>A cart was checked out.</summary>
/// <param name="CartId">The cart's id.</param>
/// <param name="Items">How many items it held.</param>
/// <param name="Coupon">A coupon code, if one was used.</param>
[KissmetricsEvent("Checkout Started")]
public partial record CheckoutStarted(string CartId, int Items, string? Coupon = null);

/// <summary>A product was searched for.</summary>
[KissmetricsEvent("Products Searched")]
public partial record ProductsSearched
{
    /// <summary>What was typed.</summary>
    public string? Query { get; init; }
}

/// <summary>A shopper's traits.</summary>
[KissmetricsTraits]
public partial record ShopperTraits(string Email, [property: KissmetricsProperty("Loyalty Tier")] string? Tier = "Bronze");

/// <summary>The store a shopper belongs to.</summary>
[KissmetricsGroupTraits]
public partial record StoreTraits(string Name, int Employees);

/// <summary>The cart page.</summary>
[KissmetricsPage("Cart", Category = "Checkout")]
public partial record CartPage(string Url);

/// <summary>The cart screen of the app.</summary>
[KissmetricsScreen(Category = "Checkout")]
public partial record CartScreen(int Items);

/// <summary>The typed client of the shop: covers this namespace only.</summary>
[KissmetricsClient(Namespace = "Kissmetrics.Typed.Tests.TypedClient.Shop")]
public partial class ShopAnalytics;

/// <summary>Application code that depends on the generated interface, as a real app would.</summary>
public sealed class CheckoutService(IShopAnalytics analytics)
{
    public void StartCheckout(string shopper, IReadOnlyList<string> items, string? coupon)
    {
        analytics.CheckoutStarted(shopper, cartId: "cart-" + items.Count, items: items.Count, coupon: coupon);
    }
}
