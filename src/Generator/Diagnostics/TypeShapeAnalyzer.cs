using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Kissmetrics.Typed.Generator.Model;
using Kissmetrics.Typed.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kissmetrics.Typed.Generator.Diagnostics;

/// <summary>
/// The shapes the generator cannot emit (errors): KM001 not partial, KM002 unsendable type, KM005 recursive type,
/// KM006 collection of objects, KM007 missing name, KM014 generic type. Each is a <see cref="ParseProblem"/> of the generator's parser,
/// which then skips the type, so the user sees this error and no cascade. And KM023: the type's declaration needs a
/// newer C# than the project's (<see cref="LanguageRequirements"/>, the generator's own check), so nothing is generated.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TypeShapeAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.NotPartial,
        DiagnosticDescriptors.UnsupportedType,
        DiagnosticDescriptors.RecursiveType,
        DiagnosticDescriptors.CollectionOfObjects,
        DiagnosticDescriptors.EmptyName,
        DiagnosticDescriptors.GenericType,
        DiagnosticDescriptors.LanguageVersionTooLow);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        AnnotatedTypes.RegisterSymbolAction(context, Analyze);
        context.RegisterSyntaxNodeAction(AnalyzeRecordBelowNine, SyntaxKind.MethodDeclaration, SyntaxKind.PropertyDeclaration, SyntaxKind.IncompleteMember);
    }

    // The Kissmetrics attributes of a type, as written (with or without the suffix).
    private static readonly ImmutableHashSet<string> s_typeAttributeNames = ImmutableHashSet.Create(
        System.StringComparer.Ordinal,
        "KissmetricsEvent", "KissmetricsTraits", "KissmetricsGroupTraits", "KissmetricsPage", "KissmetricsScreen",
        "KissmetricsEventAttribute", "KissmetricsTraitsAttribute", "KissmetricsGroupTraitsAttribute", "KissmetricsPageAttribute", "KissmetricsScreenAttribute");

    /// <summary>
    /// KM023 for a record below C# 9, where <c>record</c> is no keyword: <c>partial record SignedUp(string Plan);</c> parses
    /// as a method (or, with a body, a property) whose return type is named <c>record</c>, so there is no type to analyze
    /// and the generator never sees it. Found by its syntax: a member whose type is <c>record</c>, with a Kissmetrics
    /// type attribute (matched by name: such a member's attributes are not bound).
    /// </summary>
    private static void AnalyzeRecordBelowNine(SyntaxNodeAnalysisContext context)
    {
        if (!(context.Node.SyntaxTree.Options is CSharpParseOptions options) || (int)options.LanguageVersion >= LanguageLevel.CSharp9)
        {
            return;
        }

        (TypeSyntax? type, SyntaxToken name, SyntaxList<AttributeListSyntax> attributes) = context.Node switch
        {
            MethodDeclarationSyntax method => (method.ReturnType, method.Identifier, method.AttributeLists),
            PropertyDeclarationSyntax property => (property.Type, property.Identifier, property.AttributeLists),
            IncompleteMemberSyntax incomplete => (incomplete.Type, default, incomplete.AttributeLists),
            _ => (null, default, default),
        };
        if (type is not IdentifierNameSyntax { Identifier.ValueText: "record" } || !attributes.SelectMany(l => l.Attributes).Any(IsTypeAttribute))
        {
            return;
        }

        Location location = name.IsKind(SyntaxKind.None) ? type.GetLocation() : name.GetLocation();
        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.LanguageVersionTooLow,
            location,
            name.IsKind(SyntaxKind.None) ? "record" : name.ValueText,
            "is a record",
            LanguageLevel.Display(LanguageLevel.CSharp9),
            LanguageLevel.Display((int)options.LanguageVersion),
            "Declare it as a partial class with properties"));
    }

    private static bool IsTypeAttribute(AttributeSyntax attribute)
    {
        NameSyntax name = attribute.Name is QualifiedNameSyntax qualified ? qualified.Right : attribute.Name;
        return name is IdentifierNameSyntax identifier && s_typeAttributeNames.Contains(identifier.Identifier.ValueText);
    }

    private static void Analyze(SymbolAnalysisContext context, AnnotatedTypes annotated)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var sink = DiagnosticSink.For(context);
        ImmutableArray<TypeAnalysis> analyses = annotated.Analyze(type);
        if (!analyses.IsEmpty)
        {
            ReportLanguageVersion(type, sink);
        }

        foreach (TypeAnalysis analysis in analyses)
        {
            foreach (ParseProblem problem in analysis.ParseProblems)
            {
                // A containing type that is not partial is reported when that type is analyzed (below), so the
                // diagnostic is local to its declaration and can be fixed there.
                if (problem.Kind == ProblemKind.NotPartial && !SymbolEqualityComparer.Default.Equals(problem.Symbol, type))
                {
                    continue;
                }

                if (Describe(analysis, problem, context) is { } diagnostic)
                {
                    sink.Report(diagnostic);
                }
            }
        }

        ReportContainingType(context, type, annotated, sink);
    }

    /// <summary>KM023 when the type needs a newer C# than the version its declaration is compiled with (the generator skips it the same way).</summary>
    private static void ReportLanguageVersion(INamedTypeSymbol type, DiagnosticSink sink)
    {
        if (type.DeclaringSyntaxReferences.FirstOrDefault()?.SyntaxTree.Options is not { } options ||
            LanguageRequirements.Of(type) is not { } requirement)
        {
            return;
        }

        int project = LanguageLevel.Of(options).Version;
        if (requirement.Version > project)
        {
            sink.Report(Diagnostic.Create(
                DiagnosticDescriptors.LanguageVersionTooLow,
                TypeAnalysis.TypeLocation(type),
                type.ToDisplayString(TypeAnalysis.TypeNameFormat),
                requirement.What,
                LanguageLevel.Display(requirement.Version),
                LanguageLevel.Display(project),
                requirement.Fix));
        }
    }

    /// <summary>KM001 on a type that is not partial but contains an annotated type: once, naming the first such type.</summary>
    private static void ReportContainingType(SymbolAnalysisContext context, INamedTypeSymbol type, AnnotatedTypes annotated, DiagnosticSink sink)
    {
        if (type.GetTypeMembers().IsEmpty)
        {
            return;
        }

        foreach (INamedTypeSymbol nested in NestedTypes(type))
        {
            // The nested type's own analysis (made once, shared with the analyzers that report on that type).
            foreach (TypeAnalysis analysis in annotated.Analyze(nested))
            {
                foreach (ParseProblem problem in analysis.ParseProblems)
                {
                    if (problem.Kind == ProblemKind.NotPartial && SymbolEqualityComparer.Default.Equals(problem.Symbol, type) &&
                        Describe(analysis, problem, context) is { } diagnostic)
                    {
                        sink.Report(diagnostic);
                        return;
                    }
                }

                // The parser found this containing type partial: so it is for every other nested type too.
                return;
            }
        }
    }

    private static IEnumerable<INamedTypeSymbol> NestedTypes(INamedTypeSymbol type)
    {
        foreach (INamedTypeSymbol nested in type.GetTypeMembers())
        {
            yield return nested;
            foreach (INamedTypeSymbol deeper in NestedTypes(nested))
            {
                yield return deeper;
            }
        }
    }

    private static Diagnostic? Describe(TypeAnalysis analysis, ParseProblem problem, SymbolAnalysisContext context)
    {
        switch (problem.Kind)
        {
            case ProblemKind.NotPartial:
                return Diagnostic.Create(
                    DiagnosticDescriptors.NotPartial,
                    TypeAnalysis.TypeLocation((INamedTypeSymbol)problem.Symbol),
                    problem.Symbol.Name,
                    analysis.Type.ToDisplayString(TypeAnalysis.TypeNameFormat));
            case ProblemKind.UnsupportedType:
                return Diagnostic.Create(DiagnosticDescriptors.UnsupportedType, analysis.MemberLocation(problem.MemberPath!), problem.MemberPath, problem.Detail);
            case ProblemKind.RecursiveType:
                return Diagnostic.Create(DiagnosticDescriptors.RecursiveType, analysis.MemberLocation(problem.MemberPath!), problem.MemberPath, problem.Detail);
            case ProblemKind.CollectionOfObjects:
                return Diagnostic.Create(DiagnosticDescriptors.CollectionOfObjects, analysis.MemberLocation(problem.MemberPath!), problem.MemberPath, problem.Detail);
            case ProblemKind.EmptyName:
                return Diagnostic.Create(
                    DiagnosticDescriptors.EmptyName,
                    analysis.ArgumentLocation(problem.Argument, context.CancellationToken),
                    analysis.Type.Name,
                    EmptyNameText(analysis.Kind, problem.Argument));
            case ProblemKind.Generic:
                return Diagnostic.Create(
                    DiagnosticDescriptors.GenericType,
                    TypeAnalysis.TypeLocation(analysis.Type),
                    analysis.Type.ToDisplayString(TypeAnalysis.TypeNameFormat),
                    GenericText(analysis.Type));
            default:
                return null;
        }
    }

    /// <summary>"it is" for a generic type; "its containing type 'Outer&lt;T&gt;' is" for a type nested in one.</summary>
    private static string GenericText(INamedTypeSymbol type)
    {
        if (!type.TypeParameters.IsEmpty)
        {
            return "it is";
        }

        INamedTypeSymbol outer = type.ContainingType;
        while (outer.TypeParameters.IsEmpty && outer.ContainingType is { } next)
        {
            outer = next;
        }

        return "its containing type '" + outer.ToDisplayString(TypeAnalysis.TypeNameFormat) + "' is";
    }

    private static string EmptyNameText(SpecKind kind, AttributeArgument argument)
    {
        string what = kind switch
        {
            SpecKind.Event => "event",
            SpecKind.Screen => "screen",
            _ => "page",
        };
        return argument switch
        {
            AttributeArgument.Name => "has an empty or white-space " + what + " name",
            AttributeArgument.Category => "has an empty or white-space " + what + " category",
            _ => "is a " + what + " with neither a name nor a category",
        };
    }
}
