using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Kissmetrics.Typed.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kissmetrics.Typed.Generator.Parsing;

/// <summary>Turns a <c>[KissmetricsClient]</c> class into a <see cref="ClientSpec"/>; a class that is not partial, or generic, gets no client.</summary>
internal static class ClientSpecParser
{
    public static ClientSpec? Parse(INamedTypeSymbol type, AttributeData attribute)
    {
        if (type.TypeKind != TypeKind.Class || type.IsGenericType || type.IsStatic || !TypeSpecParser.IsPartial(type))
        {
            return null;
        }

        var containing = new List<ContainingTypeSpec>();
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            if (!TypeSpecParser.IsPartial(outer) || outer.IsGenericType)
            {
                return null;
            }

            containing.Insert(0, new ContainingTypeSpec(TypeSpecParser.DeclarationKeyword(outer), outer.Name));
        }

        string? filter = null;
        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            if (named.Key == "Namespace")
            {
                filter = named.Value.Value as string;
            }
        }

        return new ClientSpec(
            type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString(),
            type.Name,
            SyntaxFacts.GetText(type.DeclaredAccessibility),
            containing.ToEquatableArray(),
            string.IsNullOrWhiteSpace(filter) ? null : filter,
            DeclaredInterface(type) is not null);
    }

    /// <summary>
    /// The client's interface (<c>I</c> + its name, next to it) when the compilation already declares one: in the
    /// generator's input that is the user's own <c>partial interface</c> (generators never see their output), which the
    /// generated part then fills.
    /// </summary>
    public static INamedTypeSymbol? DeclaredInterface(INamedTypeSymbol type)
    {
        string name = "I" + type.Name;
        ImmutableArray<INamedTypeSymbol> siblings = type.ContainingType is { } outer ? outer.GetTypeMembers(name, 0) : type.ContainingNamespace.GetTypeMembers(name, 0);
        return siblings.FirstOrDefault(s => s.TypeKind == TypeKind.Interface);
    }
}
