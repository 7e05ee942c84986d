using System;
using System.Collections.Generic;

namespace Kissmetrics.Typed.EndToEnd;

/// <summary>
/// The event every contender sends: 11 properties, among them a nested object (flattened), an array (joined), a revenue
/// (also sent as <c>Billing Amount</c>), and last the two the tracker reads: a unique id and the time of the
/// <c>Track</c> call in Unix microseconds. A struct, so that building one allocates nothing: what a contender
/// allocates per event is its own.
/// </summary>
[KissmetricsEvent(BenchEvent.Name)]
public partial record struct BenchEvent
{
    public const string Name = "Subscription Renewed";

    public string? Plan { get; init; }

    [KissmetricsRevenue]
    public decimal Revenue { get; init; }

    [KissmetricsFlatten]
    [KissmetricsProperty("Billing Address")]
    public BenchAddress? BillingAddress { get; init; }

    [KissmetricsJoin]
    public IReadOnlyList<string>? Features { get; init; }

    public int Seats { get; init; }

    public string? Coupon { get; init; }

    public double Discount { get; init; }

    [KissmetricsProperty("Auto Renew")]
    public bool AutoRenew { get; init; }

    public string? Currency { get; init; }

    /// <summary>Unique per event within a measurement: the tracker counts unique and duplicated ids.</summary>
    [KissmetricsProperty("event_id")]
    public long EventId { get; init; }

    /// <summary>When <c>Track</c> was called, Unix microseconds (the tracker computes the delay to delivery).</summary>
    [KissmetricsProperty("tracked_us")]
    public long TrackedUs { get; init; }
}

public sealed record BenchAddress
{
    public string? City { get; init; }

    public string? Country { get; init; }

    [KissmetricsProperty("Postal Code")]
    public string? PostalCode { get; init; }
}

/// <summary>The values sent; the same for every contender.</summary>
internal static class BenchData
{
    public const string ApiKey = "b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5";
    public const string Person = "bob@example.com";

    /// <summary>The timestamp of the byte-identity check's events (<c>_t</c>), fixed so every contender sends the same bytes.</summary>
    public static readonly DateTimeOffset CheckTimestamp = DateTimeOffset.FromUnixTimeSeconds(1_795_000_000);

    /// <summary>The <c>tracked_us</c> of the check's first event (the others follow by one).</summary>
    public const long CheckTrackedUs = 1_795_000_000_000_000;

    /// <summary>How many fixed events each contender sends for the byte-identity check.</summary>
    public const int CheckEvents = 5;

    private static readonly BenchAddress s_address = new() { City = "Lisbon", Country = "PT", PostalCode = "1100-148" };
    private static readonly string[] s_features = ["sso", "audit log", "priority support"];

    public static readonly BenchEvent Template = new()
    {
        Plan = "Pro Annual",
        Revenue = 450.5m,
        BillingAddress = s_address,
        Features = s_features,
        Seats = 25,
        Coupon = "SPRING-20",
        Discount = 0.2,
        AutoRenew = true,
        Currency = "EUR",
    };

    public static BenchEvent Event(long id, long trackedUs) => Template with { EventId = id, TrackedUs = trackedUs };

    /// <summary>The current time in Unix microseconds (the same clock in every process of the machine).</summary>
    public static long NowUs() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
}
