using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Kissmetrics.Typed.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kissmetrics.Typed.Generator.Parsing;

/// <summary>
/// Turns an annotated type symbol into a <see cref="TypeSpec"/>: which members are sent and how each value is
/// converted. Nothing of the symbol survives in the result. Problems are handed to <c>report</c> (the analyzers)
/// and make the result <see langword="null"/> (the generator then skips the type).
/// </summary>
internal sealed class TypeSpecParser
{
    private static readonly SymbolDisplayFormat s_fullyQualified = SymbolDisplayFormat.FullyQualifiedFormat
        .WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    private static readonly SymbolDisplayFormat s_fullyQualifiedNullable = s_fullyQualified
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private readonly Action<ParseProblem>? _report;
    private readonly Action<MemberVisit>? _visit;
    private readonly bool _documentation;
    private readonly List<ITypeSymbol> _visiting = new();
    private bool _valid = true;

    private TypeSpecParser(Action<ParseProblem>? report, Action<MemberVisit>? visit, bool documentation)
    {
        _report = report;
        _visit = visit;
        _documentation = documentation;
    }

    /// <summary>Parses <paramref name="type"/>, declared as <paramref name="kind"/> by <paramref name="attribute"/>.</summary>
    /// <param name="type">The annotated type.</param>
    /// <param name="kind">Which attribute declared it.</param>
    /// <param name="attribute">That attribute's data.</param>
    /// <param name="report">Receives every problem (the analyzers); the result is then <see langword="null"/>.</param>
    /// <param name="visit">Receives every member that is sent, nested ones included, with its symbols (the analyzers).</param>
    /// <param name="documentation">
    /// Whether to read the XML documentation into the summaries of <see cref="TypeShape"/>, <see cref="ParameterSpec"/>
    /// and <see cref="MemberInfo"/> (the typed client and the plan show them). The analyzers do not: no diagnostic
    /// depends on docs, and reading them is most of a parse where the generator's output is in the compilation.
    /// </param>
    public static TypeSpec? Parse(INamedTypeSymbol type, SpecKind kind, AttributeData attribute, Action<ParseProblem>? report = null, Action<MemberVisit>? visit = null, bool documentation = true) =>
        new TypeSpecParser(report, visit, documentation).ParseType(type, kind, attribute);

    private TypeSpec? ParseType(INamedTypeSymbol type, SpecKind kind, AttributeData attribute)
    {
        if (!IsPartial(type))
        {
            Fail(ProblemKind.NotPartial, type, type.Name, path: null);
        }

        var containing = new List<ContainingTypeSpec>();
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            if (!IsPartial(outer))
            {
                Fail(ProblemKind.NotPartial, outer, outer.Name, path: null);
            }

            containing.Insert(0, new ContainingTypeSpec(DeclarationKeyword(outer), outer.Name));
        }

        if (type.IsGenericType || type.ContainingType?.IsGenericType == true)
        {
            // Nothing is generated for a generic type, so its members are not parsed: a member of type T would
            // otherwise add a KM002 that goes away with the KM014 fix.
            Fail(ProblemKind.Generic, type, type.Name, path: null);
            return null;
        }

        string? eventName = null, pageName = null, pageCategory = null;
        switch (kind)
        {
            case SpecKind.Event:
                eventName = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
                if (string.IsNullOrWhiteSpace(eventName))
                {
                    Fail(ProblemKind.EmptyName, type, "event name", path: null, AttributeArgument.Name);
                }

                break;
            case SpecKind.Page:
            case SpecKind.Screen:
                pageName = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
                foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
                {
                    if (named.Key == "Category")
                    {
                        pageCategory = named.Value.Value as string;
                    }
                }

                bool nameGiven = attribute.ConstructorArguments.Length == 1;
                AttributeArgument? blank =
                    nameGiven && string.IsNullOrWhiteSpace(pageName) ? AttributeArgument.Name :
                    pageCategory is not null && string.IsNullOrWhiteSpace(pageCategory) ? AttributeArgument.Category :
                    string.IsNullOrWhiteSpace(pageName) && string.IsNullOrWhiteSpace(pageCategory) ? AttributeArgument.None :
                    null;
                if (blank is { } argument)
                {
                    Fail(ProblemKind.EmptyName, type, kind == SpecKind.Page ? "page name or category" : "screen name or category", path: null, argument);
                }

                break;
        }

