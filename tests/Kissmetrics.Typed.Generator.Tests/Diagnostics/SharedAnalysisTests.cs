using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Generator.Diagnostics;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

/// <summary>
/// The analyzers share one parse of each annotated type per compilation (<see cref="AnnotatedTypes"/>): sharing changes
/// nothing they report, and a type is parsed once however many analyzers look at it.
/// </summary>
public sealed class SharedAnalysisTests
{
    /// <summary>Mistakes of every analyzer that parses, valid types beside them, a type with two attributes, nested types.</summary>
    private const string Mixed = "using System.ComponentModel.DataAnnotations;\n" + Sources.Usings + """
        public sealed record Address(string City, string Country);

        [KissmetricsEvent("Plain")]
        public record NotPartial(string Plan);

        [KissmetricsEvent("Reserved")]
        public partial record Reserved([KissmetricsProperty("_p")] string Person, [EmailAddress] string Email);

        [KissmetricsEvent("Flattened")]
        public partial record Flattened(Address Address, List<string> Tags, decimal Revenue);

        [KissmetricsEvent("Both"), KissmetricsTraits]
        public partial record Both(string Plan, [Url] string? Site);

        [KissmetricsEvent("Fine")]
        public partial record Fine(string Plan, [KissmetricsJoin] string[] Regions);

        public static class NotPartialOuter
        {
            [KissmetricsEvent("Inner")]
            public partial record Inner(string Plan);
        }

        public static partial class Outer
        {
            [KissmetricsPage("Docs", Category = "Guides")]
            public partial record DocsPage(string Url);

            [KissmetricsEvent("Second Inner")]
            public partial record SecondInner(Address Where);
        }
        """;

