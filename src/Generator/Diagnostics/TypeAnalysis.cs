using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Kissmetrics.Typed.Generator.Model;
using Kissmetrics.Typed.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kissmetrics.Typed.Generator.Diagnostics;

/// <summary>
/// One annotated type run through the generator's own parser and resolver, keeping what the generator drops:
/// the problems, and the symbol behind every member path. Names come from <see cref="SerializerResolver"/> and
/// <see cref="WireNames"/> only, so a diagnostic and the generated code cannot disagree. Documentation is not read
/// (no diagnostic depends on it), so the summaries in <see cref="Spec"/> are <see langword="null"/>.
/// Made once per type and compilation by <see cref="AnnotatedTypes.Analyze"/> and shared by the analyzers: read-only
/// once made.
/// </summary>
internal sealed class TypeAnalysis
{
    private readonly Dictionary<string, MemberVisit> _members = new(StringComparer.Ordinal);
    private readonly List<MemberVisit> _visits = new();
    private readonly List<ParseProblem> _parseProblems = new();
    private readonly List<NameProblem> _nameProblems = new();

    private TypeAnalysis(INamedTypeSymbol type, AttributeData attribute, SpecKind kind, NamingPolicy policy)
    {
        Type = type;
        Attribute = attribute;
        Kind = kind;
        Policy = policy;
    }

    public INamedTypeSymbol Type { get; }

    public AttributeData Attribute { get; }

    public SpecKind Kind { get; }

    public NamingPolicy Policy { get; }

    /// <summary>What the parser rejected; when not empty, <see cref="Spec"/> is <see langword="null"/> and nothing is generated.</summary>
    public IReadOnlyList<ParseProblem> ParseProblems => _parseProblems;

    /// <summary>Reserved names and collisions; when not empty, nothing is generated.</summary>
    public IReadOnlyList<NameProblem> NameProblems => _nameProblems;

    /// <summary>The parsed type, or <see langword="null"/> when the parser rejected it.</summary>
    public TypeSpec? Spec { get; private set; }

    /// <summary>Every name the type sends (computed even when a name is reserved or collides), or <see langword="null"/> when not parsed.</summary>
    public SerializerSpec? Serializer { get; private set; }

    /// <summary>Every member the parser visited (nested ones included), in the order it visited them.</summary>
    public IReadOnlyList<MemberVisit> Visits => _visits;

    /// <summary>Parses and resolves <paramref name="type"/> as the generator does (without its docs); analyzers get it from <see cref="AnnotatedTypes.Analyze"/>.</summary>
    public static TypeAnalysis Run(INamedTypeSymbol type, AttributeData attribute, SpecKind kind, NamingPolicy policy)
    {
        var analysis = new TypeAnalysis(type, attribute, kind, policy);
        analysis.Spec = TypeSpecParser.Parse(type, kind, attribute, analysis._parseProblems.Add, analysis.Visit, documentation: false);
        if (analysis.Spec is not null)
        {
            analysis.Serializer = SerializerResolver.ResolveUnchecked(analysis.Spec, policy, analysis._nameProblems.Add);
        }

        return analysis;
    }

    /// <summary>The member at <paramref name="memberPath"/>, if the parser included it.</summary>
    public MemberVisit? Member(string memberPath) => _members.TryGetValue(memberPath, out MemberVisit visit) ? visit : null;

    /// <summary>The name one member contributes (<c>[KissmetricsProperty]</c>, or its C# name through the policy), without parents or prefixes.</summary>
    public string OwnName(MemberVisit member) => WireNames.MemberName(member.Property.Name, member.Attributes.ExplicitName, Policy);

    /// <summary>
    /// Where a member's diagnostic goes: the property, or its positional parameter; when the member is declared
    /// outside this compilation (a nested type from a reference), the nearest enclosing member that is in source.
    /// </summary>
    public Location MemberLocation(string memberPath)
    {
        for (string? path = memberPath; path is not null; path = ParentPath(path))
        {
            if (_members.TryGetValue(path, out MemberVisit member))
            {
                // A positional record's property is located at its parameter; an explicit property at its declaration.
                if ((SourceLocation(member.Property) ?? (member.Parameter is null ? null : SourceLocation(member.Parameter))) is { } location)
                {
                    return location;
                }
            }
        }

        return TypeLocation(Type);
    }

    /// <summary><c>Address</c> for <c>Address.City</c>; <see langword="null"/> for a top-level member.</summary>
    public static string? ParentPath(string memberPath)
    {
        int dot = memberPath.LastIndexOf('.');
        return dot < 0 ? null : memberPath.Substring(0, dot);
    }

    /// <summary>How messages name a type: with its containing types (<c>Events.SignedUp</c>), without the namespace.</summary>
    public static SymbolDisplayFormat TypeNameFormat { get; } = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters);

    /// <summary>The identifier of a type's (first) declaration.</summary>
    public static Location TypeLocation(INamedTypeSymbol type) => SourceLocation(type) ?? Location.None;

    /// <summary>The argument of the type's attribute a name problem is about; the whole attribute when there is no such argument.</summary>
    public Location ArgumentLocation(AttributeArgument argument, CancellationToken cancellationToken) =>
        ArgumentLocation(Attribute, argument, cancellationToken) ?? TypeLocation(Type);

    /// <inheritdoc cref="ArgumentLocation(AttributeArgument, CancellationToken)"/>
    public static Location? ArgumentLocation(AttributeData attribute, AttributeArgument argument, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
        {
            return null;
        }

        IEnumerable<AttributeArgumentSyntax> arguments = syntax.ArgumentList?.Arguments ?? Enumerable.Empty<AttributeArgumentSyntax>();
        AttributeArgumentSyntax? found = argument switch
        {
            AttributeArgument.Name => arguments.FirstOrDefault(a => a.NameEquals is null),
            AttributeArgument.Category => arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Category"),
            _ => null,
        };
        return (found ?? (SyntaxNode)syntax).GetLocation();
    }

    private static Location? SourceLocation(ISymbol symbol) => symbol.Locations.FirstOrDefault(l => l.IsInSource);

    private void Visit(MemberVisit visit)
    {
        _visits.Add(visit);
        if (!_members.ContainsKey(visit.MemberPath))
        {
            _members.Add(visit.MemberPath, visit);
        }
    }
}

/// <summary>Reports each diagnostic once even when a type carries several Kissmetrics attributes.</summary>
internal sealed class DiagnosticSink
{
    private readonly Action<Diagnostic> _report;
    private readonly HashSet<(string Id, Location Location, string Message)> _seen = new();

    public DiagnosticSink(Action<Diagnostic> report) => _report = report;

    public void Report(Diagnostic diagnostic)
    {
        if (_seen.Add((diagnostic.Id, diagnostic.Location, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture))))
        {
            _report(diagnostic);
        }
    }

    /// <summary>For analyzers that register one symbol action per annotated type.</summary>
    public static DiagnosticSink For(SymbolAnalysisContext context) => new(context.ReportDiagnostic);
}
