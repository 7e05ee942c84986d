using System.Runtime.Serialization;
using Kissmetrics.Typed;

namespace QuickStart;

/// <summary>A new account; the simplest event.</summary>
[KissmetricsEvent("Signed Up")]
public partial record SignedUp(string Plan, [KissmetricsProperty("Referral Code")] string? ReferralCode = null);

/// <summary>A billing period, sent by name.</summary>
public enum BillingPeriod
{
    Monthly,
    [EnumMember(Value = "yearly (save 20%)")]
    Yearly,
}

/// <summary>Where a subscription is billed; flattened into <c>Billing Address.City</c> and so on.</summary>
public sealed record Address(string City, string Country);

/// <summary>A paid subscription: a nested object, an enum, a list and revenue.</summary>
[KissmetricsEvent("Subscribed")]
public partial record Subscribed(
    string Plan,
    BillingPeriod Period,
    [KissmetricsRevenue] decimal Amount,
    [KissmetricsFlatten, KissmetricsProperty("Billing Address")] Address BillingAddress,
    [KissmetricsJoin] IReadOnlyList<string> Features,
    int Seats,
    DateTimeOffset TrialEndedAt);

/// <summary>What we know about a person.</summary>
[KissmetricsTraits]
public partial record UserTraits(string Email, [KissmetricsProperty("Plan Name")] string PlanName, int? Age = null);

/// <summary>What we know about a customer company.</summary>
[KissmetricsGroupTraits]
public partial record CompanyTraits(string Name, int Employees);

/// <summary>A documentation page, sent as <c>Viewed Docs Page</c>.</summary>
[KissmetricsPage("Docs", Category = "Guides")]
public partial record DocsPage(string Url, string? Referrer = null);

/// <summary>The mobile home screen, sent as <c>Viewed Home Screen</c>.</summary>
[KissmetricsScreen("Home")]
public partial record HomeScreen(int UnreadMessages);

/// <summary>One line of an order.</summary>
public sealed record OrderLine(string Sku, string Name, decimal Price, int Quantity);

/// <summary>A completed order: the event (its total sent as revenue), then one request per product.</summary>
[KissmetricsEvent("Order Completed")]
public partial record OrderPlaced(string OrderId, decimal Total, string Currency, IReadOnlyList<OrderLine> Products);
