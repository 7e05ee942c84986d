using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Kissmetrics.Typed.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kissmetrics.Typed.Generator.Parsing;

/// <summary>A DataAnnotations validation attribute the generated code does not check (KM021), and why.</summary>
internal readonly struct UnsupportedValidation
{
    public UnsupportedValidation(AttributeData attribute, string attributeName, string reason)
    {
        Attribute = attribute;
        AttributeName = attributeName;
        Reason = reason;
    }

    public AttributeData Attribute { get; }

    /// <summary>The attribute's name without the <c>Attribute</c> suffix (<c>EmailAddress</c>).</summary>
    public string AttributeName { get; }

    public string Reason { get; }
}

/// <summary>
/// Reads the <c>System.ComponentModel.DataAnnotations</c> attributes of a member (property and positional parameter) into
/// <see cref="ValidationRuleSpec"/>s with the semantics DataAnnotations defines; everything else derived from
/// <c>ValidationAttribute</c>, or a supported attribute on a type it cannot check, goes to <c>report</c> (KM021).
/// </summary>
internal static class ValidationRules
{
    public const string Namespace = "System.ComponentModel.DataAnnotations";
    private const string ValidationAttribute = Namespace + ".ValidationAttribute";
    private const string Supported = "Required, Range, StringLength, MinLength, MaxLength, Length, RegularExpression, AllowedValues and DeniedValues are compiled";

    public static EquatableArray<ValidationRuleSpec> Read(IPropertySymbol property, IParameterSymbol? parameter, string memberPath, Action<UnsupportedValidation>? report)
    {
        List<ValidationRuleSpec>? rules = null;
        IEnumerable<AttributeData> all = parameter is null ? property.GetAttributes() : property.GetAttributes().Concat(parameter.GetAttributes());
        foreach (AttributeData attribute in all)
        {
            if (attribute.AttributeClass is not { } attributeClass || !IsValidationAttribute(attributeClass))
            {
                continue;
            }

            string name = attributeClass.Name.EndsWith("Attribute", StringComparison.Ordinal)
                ? attributeClass.Name.Substring(0, attributeClass.Name.Length - "Attribute".Length)
                : attributeClass.Name;
            var member = new Member(property.Type, memberPath);
            string? reason;
            ValidationRuleSpec? rule;
            if (!SymbolNames.IsIn(attributeClass, Namespace))
            {
                (rule, reason) = (null, "custom validation attributes are not compiled; only " + Supported);
            }
            else
            {
                (rule, reason) = name switch
                {
                    "Required" => Required(attribute, member),
                    "Range" => Range(attribute, member),
                    "StringLength" => StringLength(attribute, member),
                    "MinLength" => MinMaxLength(attribute, member, RuleKind.MinLength),
                    "MaxLength" => MinMaxLength(attribute, member, RuleKind.MaxLength),
                    "Length" => Length(attribute, member),
                    "RegularExpression" => RegularExpression(attribute, member),
                    "AllowedValues" => Values(attribute, member, RuleKind.AllowedValues),
                    "DeniedValues" => Values(attribute, member, RuleKind.DeniedValues),
                    _ => (null, "it is not compiled; only " + Supported),
                };
            }

            if (rule is not null)
            {
                (rules ??= new List<ValidationRuleSpec>()).Add(rule);
            }
            else if (reason is not null)
            {
                report?.Invoke(new UnsupportedValidation(attribute, name, reason));
            }
        }

        return rules is null ? EquatableArray<ValidationRuleSpec>.Empty : rules.ToEquatableArray();
    }

