namespace Kissmetrics.Typed.Generator.Model;

/// <summary>Which attribute declared a type, and so which contract its serializer implements.</summary>
internal enum SpecKind
{
    Event,
    Traits,
    GroupTraits,
    Page,
    Screen,
}

/// <summary>How a value is converted to text (mapping.md §3).</summary>
internal enum ValueKind
{
    String,
    Boolean,
    Int64,
    UInt64,
    Double,
    Single,
    Decimal,
    DateTime,
    DateTimeOffset,
    DateOnly,
    Guid,
    Enum,
    Object,
    Collection,
}

/// <summary>
/// How a collection is walked without allocating: <c>foreach</c> over the declared type (a class or struct with its own
/// enumerator), an indexed loop (arrays, list interfaces), or, for other interfaces (<c>IEnumerable&lt;T&gt;</c>,
/// <c>ICollection&lt;T&gt;</c>...), an indexed loop when the instance is a list and <c>foreach</c> otherwise.
/// </summary>
internal enum CollectionShape
{
    None,
    Foreach,
    Indexed,
    Array,
    Enumerable,
}

/// <summary>
/// An annotated type as declared, before the naming policy: no symbols, syntax or locations.
/// <see cref="RequiredLanguageVersion"/>: the C# version its own declaration needs (9 for a record); a project below it
/// gets KM023 and no code for the type.
/// </summary>
internal sealed record TypeSpec(
    SpecKind Kind,
    string Namespace,
    string TypeName,
    string DeclarationKeyword,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string? EventName,
    string? PageName,
    string? PageCategory,
    EquatableArray<MemberSpec> Members,
    string? ProductsMember,
    TypeShape Shape,
    string MemberSuffix,
    int RequiredLanguageVersion);

/// <summary>
/// What the typed client and the tracking plan need beyond serialization: the type's fully qualified name, its
/// documentation, and how to construct it (its positional parameters, or a parameterless constructor and the
/// <see cref="Settable"/> properties an object initializer sets).
/// </summary>
internal sealed record TypeShape(
    string FullTypeName,
    string? Summary,
    EquatableArray<ParameterSpec> Parameters,
    bool IsPositional,
    bool HasParameterlessConstructor,
    EquatableArray<ParameterSpec> Settable = default);

/// <summary>A positional parameter of a record, or a settable property, as a typed-client method repeats it.</summary>
internal sealed record ParameterSpec(string Name, string TypeName, string? DefaultValue, string? Summary);

/// <summary>A type that encloses a nested annotated type (it must be partial too).</summary>
internal sealed record ContainingTypeSpec(string DeclarationKeyword, string Name);

/// <summary>One public instance property (or positional parameter) that is sent.</summary>
internal sealed record MemberSpec(
    string ClrName,
    string? ExplicitName,
    bool IsRevenue,
    ValueSpec Value,
    MemberInfo Info);

/// <summary>What the tracking plan says of a member: its documentation, whether it must have a value, and whether
/// flattening or joining it was acknowledged; and the DataAnnotations rules the generated <c>Validate</c> checks.</summary>
internal sealed record MemberInfo(string? Summary, bool IsRequired, bool IsFlattenAcknowledged, bool IsJoinAcknowledged, EquatableArray<ValidationRuleSpec> Rules = default);

/// <summary>
/// A value's conversion. <see cref="Children"/> holds the members of a nested object; <see cref="Element"/> the element of a
/// collection. <see cref="IsUnsignedEnum"/>: an enum over <c>ulong</c>, whose undefined values are sent as unsigned numbers.
/// </summary>
internal sealed record ValueSpec(
    ValueKind Kind,
    string TypeName,
    bool MayBeNull,
    bool IsNullableValueType,
    CollectionShape Shape,
    EquatableArray<EnumMemberSpec> EnumMembers,
    EquatableArray<MemberSpec> Children,
    ValueSpec? Element,
    bool IsUnsignedEnum = false)
{
    public bool IsNumber => Kind is ValueKind.Int64 or ValueKind.UInt64 or ValueKind.Double or ValueKind.Single or ValueKind.Decimal;
}

/// <summary>An enum member and the text it is sent as (its name, or <c>[EnumMember(Value = ...)]</c>).</summary>
internal sealed record EnumMemberSpec(string ClrName, string WireValue);

/// <summary>A DataAnnotations rule as the generated code checks it.</summary>
internal enum RuleKind
{
    Required,
    Range,
    StringLength,
    MinLength,
    MaxLength,
    Length,
    RegularExpression,
    AllowedValues,
    DeniedValues,
}

/// <summary>
/// One compiled validation rule. Bounds and values are C# literal text, computed invariantly from the attribute's
/// constants (never <c>AttributeData</c>): <see cref="Lower"/>/<see cref="Upper"/> bound the number, or the length
/// (read through <see cref="CountMember"/>); either is <see langword="null"/> when there is no bound on that side.
/// <see cref="AlwaysFails"/>: the bounds exclude every value of the member's type.
/// </summary>
internal sealed record ValidationRuleSpec(
    RuleKind Kind,
    string Message,
    string? Lower = null,
    string? Upper = null,
    bool LowerExclusive = false,
    bool UpperExclusive = false,
    bool AlwaysFails = false,
    string? CountMember = null,
    string? Pattern = null,
    int TimeoutMilliseconds = 2000,
    EquatableArray<string> Values = default,
    bool ValuesIncludeNull = false,
    bool UsesEquals = false,
    bool AllowEmptyStrings = false);
