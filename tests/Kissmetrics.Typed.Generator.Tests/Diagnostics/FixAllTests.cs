using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.CodeFixes;
using Kissmetrics.Typed.Generator.Diagnostics;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

/// <summary>
/// Fix All the way <c>dotnet format analyzers --diagnostics KM001 KM003 KM008 KM009 KM010 KM011</c> drives it: started
/// from whichever diagnostic's action it met first (so with another id's equivalence key), over a document, a project
/// and a solution. Before, the batch fixer kept only the fixes with that key and fixed a random subset.
/// </summary>
public sealed class FixAllTests
{
    private const string Before = """
        using System.Collections.Generic;
        using Kissmetrics.Typed;

        namespace Shop;

        public sealed record Address(string City, string Country);

        [KissmetricsEvent("Left")]
        public record Left(string Reason);

        [KissmetricsEvent("Moved")]
        public partial record Moved(Address From, List<string> Tags, decimal Revenue, [KissmetricsProperty("_secret")] string Secret, [KissmetricsProperty("a,b")] string Pair);

        [KissmetricsTraits]
        public partial class Person
        {
            public Address Home { get; set; } = new("", "");

            [KissmetricsProperty("_hidden")]
            public List<string> Nicknames { get; set; } = new();
        }
        """;

    private const string After = """
        using System.Collections.Generic;
        using Kissmetrics.Typed;

        namespace Shop;

        public sealed record Address(string City, string Country);

        [KissmetricsEvent("Left")]
        public partial record Left(string Reason);

        [KissmetricsEvent("Moved")]
        public partial record Moved([KissmetricsFlatten] Address From, [KissmetricsJoin] List<string> Tags, [KissmetricsRevenue] decimal Revenue, [KissmetricsProperty("secret")] string Secret, [KissmetricsProperty("a b")] string Pair);

        [KissmetricsTraits]
        public partial class Person
        {
            [KissmetricsFlatten]
            public Address Home { get; set; } = new("", "");

            [KissmetricsProperty("hidden"), KissmetricsJoin]
            public List<string> Nicknames { get; set; } = new();
        }
        """;

    private static readonly string[] FixableIds = { "KM001", "KM003", "KM008", "KM009", "KM010", "KM011" };

    private static readonly CodeFixProvider[] Fixers = { new MakePartialCodeFix(), new AcknowledgeCodeFix(), new RenameCodeFix() };

    [Theory]
    [InlineData(FixAllScope.Document)]
    [InlineData(FixAllScope.Project)]
    [InlineData(FixAllScope.Solution)]
    public async Task Every_fixer_fixes_every_id_it_serves_whatever_action_fix_all_started_from(FixAllScope scope)
    {
        Document document = FixAllHarness.CreateDocument(Before);
        Assert.Equal(FixableIds, (await FixableDiagnostics(document)).Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal));

        foreach (CodeFixProvider fixer in Fixers)
        {
            document = await FixAllStartingFromAnotherIdAsync(document, fixer, scope);
        }

        Assert.Equal(After, (await document.GetTextAsync()).ToString());
        Assert.Empty(await FixableDiagnostics(document));
    }

    [Fact]
    public async Task Fix_all_gives_the_same_text_every_time()
    {
        var results = new HashSet<string>(StringComparer.Ordinal);
        for (int run = 0; run < 5; run++)
        {
            Document document = FixAllHarness.CreateDocument(Before);
            foreach (CodeFixProvider fixer in Fixers.Reverse())
            {
                document = await FixAllStartingFromAnotherIdAsync(document, fixer, FixAllScope.Solution);
            }

            results.Add((await document.GetTextAsync()).ToString());
        }

        Assert.Equal(After, Assert.Single(results));
    }

    [Fact]
    public void Every_fixer_offers_fix_all_in_document_project_and_solution()
    {
        foreach (CodeFixProvider fixer in Fixers)
        {
            FixAllProvider? provider = fixer.GetFixAllProvider();
            Assert.NotNull(provider);
            Assert.Equal(
                new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution },
                provider!.GetSupportedFixAllScopes().OrderBy(s => s));
        }
    }

    /// <summary>Starts Fix All for all of <paramref name="fixer"/>'s ids from the action of its last id's first diagnostic.</summary>
    private static async Task<Document> FixAllStartingFromAnotherIdAsync(Document document, CodeFixProvider fixer, FixAllScope scope)
    {
        ImmutableArray<Diagnostic> diagnostics = await FixableDiagnostics(document);
        Diagnostic? first = diagnostics.LastOrDefault(d => fixer.FixableDiagnosticIds.Contains(d.Id));
        if (first is null)
        {
            return document;
        }

        var actions = new List<CodeAction>();
        await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, first, (action, _) => actions.Add(action), CancellationToken.None));
        string? equivalenceKey = Assert.Single(actions).EquivalenceKey;

        var context = new FixAllContext(
            document,
            fixer,
            scope,
            equivalenceKey,
            fixer.FixableDiagnosticIds,
            new FixAllHarness.FixedDiagnostics(diagnostics),
            CancellationToken.None);
        CodeAction? fixAll = await fixer.GetFixAllProvider()!.GetFixAsync(context);
        Assert.NotNull(fixAll); // "Code fix ... didn't return a Fix All action" before
        ImmutableArray<CodeActionOperation> operations = await fixAll!.GetOperationsAsync(CancellationToken.None);
        Solution changed = Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
        return changed.GetDocument(document.Id)!;
    }

    private static async Task<ImmutableArray<Diagnostic>> FixableDiagnostics(Document document)
    {
        Compilation compilation = (await document.Project.GetCompilationAsync())!;
        ImmutableArray<DiagnosticAnalyzer> analyzers = typeof(DiagnosticDescriptors).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
        ImmutableArray<Diagnostic> all = await compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync();
        return all.Where(d => FixableIds.Contains(d.Id)).OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
    }
}
