using System.Collections.Generic;
using Kissmetrics.Typed.Generator.Model;
using Kissmetrics.Typed.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kissmetrics.Typed.Generator.Diagnostics;

/// <summary>
/// The attributes the generator is keyed on, resolved once per compilation, and the naming policy the generator
/// reads: the analyzers look at exactly the types the generator emits for, with the same names.
/// </summary>
internal sealed class AnnotatedTypes
{
    private static readonly (string MetadataName, SpecKind Kind)[] s_kinds =
    {
        (KnownAttributes.Event, SpecKind.Event),
        (KnownAttributes.Traits, SpecKind.Traits),
        (KnownAttributes.GroupTraits, SpecKind.GroupTraits),
        (KnownAttributes.Page, SpecKind.Page),
        (KnownAttributes.Screen, SpecKind.Screen),
    };

    private readonly List<(INamedTypeSymbol Attribute, SpecKind Kind)> _attributes;

    private AnnotatedTypes(List<(INamedTypeSymbol Attribute, SpecKind Kind)> attributes, NamingPolicy policy)
    {
        _attributes = attributes;
        Policy = policy;
    }

    /// <summary>The project's naming policy (<c>build_property.KissmetricsNamingPolicy</c>), as the generator reads it.</summary>
    public NamingPolicy Policy { get; }

    /// <summary>The attributes of this compilation, or <see langword="null"/> when it does not reference the runtime.</summary>
    public static AnnotatedTypes? Create(Compilation compilation, AnalyzerOptions options)
    {
        var attributes = new List<(INamedTypeSymbol, SpecKind)>();
        foreach ((string metadataName, SpecKind kind) in s_kinds)
        {
            if (compilation.GetTypeByMetadataName(metadataName) is { } attribute)
            {
                attributes.Add((attribute, kind));
            }
        }

        if (attributes.Count == 0)
        {
            return null;
        }

        NamingPolicy policy = NamingPolicies.Parse(
            options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(NamingPolicies.BuildProperty, out string? value) ? value : null);
        return new AnnotatedTypes(attributes, policy);
    }

    /// <summary>Every Kissmetrics attribute on <paramref name="type"/> with the kind it declares.</summary>
    public IEnumerable<(AttributeData Attribute, SpecKind Kind)> Of(INamedTypeSymbol type)
    {
        foreach (AttributeData attribute in type.GetAttributes())
        {
            foreach ((INamedTypeSymbol known, SpecKind kind) in _attributes)
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, known))
                {
                    yield return (attribute, kind);
                }
            }
        }
    }
}
