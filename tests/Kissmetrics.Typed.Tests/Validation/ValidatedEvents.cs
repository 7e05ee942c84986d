using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;

namespace Kissmetrics.Typed.Tests.Validation;

public enum Tier
{
    Free,
    Pro,
    Team,
}

[KissmetricsEvent("Ranged")]
public sealed partial record Ranged(
    [Range(1, 10)] int Quantity,
    [Range(0.5, 2.5)] double Ratio,
    [Range(typeof(decimal), "0.01", "100")] decimal Price,
    [Range(1, 10, MinimumIsExclusive = true, MaximumIsExclusive = true)] long Exclusive,
    [Range(0, double.MaxValue)] int NonNegative,
    [Range(1, 5)] int? Optional,
    [Range(0, 100)] ulong Unsigned);

[KissmetricsEvent("Lengths")]
public sealed partial record Lengths(
    [StringLength(5, MinimumLength = 2)] string? Code,
    [StringLength(3)] string? Short,
    [MinLength(2)] string? AtLeastTwo,
    [MaxLength(3)] string? AtMostThree,
    [MinLength(1), MaxLength(2), KissmetricsJoin] List<string>? Tags,
    [MaxLength(2), KissmetricsJoin] int[]? Numbers,
    [MinLength(1), KissmetricsJoin] IReadOnlyList<string>? Labels);

[KissmetricsEvent("Patterned")]
public sealed partial record Patterned(
    [RegularExpression("[A-Z]{3}")] string? Currency,
    [RegularExpression("a|ab")] string? FirstMatch);

[KissmetricsEvent("Chosen")]
public sealed partial record Chosen(
    [AllowedValues("Free", "Pro")] string? Plan,
    [AllowedValues("A", null)] string? NullAllowed,
    [AllowedValues(Tier.Free, Tier.Pro)] Tier Tier,
    [AllowedValues(1, 2, 3)] int Level,
    [DeniedValues("admin", "root")] string? UserName);

[KissmetricsEvent("Needed")]
public sealed partial record Needed(
    [Required] string? Name,
    [Required(AllowEmptyStrings = true)] string? Note,
    [Required] int? Count,
    [Required, StringLength(3)] string? Both,
    [Required(ErrorMessage = "{0} is needed"), KissmetricsJoin] List<string>? Items);

public sealed record Address([Required] string? City, [StringLength(2, MinimumLength = 2)] string? Country);

[KissmetricsEvent("Shipped")]
public sealed partial record Shipped([KissmetricsFlatten] Address? Address, [Range(1, 3)] int Boxes);

[KissmetricsTraits]
public sealed partial record ValidatedTraits([Range(18, 130)] int? Age, [EmailAddressLike] string? Email);

/// <summary>An attribute outside DataAnnotations is not a ValidationAttribute: not checked, and not a KM021 either.</summary>
[System.AttributeUsage(System.AttributeTargets.All)]
public sealed class EmailAddressLikeAttribute : System.Attribute
{
}

[KissmetricsPage("Pricing")]
public sealed partial record PricingPage([StringLength(10)] string? Campaign);

/// <summary>All rules on one event, every value valid: the allocation test.</summary>
[KissmetricsEvent("Everything")]
public sealed partial record Everything(
    [Required, StringLength(20, MinimumLength = 1), RegularExpression("[a-z]+(-[a-z]+)*")] string Slug,
    [Range(1, 10)] int Quantity,
    [Range(0.0, 1.0)] double Share,
    [AllowedValues("Free", "Pro")] string Plan,
    [DeniedValues("root")] string User,
    [MinLength(1), MaxLength(5), KissmetricsJoin] IReadOnlyList<string> Tags,
    [KissmetricsFlatten] Address Address);

public sealed record CheckedLine([Required] string? Sku, [Range(1, 99)] int Quantity);

/// <summary>A completed order whose products carry rules: each product is checked as its own request writes it.</summary>
[KissmetricsEvent("Completed Order Checked")]
public sealed partial record CheckedOrder([Required] string? OrderId, List<CheckedLine?>? Products);

/// <summary>The same with products behind an interface without an indexer: walked as the serializer walks them.</summary>
[KissmetricsEvent("Completed Order Enumerated")]
public sealed partial record EnumeratedOrder(IEnumerable<CheckedLine>? Products);

public readonly record struct CheckedItem([Range(1, 9)] int Quantity);

/// <summary>Products as an array of structs.</summary>
[KissmetricsEvent("Completed Order Of Structs")]
public sealed partial record StructItemsOrder(CheckedItem[] Products);