        bool completedOrder = kind == SpecKind.Event && eventName is not null && WireNames.IsCompletedOrderName(eventName);
        string? productsMember = null;
        DocumentationComments docs = Docs(type);
        _visiting.Add(type);
        var members = new List<MemberSpec>();
        foreach ((IPropertySymbol property, IParameterSymbol? parameter, AttributeSource attributes) in SentMembers(type))
        {
            bool isProducts = completedOrder && productsMember is null &&
                string.Equals(property.Name, WireNames.Products, StringComparison.OrdinalIgnoreCase) &&
                IsCollectionOfObjects(property.Type);
            _visit?.Invoke(new MemberVisit(property.Name, property, parameter, attributes));
            ValueSpec? value = ParseValue(property.Type, property, property.Name, allowObjectElements: isProducts);
            if (value is null)
            {
                continue;
            }

            if (isProducts)
            {
                productsMember = property.Name;
            }

            members.Add(new MemberSpec(property.Name, attributes.ExplicitName, attributes.IsRevenue, value, Info(docs, property, parameter, attributes, property.Name)));
        }

        _visiting.RemoveAt(_visiting.Count - 1);

        if (!_valid)
        {
            return null;
        }

        return new TypeSpec(
            kind,
            type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString(),
            type.Name,
            DeclarationKeyword(type),
            containing.ToEquatableArray(),
            eventName,
            pageName,
            pageCategory,
            members.ToEquatableArray(),
            productsMember,
            Shape(type, docs),
            GeneratedMembers.Suffix(kind, DeclaredAndInheritedNames(type)),
            LanguageRequirements.Of(type)?.Version ?? LanguageLevel.CSharp7_3);
    }

    /// <summary>The names a member added to <paramref name="type"/> must not take: its own, its members', and its base types'.</summary>
    private static HashSet<string> DeclaredAndInheritedNames(INamedTypeSymbol type)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { type.Name };
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            names.UnionWith(current.MemberNames);
        }

        return names;
    }

    /// <summary>The docs of a type (read once for its summary and all its parameters), or none when docs are not wanted.</summary>
    private DocumentationComments Docs(ISymbol symbol) => _documentation ? DocumentationComments.Of(symbol) : DocumentationComments.None;

    private TypeShape Shape(INamedTypeSymbol type, DocumentationComments docs)
    {
        IMethodSymbol? primary = PrimaryConstructor(type);
        var parameters = new List<ParameterSpec>();
        foreach (IParameterSymbol parameter in primary?.Parameters ?? ImmutableArray<IParameterSymbol>.Empty)
        {
            parameters.Add(new ParameterSpec(
                parameter.Name,
                parameter.Type.ToDisplayString(s_fullyQualifiedNullable),
                parameter.HasExplicitDefaultValue ? DefaultValue(parameter) : null,
                docs.Parameter(parameter.Name)));
        }

        bool parameterless = type.TypeKind == TypeKind.Struct ||
            type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public);
        bool hasRequired = type.GetMembers().Any(m => m is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true });
        return new TypeShape(
            type.ToDisplayString(s_fullyQualified),
            docs.Summary,
            parameters.ToEquatableArray(),
            primary is not null,
            parameterless && !hasRequired,
            primary is null ? SettableProperties(type) : EquatableArray<ParameterSpec>.Empty);
    }

    /// <summary>
    /// The sent properties a typed client can set in an object initializer (a public <c>set</c> or <c>init</c>), as its
    /// parameters: a class or struct declared with properties (the only shape below C# 9) is then tracked from its
    /// values like a record. Nullable ones at the end are optional (<c>= null</c>), as C# allows only trailing ones.
    /// </summary>
    private EquatableArray<ParameterSpec> SettableProperties(INamedTypeSymbol type)
    {
        var settable = new List<IPropertySymbol>();
        foreach ((IPropertySymbol property, _) in SentProperties(type))
        {
            if (property.SetMethod is { DeclaredAccessibility: Accessibility.Public } && !property.IsReadOnly)
            {
                settable.Add(property);
            }
        }

        var parameters = new ParameterSpec[settable.Count];
        bool trailing = true;
        for (int i = settable.Count - 1; i >= 0; i--)
        {
            IPropertySymbol property = settable[i];
            bool nullable = property.Type.NullableAnnotation == NullableAnnotation.Annotated ||
                property.Type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;
            trailing &= nullable;
            parameters[i] = new ParameterSpec(property.Name, property.Type.ToDisplayString(s_fullyQualifiedNullable), trailing ? "null" : null, Docs(property).Summary);
        }

        return parameters.ToEquatableArray();
    }

    /// <summary>A parameter's default as C# that compiles anywhere (constants are written out, not referenced).</summary>
    private static string DefaultValue(IParameterSymbol parameter)
    {
        object? value = parameter.ExplicitDefaultValue;
        ITypeSymbol type = parameter.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : parameter.Type;
        if (value is null)
        {
            return parameter.Type.IsReferenceType || parameter.Type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T ? "null" : "default";
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return "(" + type.ToDisplayString(s_fullyQualified) + ")(" + SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false) + ")";
        }

        string literal = SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false);
        return value switch
        {
            decimal => literal + "m",
            float => literal + "f",
            double d when !literal.Contains(".") && !literal.Contains("E") => literal + "d",
            long => literal + "L",
            ulong => literal + "UL",
            uint => literal + "U",
            _ => literal,
        };
    }

    // declaringDocs: the docs of the type that declares the member (a record documents its parameters there).
    private MemberInfo Info(DocumentationComments declaringDocs, IPropertySymbol property, IParameterSymbol? parameter, AttributeSource attributes, string memberPath)
    {
        ITypeSymbol type = property.Type;
        bool required = type.IsValueType
            ? type.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T
            : type.NullableAnnotation == NullableAnnotation.NotAnnotated;
        string? summary = (parameter is not null ? declaringDocs.Parameter(parameter.Name) : null) ?? Docs(property).Summary;
        return new MemberInfo(summary, required, attributes.IsFlatten, attributes.IsJoin, ValidationRules.Read(property, parameter, memberPath, report: null));
    }

    private ValueSpec? ParseValue(ITypeSymbol type, ISymbol member, string path, bool allowObjectElements)
    {
        bool nullableValueType = false;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            nullableValueType = true;
            type = nullable.TypeArguments[0];
        }

        bool mayBeNull = nullableValueType || type.IsReferenceType;
        string typeName = type.ToDisplayString(s_fullyQualified);

        ValueKind? scalar = ScalarKind(type);
        if (scalar is { } kind)
        {
            EquatableArray<EnumMemberSpec> enumMembers = kind == ValueKind.Enum ? EnumMembers((INamedTypeSymbol)type) : EquatableArray<EnumMemberSpec>.Empty;
            bool unsignedEnum = kind == ValueKind.Enum && ((INamedTypeSymbol)type).EnumUnderlyingType?.SpecialType == SpecialType.System_UInt64;
            return new ValueSpec(kind, typeName, mayBeNull, nullableValueType, CollectionShape.None, enumMembers, EquatableArray<MemberSpec>.Empty, null, unsignedEnum);
        }

        if (CollectionElement(type, out CollectionShape shape) is { } elementType)
        {
            ValueSpec? element;
            if (ScalarKind(UnwrapNullable(elementType)) is not null)
            {
                element = ParseValue(elementType, member, path, allowObjectElements: false);
            }
            else if (allowObjectElements && IsNestedObject(elementType))
            {
                element = ParseObject(elementType, member, path, mayBeNull: elementType.IsReferenceType, nullableValueType: false);
            }
            else
            {
                return Fail(IsNestedObject(elementType) ? ProblemKind.CollectionOfObjects : ProblemKind.UnsupportedType, member, Display(elementType), path);
            }

            return element is null
                ? null
                : new ValueSpec(ValueKind.Collection, typeName, mayBeNull, nullableValueType, shape, EquatableArray<EnumMemberSpec>.Empty, EquatableArray<MemberSpec>.Empty, element);
        }

        if (IsNestedObject(type))
        {
            return ParseObject(type, member, path, mayBeNull, nullableValueType);
        }

        return Fail(ProblemKind.UnsupportedType, member, Display(type), path);
    }

    private ValueSpec? ParseObject(ITypeSymbol type, ISymbol member, string path, bool mayBeNull, bool nullableValueType)
    {
        if (_visiting.Any(visited => SymbolEqualityComparer.Default.Equals(visited, type)))
        {
            return Fail(ProblemKind.RecursiveType, member, Display(type), path);
        }

        _visiting.Add(type);
        DocumentationComments docs = Docs(type);
        var children = new List<MemberSpec>();
        foreach ((IPropertySymbol property, IParameterSymbol? parameter, AttributeSource attributes) in SentMembers((INamedTypeSymbol)type))
        {
            string childPath = path + "." + property.Name;
            _visit?.Invoke(new MemberVisit(childPath, property, parameter, attributes));
            if (ParseValue(property.Type, property, childPath, allowObjectElements: false) is { } value)
            {
                children.Add(new MemberSpec(property.Name, attributes.ExplicitName, attributes.IsRevenue, value, Info(docs, property, parameter, attributes, childPath)));
            }
        }

        _visiting.RemoveAt(_visiting.Count - 1);
        return new ValueSpec(ValueKind.Object, type.ToDisplayString(s_fullyQualified), mayBeNull, nullableValueType, CollectionShape.None, EquatableArray<EnumMemberSpec>.Empty, children.ToEquatableArray(), null);
    }

    /// <summary>A type as a problem names it: without the nullable annotation, which is not what is wrong.</summary>
    private static string Display(ITypeSymbol type) => type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString();

    private ValueSpec? Fail(ProblemKind kind, ISymbol symbol, string detail, string? path, AttributeArgument argument = AttributeArgument.None)
    {
        _valid = false;
        _report?.Invoke(new ParseProblem(kind, symbol, detail, path, argument));
        return null;
    }

    /// <summary>The public instance properties that are sent, base type first, each in declaration order.</summary>
    internal static IEnumerable<(IPropertySymbol Property, AttributeSource Attributes)> SentProperties(INamedTypeSymbol type) =>
        SentMembers(type).Select(m => (m.Property, m.Attributes));

    /// <summary><see cref="SentProperties"/> with the positional record parameter each property comes from, if any.</summary>
    internal static IEnumerable<(IPropertySymbol Property, IParameterSymbol? Parameter, AttributeSource Attributes)> SentMembers(INamedTypeSymbol type)
    {
        var chain = new List<INamedTypeSymbol>();
        for (INamedTypeSymbol? current = type; current is not null && current.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); current = current.BaseType)
        {
            chain.Insert(0, current);
        }

        foreach (INamedTypeSymbol declaring in chain)
        {
            IMethodSymbol? primaryConstructor = PrimaryConstructor(declaring);
            foreach (IPropertySymbol property in declaring.GetMembers().OfType<IPropertySymbol>())
            {
                if (property.IsStatic || property.IsIndexer || property.IsOverride || property.DeclaredAccessibility != Accessibility.Public ||
                    property.GetMethod is null || property.GetMethod.DeclaredAccessibility != Accessibility.Public)
                {
                    continue;
                }

                IParameterSymbol? parameter = primaryConstructor?.Parameters.FirstOrDefault(p => p.Name == property.Name);
                AttributeSource attributes = AttributeSource.Of(property, parameter);
                if (!attributes.IsIgnored)
                {
                    yield return (property, parameter, attributes);
                }
            }
        }
    }

    /// <summary>A record's positional parameters carry attributes written without a <c>property:</c> target.</summary>
    internal static IMethodSymbol? PrimaryConstructor(INamedTypeSymbol type)
    {
        if (!type.IsRecord)
        {
            return null;
        }

        foreach (IMethodSymbol constructor in type.InstanceConstructors)
        {
            foreach (SyntaxReference reference in constructor.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is RecordDeclarationSyntax)
                {
                    return constructor;
                }
            }
        }

        return null;
    }

    private static ValueKind? ScalarKind(ITypeSymbol type)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_String: return ValueKind.String;
            case SpecialType.System_Boolean: return ValueKind.Boolean;
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64: return ValueKind.Int64;
            case SpecialType.System_UInt64: return ValueKind.UInt64;
            case SpecialType.System_Double: return ValueKind.Double;
            case SpecialType.System_Single: return ValueKind.Single;
            case SpecialType.System_Decimal: return ValueKind.Decimal;
            case SpecialType.System_DateTime: return ValueKind.DateTime;
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return ValueKind.Enum;
        }

        return SymbolNames.Is(type, "System.DateTimeOffset") ? ValueKind.DateTimeOffset
            : SymbolNames.Is(type, "System.DateOnly") ? ValueKind.DateOnly
            : SymbolNames.Is(type, "System.Guid") ? ValueKind.Guid
            : null;
    }

    private static ITypeSymbol UnwrapNullable(ITypeSymbol type) =>
        type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type;

    /// <summary>The element type of an array or <c>IEnumerable&lt;T&gt;</c> (not a string or dictionary), and how to walk it.</summary>
    internal static ITypeSymbol? CollectionElement(ITypeSymbol type, out CollectionShape shape)
    {
        shape = CollectionShape.None;
        if (type is IArrayTypeSymbol { Rank: 1 } array)
        {
            shape = CollectionShape.Array;
            return array.ElementType;
        }

        if (type is not INamedTypeSymbol named || type.SpecialType == SpecialType.System_String || IsDictionary(named))
        {
            return null;
        }

        ITypeSymbol? element = null;
        if (named.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)
        {
            element = named.TypeArguments[0];
        }
        else
        {
            foreach (INamedTypeSymbol candidate in named.AllInterfaces)
            {
                if (candidate.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)
                {
                    element = candidate.TypeArguments[0];
                    break;
                }
            }
        }

        if (element is null)
        {
            return null;
        }

        // Interfaces are walked by index where they allow it, or where the instance turns out to be a list: foreach
        // over an interface allocates an enumerator.
        bool isInterface = named.TypeKind == TypeKind.Interface;
        bool indexable = isInterface &&
            named.OriginalDefinition.SpecialType is SpecialType.System_Collections_Generic_IReadOnlyList_T or SpecialType.System_Collections_Generic_IList_T;
        shape = indexable ? CollectionShape.Indexed : isInterface ? CollectionShape.Enumerable : CollectionShape.Foreach;
        return element;
    }

    private static bool IsDictionary(INamedTypeSymbol type)
    {
        if (IsDictionaryInterface(type))
        {
            return true;
        }

        foreach (INamedTypeSymbol candidate in type.AllInterfaces)
        {
            if (IsDictionaryInterface(candidate))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDictionaryInterface(INamedTypeSymbol type)
    {
        INamedTypeSymbol definition = type.OriginalDefinition;
        return SymbolNames.Is(definition, "System.Collections.Generic.IDictionary`2") ||
            SymbolNames.Is(definition, "System.Collections.Generic.IReadOnlyDictionary`2") ||
            SymbolNames.Is(definition, "System.Collections.IDictionary");
    }

    internal static bool IsCollectionOfObjects(ITypeSymbol type) =>
        CollectionElement(type, out _) is { } element && IsNestedObject(element);

    /// <summary>A record, class or struct of the user's, flattened into dotted names; framework types are not.</summary>
    internal static bool IsNestedObject(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol named || named.TypeKind is not (TypeKind.Class or TypeKind.Struct) || named.IsAbstract ||
            named.SpecialType != SpecialType.None || named.IsGenericType || named.IsTupleType || named.IsAnonymousType)
        {
            return false;
        }

        if (named.TypeKind == TypeKind.Class && InheritsFrom(named, "System.Delegate"))
        {
            return false;
        }

        string outermost = SymbolNames.OutermostNamespace(named);
        return !(outermost == "System" || outermost == "Microsoft");
    }

    private static bool InheritsFrom(INamedTypeSymbol type, string fullMetadataName)
    {
        for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolNames.Is(current, fullMetadataName))
            {
                return true;
            }
        }

        return false;
    }

    private static EquatableArray<EnumMemberSpec> EnumMembers(INamedTypeSymbol type)
    {
        var seen = new HashSet<object?>();
        var members = new List<EnumMemberSpec>();
        foreach (IFieldSymbol field in type.GetMembers().OfType<IFieldSymbol>())
        {
            // Aliases share a value; the first declared name wins, and a switch cannot have two equal cases.
            if (!field.HasConstantValue || !seen.Add(field.ConstantValue))
            {
                continue;
            }

            string wire = field.Name;
            foreach (AttributeData attribute in field.GetAttributes())
            {
                if (SymbolNames.Is(attribute.AttributeClass, KnownAttributes.EnumMember))
                {
                    foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
                    {
                        if (named.Key == "Value" && named.Value.Value is string value)
                        {
                            wire = value;
                        }
                    }
                }
            }

            members.Add(new EnumMemberSpec(field.Name, wire));
        }

        return members.ToEquatableArray();
    }

    internal static bool IsPartial(INamedTypeSymbol type)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return true;
            }
        }

        return false;
    }

    internal static string DeclarationKeyword(INamedTypeSymbol type) => (type.IsRecord, type.TypeKind) switch
    {
        (true, TypeKind.Struct) => "record struct",
        (true, _) => "record",
        (false, TypeKind.Struct) => "struct",
        (false, TypeKind.Interface) => "interface",
        _ => "class",
    };
}

