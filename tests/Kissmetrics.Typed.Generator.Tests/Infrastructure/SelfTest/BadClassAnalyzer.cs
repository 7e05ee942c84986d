using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kissmetrics.Typed.Generator.Tests.Infrastructure.SelfTest;

// A throwaway analyzer that is never shipped or loaded by a compiler, only run by the test harness in this net10.0
// test assembly: the rules for shipped compiler extensions (netstandard2.0, no Workspaces, extended rules, release
// tracking) do not apply to it.
#pragma warning disable RS1036, RS1038, RS1041, RS2008

/// <summary>A throwaway analyzer that proves the offline analyzer harness: it reports every class named <c>Bad</c>.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BadClassAnalyzer : DiagnosticAnalyzer
{
    public const string Id = "SELF001";

    public static readonly DiagnosticDescriptor Rule = new(
        Id,
        "Class named Bad",
        "Class '{0}' is named Bad",
        "SelfTest",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(
            static c =>
            {
                if (c.Symbol is INamedTypeSymbol { TypeKind: TypeKind.Class, Name: "Bad" } type)
                {
                    c.ReportDiagnostic(Diagnostic.Create(Rule, type.Locations[0], type.Name));
                }
            },
            SymbolKind.NamedType);
    }
}

/// <summary>A throwaway code fix that proves the offline code-fix harness: it renames the class <c>Bad</c> to <c>Good</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp), Shared]
public sealed class RenameBadCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => [BadClassAnalyzer.Id];

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        ClassDeclarationSyntax? declaration = root?.FindToken(context.Span.Start).Parent?.AncestorsAndSelf().OfType<ClassDeclarationSyntax>().FirstOrDefault();
        if (root is null || declaration is null)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(
                "Rename to Good",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(
                    root.ReplaceNode(declaration, declaration.WithIdentifier(SyntaxFactory.Identifier("Good").WithTriviaFrom(declaration.Identifier))))),
                equivalenceKey: nameof(RenameBadCodeFix)),
            context.Diagnostics);
    }
}
