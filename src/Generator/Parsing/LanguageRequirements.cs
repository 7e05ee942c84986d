using Kissmetrics.Typed.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Kissmetrics.Typed.Generator.Parsing;

/// <summary>
/// A C# version an annotated type needs by its own declaration (a record needs C# 9), what needs it and how to do
/// without it. Below that version the compiler already rejects the declaration; the generator then emits nothing for
/// the type (generated code that repeats <c>partial record</c> would only add errors) and KM023 says why.
/// </summary>
internal readonly struct LanguageRequirement
{
    public LanguageRequirement(int version, string what, string fix)
    {
        Version = version;
        What = what;
        Fix = fix;
    }

    /// <summary>The version, as <see cref="LanguageLevel.Version"/> numbers it.</summary>
    public int Version { get; }

    /// <summary>The feature as the message says it: "is a record", "has the init accessor of 'Email'".</summary>
    public string What { get; }

    /// <summary>How to declare it without the feature, as the start of a sentence.</summary>
    public string Fix { get; }
}

/// <summary>Finds the newest C# feature an annotated type's declaration uses: records, record structs, <c>init</c>, <c>required</c>.</summary>
internal static class LanguageRequirements
{
    /// <summary>The highest requirement of <paramref name="type"/> (its kind, its containing types', its sent members'), or none beyond C# 7.3.</summary>
    public static LanguageRequirement? Of(INamedTypeSymbol type)
    {
        LanguageRequirement? highest = null;

        void Consider(int version, string what, string fix)
        {
            if (highest is null || version > highest.Value.Version)
            {
                highest = new LanguageRequirement(version, what, fix);
            }
        }

        if (type.IsRecord)
        {
            if (type.TypeKind == TypeKind.Struct)
            {
                Consider(LanguageLevel.CSharp10, "is a record struct", "Declare it as a partial struct with properties");
            }
            else
            {
                Consider(LanguageLevel.CSharp9, "is a record", "Declare it as a partial class with properties");
            }
        }

        // Generated code repeats every containing type's declaration keyword.
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            if (outer.IsRecord)
            {
                bool recordStruct = outer.TypeKind == TypeKind.Struct;
                Consider(
                    recordStruct ? LanguageLevel.CSharp10 : LanguageLevel.CSharp9,
                    "is nested in the " + (recordStruct ? "record struct" : "record") + " '" + outer.Name + "'",
                    "Declare '" + outer.Name + "' as a partial " + (recordStruct ? "struct" : "class"));
            }
        }

        foreach ((IPropertySymbol property, _) in TypeSpecParser.SentProperties(type))
        {
            if (property.IsRequired)
            {
                Consider(LanguageLevel.CSharp11, "has the required member '" + property.Name + "'", "Remove 'required' from '" + property.Name + "'");
            }

            if (property.SetMethod is { IsInitOnly: true })
            {
                Consider(LanguageLevel.CSharp9, "has the init accessor of '" + property.Name + "'", "Give '" + property.Name + "' a set accessor");
            }
        }

        return highest;
    }
}