    /// <summary>Whether <paramref name="type"/> derives from <c>System.ComponentModel.DataAnnotations.ValidationAttribute</c>.</summary>
    public static bool IsValidationAttribute(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolNames.Is(current, ValidationAttribute))
            {
                return true;
            }
        }

        return false;
    }

    private static (ValidationRuleSpec?, string?) Required(AttributeData attribute, Member member)
    {
        if (!member.MayBeNull)
        {
            return (null, null); // a non-nullable value type always has a value: nothing to check
        }

        bool allowEmpty = Named(attribute, "AllowEmptyStrings") is true;
        return (new ValidationRuleSpec(RuleKind.Required, Message(attribute, "The {0} field is required.", member.Path), AllowEmptyStrings: allowEmpty), null);
    }

    private static (ValidationRuleSpec?, string?) Range(AttributeData attribute, Member member)
    {
        if (member.Number == NumberKind.None)
        {
            return (null, "Range applies to numbers, not " + member.Display);
        }

        if (attribute.ConstructorArguments.Length is not (2 or 3) || attribute.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error))
        {
            return (null, "its arguments are not constants");
        }

        bool lowerExclusive = Named(attribute, "MinimumIsExclusive") is true;
        bool upperExclusive = Named(attribute, "MaximumIsExclusive") is true;
        object? min, max;
        string minText, maxText;
        if (attribute.ConstructorArguments.Length == 3)
        {
            if (attribute.ConstructorArguments[0].Value is not ITypeSymbol operand || !IsNumericSpecial(operand.SpecialType) ||
                attribute.ConstructorArguments[1].Value is not string minString || attribute.ConstructorArguments[2].Value is not string maxString ||
                !double.TryParse(minString, NumberStyles.Float, CultureInfo.InvariantCulture, out double minDouble) ||
                !double.TryParse(maxString, NumberStyles.Float, CultureInfo.InvariantCulture, out double maxDouble))
            {
                return (null, "only numeric operand types with limits written invariantly (\"0.5\") are compiled");
            }

            minText = minString;
            maxText = maxString;
            min = decimal.TryParse(minString, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal minDecimal) ? minDecimal : minDouble;
            max = decimal.TryParse(maxString, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal maxDecimal) ? maxDecimal : maxDouble;
        }
        else
        {
            min = attribute.ConstructorArguments[0].Value;
            max = attribute.ConstructorArguments[1].Value;
            minText = Invariant(min);
            maxText = Invariant(max);
        }

        string message = Message(
            attribute,
            "The field {0} must be between {1}" + (lowerExclusive ? " exclusive" : string.Empty) + " and {2}" + (upperExclusive ? " exclusive" : string.Empty) + ".",
            member.Path,
            minText,
            maxText);
        if (member.Number == NumberKind.Floating)
        {
            // Both ends always: NaN then fails, as it does in DataAnnotations.
            return (new ValidationRuleSpec(RuleKind.Range, message, DoubleLiteral(ToDouble(min)), DoubleLiteral(ToDouble(max)), lowerExclusive, upperExclusive), null);
        }

        decimal? lower = ToDecimal(min, out bool lowerAboveAll, upper: false);
        decimal? upper = ToDecimal(max, out bool upperAboveAll, upper: true);
        if (lowerAboveAll || (upper is null && !upperAboveAll))
        {
            return (new ValidationRuleSpec(RuleKind.Range, message, AlwaysFails: true), null);
        }

        if (member.Number == NumberKind.Decimal)
        {
            return (new ValidationRuleSpec(RuleKind.Range, message, lower is { } l ? DecimalLiteral(l) : null, upper is { } u ? DecimalLiteral(u) : null, lowerExclusive, upperExclusive), null);
        }

        // An integer: the bounds become inclusive integers, and a bound at or beyond the type's own range is dropped.
        (decimal typeMin, decimal typeMax) = IntegerRange(member.Type.SpecialType);
        decimal? lo = lower is { } a ? (lowerExclusive ? decimal.Floor(a) + 1 : decimal.Ceiling(a)) : null;
        decimal? hi = upper is { } b ? (upperExclusive ? decimal.Ceiling(b) - 1 : decimal.Floor(b)) : null;
        if ((lo is { } x && (x > typeMax || (hi is { } y0 && x > y0))) || (hi is { } y && y < typeMin))
        {
            return (new ValidationRuleSpec(RuleKind.Range, message, AlwaysFails: true), null);
        }

        string? loText = lo is { } lv && lv > typeMin ? IntegerLiteral(lv, member.Type.SpecialType) : null;
        string? hiText = hi is { } hv && hv < typeMax ? IntegerLiteral(hv, member.Type.SpecialType) : null;
        return loText is null && hiText is null ? (null, null) : (new ValidationRuleSpec(RuleKind.Range, message, loText, hiText), null);
    }

    private static (ValidationRuleSpec?, string?) StringLength(AttributeData attribute, Member member)
    {
        if (!member.IsString)
        {
            return (null, "StringLength applies to strings, not " + member.Display);
        }

        int max = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int m ? m : -1;
        int min = Named(attribute, "MinimumLength") is int n ? n : 0;
        if (max < 0 || min > max)
        {
            return (null, "its maximum length is negative or below MinimumLength, which DataAnnotations rejects");
        }

        string message = min == 0
            ? Message(attribute, "The field {0} must be a string with a maximum length of {1}.", member.Path, Invariant(max), Invariant(min))
            : Message(attribute, "The field {0} must be a string with a minimum length of {2} and a maximum length of {1}.", member.Path, Invariant(max), Invariant(min));
        return (new ValidationRuleSpec(RuleKind.StringLength, message, min > 0 ? Invariant(min) : null, Invariant(max), CountMember: "Length"), null);
    }

    private static (ValidationRuleSpec?, string?) MinMaxLength(AttributeData attribute, Member member, RuleKind kind)
    {
        string name = kind == RuleKind.MinLength ? "MinLength" : "MaxLength";
        if (member.CountMember is not { } count)
        {
            return (null, name + " applies to strings, arrays and collections with a Count, not " + member.Display);
        }

        int length = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int l ? l : -1;
        if (kind == RuleKind.MinLength)
        {
            if (length < 0)
            {
                return (null, "its length is negative, which DataAnnotations rejects");
            }

            string message = Message(attribute, "The field {0} must be a string or array type with a minimum length of '{1}'.", member.Path, Invariant(length));
            return length == 0 ? (null, null) : (new ValidationRuleSpec(kind, message, Invariant(length), CountMember: count), null);
        }

        if (length == -1)
        {
            return (null, null); // the largest allowed: nothing to check
        }

        if (length <= 0)
        {
            return (null, "its length must be -1 or positive, as DataAnnotations requires");
        }

        return (new ValidationRuleSpec(kind, Message(attribute, "The field {0} must be a string or array type with a maximum length of '{1}'.", member.Path, Invariant(length)), Upper: Invariant(length), CountMember: count), null);
    }

    private static (ValidationRuleSpec?, string?) Length(AttributeData attribute, Member member)
    {
        if (member.CountMember is not { } count)
        {
            return (null, "Length applies to strings, arrays and collections with a Count, not " + member.Display);
        }

        if (attribute.ConstructorArguments.Length != 2 || attribute.ConstructorArguments[0].Value is not int min || attribute.ConstructorArguments[1].Value is not int max || min < 0 || max < min)
        {
            return (null, "its lengths must be constants with 0 <= minimum <= maximum, as DataAnnotations requires");
        }

        string message = Message(attribute, "The field {0} must be a string or collection type with a minimum length of '{1}' and maximum length of '{2}'.", member.Path, Invariant(min), Invariant(max));
        return (new ValidationRuleSpec(RuleKind.Length, message, min > 0 ? Invariant(min) : null, Invariant(max), CountMember: count), null);
    }

    private static (ValidationRuleSpec?, string?) RegularExpression(AttributeData attribute, Member member)
    {
        if (!member.IsString)
        {
            return (null, "RegularExpression is compiled for strings only, not " + member.Display);
        }

        if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not string pattern || pattern.Length == 0)
        {
            return (null, "its pattern is not a non-empty constant");
        }

        try
        {
            _ = new Regex(pattern);
        }
        catch (ArgumentException exception)
        {
            return (null, "its pattern is invalid (" + exception.Message + ")");
        }

        int timeout = Named(attribute, "MatchTimeoutInMilliseconds") is int t ? t : 2000;
        string message = Message(attribute, "The field {0} must match the regular expression '{1}'.", member.Path, pattern);
        return (new ValidationRuleSpec(RuleKind.RegularExpression, message, Pattern: pattern, TimeoutMilliseconds: timeout), null);
    }

    private static (ValidationRuleSpec?, string?) Values(AttributeData attribute, Member member, RuleKind kind)
    {
        string name = kind == RuleKind.AllowedValues ? "AllowedValues" : "DeniedValues";
        if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Kind != TypedConstantKind.Array)
        {
            return (null, "its values are not constants");
        }

        var literals = new List<string>();
        bool includesNull = false;
        foreach (TypedConstant value in attribute.ConstructorArguments[0].Values)
        {
            if (value.IsNull)
            {
                includesNull = true;
                continue;
            }

            // DataAnnotations compares with Equals: a value of another type (1 for a long) never matches.
            if (value.Type is null || !SymbolEqualityComparer.Default.Equals(value.Type, member.Type) || ValueLiteral(value) is not { } literal)
            {
                return (null, name + " compares with Equals, so its values must be constants of the member's type " + member.Display + " (string, bool, number or enum)");
            }

            literals.Add(literal);
        }

        string message = kind == RuleKind.AllowedValues
            ? Message(attribute, "The {0} field does not equal any of the values specified in AllowedValuesAttribute.", member.Path)
            : Message(attribute, "The {0} field equals one of the values specified in DeniedValuesAttribute.", member.Path);
        bool usesEquals = member.Type.SpecialType is SpecialType.System_Double or SpecialType.System_Single;
        return (new ValidationRuleSpec(kind, message, Values: literals.ToEquatableArray(), ValuesIncludeNull: includesNull, UsesEquals: usesEquals), null);
    }

    private static string? ValueLiteral(TypedConstant value)
    {
        ITypeSymbol type = value.Type!;
        if (type.TypeKind == TypeKind.Enum)
        {
            return "((" + type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ")(" + SymbolDisplay.FormatPrimitive(value.Value!, quoteStrings: false, useHexadecimalNumbers: false) + "))";
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_String:
                return SymbolDisplay.FormatLiteral((string)value.Value!, quote: true);
            case SpecialType.System_Boolean:
                return (bool)value.Value! ? "true" : "false";
            case SpecialType.System_Double:
                return DoubleLiteral((double)value.Value!);
            case SpecialType.System_Single:
                float f = (float)value.Value!;
                return float.IsNaN(f) ? "float.NaN" : float.IsPositiveInfinity(f) ? "float.PositiveInfinity" : float.IsNegativeInfinity(f) ? "float.NegativeInfinity" : f.ToString("R", CultureInfo.InvariantCulture) + "f";
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
                return Convert.ToString(value.Value, CultureInfo.InvariantCulture);
            case SpecialType.System_UInt32:
                return Convert.ToString(value.Value, CultureInfo.InvariantCulture) + "U";
            case SpecialType.System_Int64:
                return Convert.ToString(value.Value, CultureInfo.InvariantCulture) + "L";
            case SpecialType.System_UInt64:
                return Convert.ToString(value.Value, CultureInfo.InvariantCulture) + "UL";
            default:
                return null;
        }
    }

    private static object? Named(AttributeData attribute, string name)
    {
        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            if (named.Key == name)
            {
                return named.Value.Value;
            }
        }

        return null;
    }

    /// <summary>The attribute's <c>ErrorMessage</c> (formatted at compile time as DataAnnotations formats it), or the default; never a value.</summary>
    private static string Message(AttributeData attribute, string defaultFormat, params string[] arguments)
    {
        string format = Named(attribute, "ErrorMessage") is string custom && custom.Length > 0 ? custom : defaultFormat;
        try
        {
            return string.Format(CultureInfo.InvariantCulture, format, arguments);
        }
        catch (FormatException)
        {
            return format;
        }
    }

    private static string Invariant(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static double ToDouble(object? value) => value switch
    {
        double d => d,
        decimal m => (double)m,
        int i => i,
        _ => double.NaN,
    };

    /// <summary>A bound as a decimal; <see langword="null"/> when it is beyond decimal's range (<paramref name="aboveAll"/>: on the high side) or not a number.</summary>
    private static decimal? ToDecimal(object? value, out bool aboveAll, bool upper)
    {
        aboveAll = false;
        switch (value)
        {
            case int i:
                return i;
            case decimal m:
                return m;
            case double d when double.IsNaN(d):
                aboveAll = upper; // a NaN bound: no upper bound, nothing above a NaN lower bound
                return null;
            case double d when d >= 7.9e28:
                aboveAll = true;
                return null;
            case double d when d <= -7.9e28:
                return null;
            case double d:
                return (decimal)d;
            default:
                return null;
        }
    }

    private static string DoubleLiteral(double value) =>
        double.IsNaN(value) ? "double.NaN" :
        double.IsPositiveInfinity(value) ? "double.PositiveInfinity" :
        double.IsNegativeInfinity(value) ? "double.NegativeInfinity" :
        value.ToString("R", CultureInfo.InvariantCulture) + "d";

    private static string DecimalLiteral(decimal value) => value.ToString(CultureInfo.InvariantCulture) + "m";

    private static string IntegerLiteral(decimal value, SpecialType type)
    {
        string digits = value.ToString("0", CultureInfo.InvariantCulture);
        if (type == SpecialType.System_UInt64)
        {
            return digits + "UL";
        }

        return value >= int.MinValue && value <= int.MaxValue ? digits : digits + "L";
    }

    private static (decimal Min, decimal Max) IntegerRange(SpecialType type) => type switch
    {
        SpecialType.System_SByte => (sbyte.MinValue, sbyte.MaxValue),
        SpecialType.System_Byte => (byte.MinValue, byte.MaxValue),
        SpecialType.System_Int16 => (short.MinValue, short.MaxValue),
        SpecialType.System_UInt16 => (ushort.MinValue, ushort.MaxValue),
        SpecialType.System_Int32 => (int.MinValue, int.MaxValue),
        SpecialType.System_UInt32 => (uint.MinValue, uint.MaxValue),
        SpecialType.System_UInt64 => (ulong.MinValue, ulong.MaxValue),
        _ => (long.MinValue, long.MaxValue),
    };

    private static bool IsNumericSpecial(SpecialType type) => type is
        SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16 or
        SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64 or
        SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal;

    private enum NumberKind
    {
        None,
        Integer,
        Floating,
        Decimal,
    }

    /// <summary>What the rules need to know of a member's type (a nullable value type is looked through).</summary>
    private readonly struct Member
    {
        public Member(ITypeSymbol declared, string path)
        {
            Path = path;
            MayBeNull = declared.IsReferenceType || declared.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;
            Type = declared is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : declared;
            Display = Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString();
            IsString = Type.SpecialType == SpecialType.System_String;
            Number = Type.SpecialType switch
            {
                SpecialType.System_Double or SpecialType.System_Single => NumberKind.Floating,
                SpecialType.System_Decimal => NumberKind.Decimal,
                _ when IsNumericSpecial(Type.SpecialType) => NumberKind.Integer,
                _ => NumberKind.None,
            };
            CountMember = IsString ? "Length" : CountOf(Type);
        }

        public string Path { get; }

        public bool MayBeNull { get; }

        public ITypeSymbol Type { get; }

        public string Display { get; }

        public bool IsString { get; }

        public NumberKind Number { get; }

        /// <summary><c>Length</c> or <c>Count</c>: how the generated code reads the length of a string or collection.</summary>
        public string? CountMember { get; }

        private static string? CountOf(ITypeSymbol type)
        {
            if (type is IArrayTypeSymbol { Rank: 1 })
            {
                return "Length";
            }

            if (type is not INamedTypeSymbol named || TypeSpecParser.CollectionElement(type, out _) is null)
            {
                return null;
            }

            if (named.TypeKind != TypeKind.Interface)
            {
                for (INamedTypeSymbol? current = named; current is not null; current = current.BaseType)
                {
                    foreach (string name in new[] { "Count", "Length" })
                    {
                        if (current.GetMembers(name).OfType<IPropertySymbol>().Any(p => !p.IsStatic && p.DeclaredAccessibility == Accessibility.Public && p.Type.SpecialType == SpecialType.System_Int32 && p.Parameters.Length == 0))
                        {
                            return name;
                        }
                    }
                }

                return null;
            }

            // An interface inherits Count from ICollection<T> or IReadOnlyCollection<T>; from both, x.Count is ambiguous.
            int declaring = new[] { named }.Concat(named.AllInterfaces).Count(i => i.GetMembers("Count").OfType<IPropertySymbol>().Any(p => p.Type.SpecialType == SpecialType.System_Int32));
            return declaring == 1 ? "Count" : null;
        }
    }
}
