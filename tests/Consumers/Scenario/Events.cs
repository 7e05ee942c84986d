// The events of every consumer project (.ci/package-consumers), written in C# 7.3, the .NET Framework default:
// partial classes with get/set properties, no records, no nullable annotations, no newer syntax.
using System;
using System.Collections.Generic;
using System.Runtime.Serialization;
using Kissmetrics.Typed;

namespace Consumer
{
    /// <summary>A plan, sent by name.</summary>
    public enum Plan
    {
        /// <summary>The free plan.</summary>
        Free,

        /// <summary>The paid plan, sent as <c>pro (yearly)</c>.</summary>
        [EnumMember(Value = "pro (yearly)")]
        Pro,
    }

    /// <summary>Where a company is billed; flattened into <c>Billing.City</c> and <c>Billing.Country</c>.</summary>
    public sealed class Address
    {
        /// <summary>The city.</summary>
        public string City { get; set; }

        /// <summary>The country.</summary>
        public string Country { get; set; }
    }

    /// <summary>A new account: every scalar kind, an enum, a nested object and a list.</summary>
    [KissmetricsEvent("Signed Up")]
    public partial class SignedUp
    {
        /// <summary>The plan.</summary>
        public Plan Plan { get; set; }

        /// <summary>A referral code, sent under its own name.</summary>
        [KissmetricsProperty("Referral Code")]
        public string ReferralCode { get; set; }

        /// <summary>Seats bought.</summary>
        public int Seats { get; set; }

        /// <summary>A ratio with a fraction: the shortest round-trip text, as JavaScript writes it.</summary>
        public double Ratio { get; set; }

        /// <summary>A tiny number: exponent notation.</summary>
        public double Tiny { get; set; }

        /// <summary>A price.</summary>
        public decimal Price { get; set; }

        /// <summary>Whether it is a trial.</summary>
        public bool Trial { get; set; }

        /// <summary>When the trial ends, as Unix seconds.</summary>
        public DateTimeOffset? TrialEndsAt { get; set; }

        /// <summary>Where the account is billed.</summary>
        [KissmetricsFlatten]
        public Address Billing { get; set; }

        /// <summary>Features, comma-joined.</summary>
        [KissmetricsJoin]
        public List<string> Features { get; set; }
    }

    /// <summary>One line of an order.</summary>
    public sealed class OrderLine
    {
        /// <summary>The stock-keeping unit.</summary>
        public string Sku { get; set; }

        /// <summary>The price of one.</summary>
        public decimal Price { get; set; }

        /// <summary>How many.</summary>
        public int Quantity { get; set; }
    }

    /// <summary>A completed order: the event with its total as revenue, then one request per product.</summary>
    [KissmetricsEvent("Order Completed")]
    public partial class OrderPlaced
    {
        /// <summary>The order's id.</summary>
        [KissmetricsProperty("order_id")]
        public string OrderId { get; set; }

        /// <summary>The total, sent as revenue and Billing Amount.</summary>
        [KissmetricsProperty("total")]
        public decimal Total { get; set; }

        /// <summary>The products.</summary>
        [KissmetricsProperty("products")]
        public List<OrderLine> Products { get; set; }
    }

    /// <summary>What we know about a person.</summary>
    [KissmetricsTraits]
    public partial class PersonTraits
    {
        /// <summary>The email address (unicode and reserved characters are percent-encoded).</summary>
        public string Email { get; set; }

        /// <summary>Visits so far.</summary>
        public long Visits { get; set; }
    }

    /// <summary>What we know about a company.</summary>
    [KissmetricsGroupTraits]
    public partial class CompanyTraits
    {
        /// <summary>The company's name.</summary>
        public string Name { get; set; }

        /// <summary>Employees.</summary>
        public int Employees { get; set; }
    }

    /// <summary>A documentation page, sent as <c>Viewed Docs Page</c>.</summary>
    [KissmetricsPage("Docs", Category = "Guides")]
    public partial class DocsPage
    {
        /// <summary>The page's address.</summary>
        public string Url { get; set; }
    }

    /// <summary>The home screen, sent as <c>Viewed Home Screen</c>.</summary>
    [KissmetricsScreen("Home")]
    public partial class HomeScreen
    {
        /// <summary>Unread messages.</summary>
        public int Unread { get; set; }
    }

    /// <summary>The typed client of these events.</summary>
    [KissmetricsClient]
    public partial class ConsumerAnalytics
    {
    }
}
