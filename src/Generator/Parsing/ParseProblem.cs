using Microsoft.CodeAnalysis;

namespace Kissmetrics.Typed.Generator.Parsing;

/// <summary>What makes a shape invalid. The analyzers turn these into KMnnn diagnostics; the generator skips the type.</summary>
internal enum ProblemKind
{
    NotPartial,
    UnsupportedType,
    RecursiveType,
    CollectionOfObjects,
    EmptyName,
    Generic,
    ReservedName,
    Collision,
}

/// <summary>Which argument of a type's attribute a problem is about (KM007 points at it).</summary>
internal enum AttributeArgument
{
    None,

    /// <summary>The constructor argument: an event's name, a page's or screen's name.</summary>
    Name,

    /// <summary>A page's or screen's <c>Category</c>.</summary>
    Category,
}

/// <summary>A problem found while parsing, with the symbol at fault (never stored in a model).</summary>
internal readonly struct ParseProblem
{
    public ParseProblem(ProblemKind kind, ISymbol symbol, string detail, string? memberPath = null, AttributeArgument argument = AttributeArgument.None)
    {
        Kind = kind;
        Symbol = symbol;
        Detail = detail;
        MemberPath = memberPath;
        Argument = argument;
    }

    public ProblemKind Kind { get; }

    public ISymbol Symbol { get; }

    public string Detail { get; }

    /// <summary>The C# path of the member at fault (<c>Address.City</c>), or <see langword="null"/> for a problem of the type itself.</summary>
    public string? MemberPath { get; }

    /// <summary>For <see cref="ProblemKind.EmptyName"/>: the attribute argument at fault (<see cref="AttributeArgument.None"/>: no name and no category at all).</summary>
    public AttributeArgument Argument { get; }
}

/// <summary>
/// One member the parser includes, with the symbols it comes from (for the analyzers' locations and
/// acknowledgements). Handed to a callback only; never stored in a model.
/// </summary>
internal readonly struct MemberVisit
{
    public MemberVisit(string memberPath, IPropertySymbol property, IParameterSymbol? parameter, AttributeSource attributes)
    {
        MemberPath = memberPath;
        Property = property;
        Parameter = parameter;
        Attributes = attributes;
    }

    /// <summary>The C# path from the annotated type (<c>Address.City</c>, <c>Products.Sku</c>), as <see cref="SerializerResolver.Leaves"/> names it.</summary>
    public string MemberPath { get; }

    public IPropertySymbol Property { get; }

    /// <summary>The positional record parameter the property comes from, if any.</summary>
    public IParameterSymbol? Parameter { get; }

    public AttributeSource Attributes { get; }
}
