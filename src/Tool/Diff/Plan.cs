using System.Collections.Generic;

namespace Kissmetrics.Typed.Tool.Diff;

/// <summary>A <c>kissmetrics-plan.json</c>, read back for a diff: its entries in file order.</summary>
internal sealed record Plan(string Path, IReadOnlyList<PlanEntry> Entries);

/// <summary>
/// One entry: a Kissmetrics call (<c>track</c>, <c>identify</c>, <c>group</c>, <c>page</c>, <c>screen</c>) and the C# type it
/// comes from. <see cref="Name"/> is the event name (none for traits and group traits: they set person properties).
/// </summary>
internal sealed record PlanEntry(
    string Kind,
    string Type,
    string? Name,
    string? CategorizedName,
    string? Description,
    IReadOnlyList<PlanProperty> Properties,
    IReadOnlyList<PlanProperty> Products);

/// <summary>One property, as Kissmetrics receives it: its wire <see cref="Name"/>, JSON type and format.</summary>
internal sealed record PlanProperty(
    string Member,
    string Name,
    string JsonType,
    string? Format,
    bool Required,
    string? Description,
    IReadOnlyList<string>? EnumValues)
{
    /// <summary>The wire name when the event prefix is on (<c>Signed Up - Plan</c>); none for traits, which are never prefixed.</summary>
    public string? PrefixedName { get; init; }

    /// <summary>Whether it comes from a flattened nested object (<c>Billing Address.City</c>).</summary>
    public bool Flattened { get; init; }

    /// <summary>Whether it is a collection sent joined with commas.</summary>
    public bool Joined { get; init; }

    /// <summary>Whether it is the revenue (also sent as <c>Billing Amount</c>).</summary>
    public bool Revenue { get; init; }

    /// <summary>The JSON type with its format, as a report shows it: <c>integer (unix-time)</c>.</summary>
    public string TypeText => Format is null ? JsonType : JsonType + " (" + Format + ")";
}
