using Microsoft.CodeAnalysis;

namespace Kissmetrics.Typed.Generator.Parsing;

/// <summary>
/// Whether a symbol is a type known by its full metadata name, without building its display string: the parser asks
/// this for every member, attribute and interface it looks at, and <c>ToDisplayString</c> builds and joins display
/// parts each time.
/// </summary>
internal static class SymbolNames
{
    /// <summary>
    /// Whether <paramref name="type"/> is the top-level type <paramref name="fullMetadataName"/>
    /// (<c>System.Guid</c>, <c>System.Collections.Generic.IDictionary`2</c>: generic types by their arity, as metadata names them).
    /// </summary>
    public static bool Is(ITypeSymbol? type, string fullMetadataName)
    {
        if (type is null || type.ContainingType is not null)
        {
            return false;
        }

        int dot = fullMetadataName.LastIndexOf('.');
        string name = type.MetadataName;
        return name.Length == fullMetadataName.Length - dot - 1 &&
            string.CompareOrdinal(fullMetadataName, dot + 1, name, 0, name.Length) == 0 &&
            IsNamespace(type.ContainingNamespace, fullMetadataName, dot < 0 ? 0 : dot);
    }

    /// <summary>Whether the namespace of <paramref name="type"/> (of its outermost containing type, for a nested type) is <paramref name="dottedNamespace"/>.</summary>
    public static bool IsIn(ITypeSymbol type, string dottedNamespace) =>
        IsNamespace(type.ContainingNamespace, dottedNamespace, dottedNamespace.Length);

    /// <summary>The name of the outermost namespace <paramref name="symbol"/> is in (<c>System</c> for <c>System.Collections.Generic.List`1</c>); empty in the global namespace.</summary>
    public static string OutermostNamespace(ISymbol symbol)
    {
        INamespaceSymbol? outermost = null;
        for (INamespaceSymbol? current = symbol.ContainingNamespace; current is not null && !current.IsGlobalNamespace; current = current.ContainingNamespace)
        {
            outermost = current;
        }

        return outermost?.Name ?? string.Empty;
    }

    /// <summary>Whether <paramref name="ns"/> is the namespace spelled by the first <paramref name="length"/> characters of <paramref name="dotted"/>.</summary>
    private static bool IsNamespace(INamespaceSymbol? ns, string dotted, int length)
    {
        int end = length; // the part of dotted still to match: [0, end)
        for (; ns is not null && !ns.IsGlobalNamespace; ns = ns.ContainingNamespace)
        {
            string part = ns.Name;
            int start = end - part.Length;
            if (start < 0 || string.CompareOrdinal(dotted, start, part, 0, part.Length) != 0)
            {
                return false;
            }

            if (start == 0)
            {
                end = -1; // all matched: what is left must be the global namespace
                continue;
            }

            if (dotted[start - 1] != '.')
            {
                return false;
            }

            end = start - 1;
        }

        return end == -1 || (end == 0 && length == 0);
    }
}
