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

/// <summary>A problem found while parsing, with the symbol at fault (never stored in a model).</summary>
internal readonly struct ParseProblem
{
    public ParseProblem(ProblemKind kind, ISymbol symbol, string detail)
    {
        Kind = kind;
        Symbol = symbol;
        Detail = detail;
    }

    public ProblemKind Kind { get; }

    public ISymbol Symbol { get; }

    public string Detail { get; }
}
