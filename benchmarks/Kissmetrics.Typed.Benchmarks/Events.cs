using System;
using System.Collections.Generic;
using System.Runtime.Serialization;
using System.Text.Json.Serialization;

namespace Kissmetrics.Typed.Benchmarks;

// The event shapes the benchmarks send. Each carries the attributes every alternative needs to produce the same
// bytes: [KissmetricsProperty] for ours and the naive reflection flattener, [JsonPropertyName] and
// [JsonStringEnumMemberName] for System.Text.Json. The acknowledging attributes ([KissmetricsFlatten],
// [KissmetricsJoin], [KissmetricsRevenue]) keep the analyzers' "did you mean this" warnings quiet.

/// <summary>The 3-property event.</summary>
[KissmetricsEvent("Signed Up")]
public sealed partial record SignedUp
{
    public string? Plan { get; init; }

    [KissmetricsProperty("Referral Code")]
    [JsonPropertyName("Referral Code")]
    public string? ReferralCode { get; init; }

    public int Seats { get; init; }
}

public enum BillingPeriod
{
    Monthly,

    [EnumMember(Value = "yearly (save 20%)")]
    [JsonStringEnumMemberName("yearly (save 20%)")]
    Yearly,
}

public sealed record Address
{
    public string? City { get; init; }

    public string? Country { get; init; }

    [KissmetricsProperty("Postal Code")]
    [JsonPropertyName("Postal Code")]
    public string? PostalCode { get; init; }
}

/// <summary>The 10-property event: a nested object, an enum, a list, revenue, a date, a double and a bool.</summary>
[KissmetricsEvent("Subscription Started")]
public sealed partial record SubscriptionStarted
{
    public string? Plan { get; init; }

    public BillingPeriod Period { get; init; }

    [KissmetricsRevenue]
    public decimal Revenue { get; init; }

    [KissmetricsFlatten]
    [KissmetricsProperty("Billing Address")]
    [JsonPropertyName("Billing Address")]
    public Address? BillingAddress { get; init; }

    [KissmetricsJoin]
    public IReadOnlyList<string>? Features { get; init; }

    public int Seats { get; init; }

    [KissmetricsProperty("Trial Ended At")]
    [JsonPropertyName("Trial Ended At")]
    public DateTimeOffset TrialEndedAt { get; init; }

    public string? Coupon { get; init; }

    public double Discount { get; init; }

    [KissmetricsProperty("Auto Renew")]
    [JsonPropertyName("Auto Renew")]
    public bool AutoRenew { get; init; }
}

public sealed record Product
{
    public string? Sku { get; init; }

    public string? Name { get; init; }

    public string? Category { get; init; }

    public decimal Price { get; init; }

    public int Quantity { get; init; }
}

/// <summary>A completed order (mapping.md §9): the event without its products, then one <c>/s</c> per product.</summary>
[KissmetricsEvent("Order Completed")]
public sealed partial record OrderCompleted
{
    [KissmetricsProperty("Order Id")]
    [JsonPropertyName("Order Id")]
    public string? OrderId { get; init; }

    public decimal Total { get; init; }

    public decimal Shipping { get; init; }

    public decimal Tax { get; init; }

    public string? Currency { get; init; }

    public string? Coupon { get; init; }

    public List<Product>? Products { get; init; }
}

/// <summary>The values sent: what a real application would send, with text that needs encoding.</summary>
public static class Samples
{
    public const string ApiKey = "b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5";
    public const string Person = "bob@example.com";

    public static readonly DateTimeOffset Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_795_000_000);

    public static readonly KissmetricsOptions Options = new() { ApiKey = ApiKey };

    public static readonly SignedUp SignedUp = new() { Plan = "Pro", ReferralCode = "FRIEND-10", Seats = 5 };

    public static readonly SubscriptionStarted SubscriptionStarted = new()
    {
        Plan = "Pro Annual",
        Period = BillingPeriod.Yearly,
        Revenue = 450m,
        BillingAddress = new Address { City = "Lisbon", Country = "PT", PostalCode = "1100-148" },
        Features = ["sso", "audit log", "priority support"],
        Seats = 25,
        TrialEndedAt = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
        Coupon = "SPRING-20",
        Discount = 0.2,
        AutoRenew = true,
    };

    public static readonly OrderCompleted OrderCompleted = new()
    {
        OrderId = "50314b8e9bcf000000000000",
        Total = 127.45m,
        Shipping = 4.99m,
        Tax = 10.37m,
        Currency = "EUR",
        Coupon = "WELCOME",
        Products =
        [
            new Product { Sku = "45790-32", Name = "Monopoly: 3rd Edition", Category = "Games", Price = 19.99m, Quantity = 1 },
            new Product { Sku = "46493-32", Name = "Uno Card Game", Category = "Games", Price = 3.99m, Quantity = 2 },
            new Product { Sku = "30721-11", Name = "Café crème mugs (set of 2)", Category = "Kitchen", Price = 24.5m, Quantity = 1 },
            new Product { Sku = "11204-07", Name = "Reading lamp", Category = "Home & Garden", Price = 39.9m, Quantity = 1 },
            new Product { Sku = "88012-55", Name = "Notebook A5", Category = "Office", Price = 2.5m, Quantity = 4 },
        ],
    };
}
