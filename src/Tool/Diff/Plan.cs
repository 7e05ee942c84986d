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
    /// <summary>The JSON type with its format, as a report shows it: <c>integer (unix-time)</c>.</summary>
    public string TypeText => Format is null ? JsonType : JsonType + " (" + Format + ")";
}