/// <summary>The Kissmetrics attributes of a member, read from the property and its positional parameter.</summary>
internal readonly struct AttributeSource
{
    private AttributeSource(string? explicitName, bool isIgnored, bool isRevenue, bool isFlatten, bool isJoin)
    {
        ExplicitName = explicitName;
        IsIgnored = isIgnored;
        IsRevenue = isRevenue;
        IsFlatten = isFlatten;
        IsJoin = isJoin;
    }

    public string? ExplicitName { get; }

    public bool IsIgnored { get; }

    public bool IsRevenue { get; }

    public bool IsFlatten { get; }

    public bool IsJoin { get; }

    public static AttributeSource Of(IPropertySymbol property, IParameterSymbol? parameter)
    {
        string? name = null;
        bool ignored = false, revenue = false, flatten = false, join = false;
        IEnumerable<AttributeData> all = parameter is null ? property.GetAttributes() : property.GetAttributes().Concat(parameter.GetAttributes());
        foreach (AttributeData attribute in all)
        {
            if (attribute.AttributeClass is not { } attributeClass || !SymbolNames.IsIn(attributeClass, KnownAttributes.Namespace))
            {
                continue;
            }

            if (SymbolNames.Is(attributeClass, KnownAttributes.Property))
            {
                name = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
            }
            else if (SymbolNames.Is(attributeClass, KnownAttributes.Ignore))
            {
                ignored = true;
            }
            else if (SymbolNames.Is(attributeClass, KnownAttributes.Revenue))
            {
                revenue = true;
            }
            else if (SymbolNames.Is(attributeClass, KnownAttributes.Flatten))
            {
                flatten = true;
            }
            else if (SymbolNames.Is(attributeClass, KnownAttributes.Join))
            {
                join = true;
            }
        }

        return new AttributeSource(name, ignored, revenue, flatten, join);
    }
}