    /// <summary>The analyzers that parse annotated types through <see cref="AnnotatedTypes"/> (PlanDrift also does, with a plan file).</summary>
    private static readonly ImmutableArray<DiagnosticAnalyzer> ParsingAnalyzers = ImmutableArray.Create<DiagnosticAnalyzer>(
        new TypeShapeAnalyzer(), new WireNameAnalyzer(), new MappingIntentAnalyzer(), new ValidationAttributeAnalyzer());

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task All_analyzers_together_report_what_each_reports_alone(bool concurrent)
    {
        // Alone: a compilation of its own per analyzer, so nothing is shared with another analyzer.
        var alone = ImmutableArray.CreateBuilder<string>();
        foreach (DiagnosticAnalyzer analyzer in AllRulesTests.Analyzers)
        {
            alone.AddRange(Describe(await Analyze(TestCompilation.Create(Mixed), ImmutableArray.Create(analyzer), concurrent)));
        }

        ImmutableArray<string> together = Describe(await Analyze(TestCompilation.Create(Mixed), AllRulesTests.Analyzers, concurrent));

        Assert.Equal(alone.OrderBy(d => d, StringComparer.Ordinal), together);

        // And they are the mistakes above: an error, warnings of three analyzers, KM021 twice (on two types).
        Assert.Equal(
            new[] { "KM001", "KM001", "KM003", "KM008", "KM008", "KM009", "KM010", "KM021", "KM021" },
            together.Select(d => d.Substring(0, 5)).OrderBy(id => id, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Each_annotated_type_is_parsed_once_per_compilation_and_attribute(bool concurrent)
    {
        var probe = new CompilationProbe();
        ImmutableArray<Diagnostic> diagnostics = await Analyze(TestCompilation.Create(Mixed), ParsingAnalyzers.Add(probe), concurrent);
        Assert.NotEmpty(diagnostics);

        // The compilation the analyzers were started on (CompilationWithAnalyzers makes its own), with its options.
        AnnotatedTypes annotated = Assert.IsType<AnnotatedTypes>(AnnotatedTypes.For(probe.Compilation!, probe.Options!));

        // 8 annotated types, one of them with two attributes: 9 parses for the 4 analyzers, where each analyzer used to
        // parse each type itself (4 x 9), and TypeShape the nested types of NotPartialOuter and Outer once more.
        Assert.Equal(9, annotated.AnalysisRuns);

        // Asking again parses nothing: every analyzer got the same analyses.
        INamedTypeSymbol both = probe.Compilation!.GetTypeByMetadataName("Shop.Both")!;
        ImmutableArray<TypeAnalysis> first = annotated.Analyze(both);
        Assert.Equal(2, first.Length);
        Assert.Equal(first, annotated.Analyze(both));
        Assert.Empty(annotated.Analyze(probe.Compilation!.GetTypeByMetadataName("Shop.Address")!));
        Assert.Equal(9, annotated.AnalysisRuns);
    }

    [Fact]
    public async Task Another_compilation_parses_again()
    {
        var first = new CompilationProbe();
        var second = new CompilationProbe();
        await Analyze(TestCompilation.Create(Mixed), ParsingAnalyzers.Add(first), concurrent: false);
        await Analyze(TestCompilation.Create(Mixed), ParsingAnalyzers.Add(second), concurrent: false);

        AnnotatedTypes a = AnnotatedTypes.For(first.Compilation!, first.Options!)!;
        AnnotatedTypes b = AnnotatedTypes.For(second.Compilation!, second.Options!)!;
        Assert.NotSame(a, b);
        Assert.Equal(9, a.AnalysisRuns);
        Assert.Equal(9, b.AnalysisRuns);
    }

    [Fact]
    public void A_compilation_without_the_runtime_has_no_annotated_types()
    {
        Compilation compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create(
            "NoRuntime",
            new[] { Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("public class C { }") },
            Basic.Reference.Assemblies.Net100.References.All);

        Assert.Null(AnnotatedTypes.For(compilation, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty)));
    }

    [Fact]
    public void Analyses_for_the_analyzers_skip_docs_the_generator_reads()
    {
        const string Source = Sources.Usings + """
            /// <summary>A plan was chosen.</summary>
            /// <param name="Plan">The plan's name.</param>
            [KissmetricsEvent("Chosen")]
            public partial record Chosen(string Plan);
            """;
        Compilation compilation = TestCompilation.Create(Source);
        INamedTypeSymbol type = compilation.GetTypeByMetadataName("Shop.Chosen")!;
        AttributeData attribute = type.GetAttributes().Single();

        Model.TypeSpec withDocs = Generator.Parsing.TypeSpecParser.Parse(type, Model.SpecKind.Event, attribute)!;
        Assert.Equal("A plan was chosen.", withDocs.Shape.Summary);
        Assert.Equal("The plan's name.", withDocs.Shape.Parameters.Single().Summary);
        Assert.Equal("The plan's name.", withDocs.Members.Single().Info.Summary);

        TypeAnalysis analysis = AnnotatedTypes.For(compilation, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty))!.Analyze(type).Single();
        Assert.Null(analysis.Spec!.Shape.Summary);
        Assert.Null(analysis.Spec.Shape.Parameters.Single().Summary);
        Assert.Null(analysis.Spec.Members.Single().Info.Summary);

        // Everything else is the generator's spec.
        Assert.Equal(
            withDocs with { Shape = withDocs.Shape with { Summary = null, Parameters = analysis.Spec.Shape.Parameters }, Members = analysis.Spec.Members },
            analysis.Spec);
        Assert.Equal(withDocs.Members.Single() with { Info = withDocs.Members.Single().Info with { Summary = null } }, analysis.Spec.Members.Single());
    }

    private static Task<ImmutableArray<Diagnostic>> Analyze(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, bool concurrent) =>
        compilation
            .WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: concurrent, logAnalyzerExecutionTime: false))
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None);

    private static ImmutableArray<string> Describe(ImmutableArray<Diagnostic> diagnostics) =>
        diagnostics
            .Select(d => d.Id + " " + d.Location.GetLineSpan() + " " + d.GetMessage(CultureInfo.InvariantCulture))
            .OrderBy(d => d, StringComparer.Ordinal)
            .ToImmutableArray();

    // A probe run only by these tests, never shipped or loaded by a compiler: the rules for shipped compiler
    // extensions (netstandard2.0, no Workspaces, extended rules) do not apply to it (as for SelfTest/BadClassAnalyzer).
#pragma warning disable RS1036, RS1038, RS1041

    /// <summary>Keeps the compilation and options the analyzers beside it are run with.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class CompilationProbe : DiagnosticAnalyzer
    {
        public Compilation? Compilation { get; private set; }

        public AnalyzerOptions? Options { get; private set; }

        // One descriptor, never reported: an analyzer with none is not run at all.
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            new DiagnosticDescriptor("PROBE01", "Probe", "Probe", "Test", DiagnosticSeverity.Hidden, isEnabledByDefault: true));

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSymbolAction(
                symbol =>
                {
                    Compilation = symbol.Compilation;
                    Options = symbol.Options;
                },
                SymbolKind.NamedType);
        }
    }
#pragma warning restore RS1036, RS1038, RS1041
}
