namespace Kissmetrics.Typed.Generator.Model;

/// <summary>
/// Everything the emitter needs, with every wire name computed and percent-encoded: the emitter only lays out
/// text. Names are kept both unencoded (for diagnostics and the plan) and encoded (for the generated literals);
/// <see cref="Plan"/> is the type's tracking-plan entry, resolved with the names.
/// </summary>
internal sealed record SerializerSpec(
    TypeSpec Type,
    string HintName,
    string? EncodedEventName,
    string? EncodedNamedEventName,
    string? EncodedCategorizedEventName,
    EquatableArray<PropertyWrite> Properties,
    EquatableArray<ConstantWrite> Constants,
    ProductsWrite? Products,
    PlanEntrySpec Plan);

/// <summary>One property as written: its name without and, where it differs, with the event prefix.</summary>
internal sealed record PropertyWrite(
    string ClrName,
    ValueSpec Value,
    string WireName,
    string? PrefixedWireName,
    bool WritesBillingAmount,
    EquatableArray<PropertyWrite> Children,
    MemberInfo Info)
{
    public string EncodedName => Internal.PercentEncoding.Encode(WireName);

    public string? EncodedPrefixedName => PrefixedWireName is null ? null : Internal.PercentEncoding.Encode(PrefixedWireName);

    /// <summary><c>Billing Amount</c> encoded: the second name a revenue property is written under.</summary>
    public static string EncodedBillingAmount { get; } = Internal.PercentEncoding.Encode(Internal.KissmetricsWireNames.BillingAmount);
}

/// <summary>A property whose name and value are both known at compile time (<c>Page - name=Docs</c>).</summary>
internal sealed record ConstantWrite(string WireName, string Value);

/// <summary>The products of a completed order: each becomes a <c>/s</c> request of its own.</summary>
internal sealed record ProductsWrite(string ClrName, ValueSpec Collection, EquatableArray<PropertyWrite> Properties);
