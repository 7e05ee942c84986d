namespace Kissmetrics.Typed.Generator.Model;

/// <summary>
/// One entry of the tracking plan, resolved by the parser (<c>PlanRows.Entry</c>): the runtime's <c>PlanEntry</c> plus its
/// rows. The one definition of what the plan says of a type: the plan emitter lays it out as text and the drift analyzer
/// compares it with the checked-in plan file, so the two cannot disagree. <see cref="Products"/> is
/// <see langword="null"/> for a type without products (no products array is written, which is not an empty one).
/// </summary>
internal sealed record PlanEntrySpec(
    string Kind,
    string TypeName,
    string? Name,
    string? CategorizedName,
    string? Description,
    EquatableArray<PlanRowSpec> Properties,
    EquatableArray<PlanRowSpec>? Products);

/// <summary>
/// One property row of the plan, as the runtime's <c>PlanProperty</c> writes it. <see cref="EnumValues"/> is
/// <see langword="null"/> for a value that is not an enum (or a constant).
/// </summary>
internal sealed record PlanRowSpec(
    string Member,
    string Name,
    string? PrefixedName,
    string JsonType,
    string? Format,
    bool Required,
    EquatableArray<string>? EnumValues,
    string? Description,
    bool Flattened,
    bool Joined,
    bool Revenue)
{
    /// <summary>The member of a constant row (<c>(Page - name)</c>): no C# member, a value fixed by the entry's names.</summary>
    public static string ConstantMember(string wireName) => "(" + wireName + ")";

    /// <summary>Whether <paramref name="member"/> names a constant row rather than a C# member.</summary>
    public static bool IsConstantMember(string member) => member.StartsWith("(", System.StringComparison.Ordinal);
}
