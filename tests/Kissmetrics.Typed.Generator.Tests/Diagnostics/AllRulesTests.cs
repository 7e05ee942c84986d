using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Generator.Diagnostics;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

/// <summary>All analyzers together, and with the generator: one diagnostic per mistake, clean acknowledged forms, no cascade.</summary>
public sealed class AllRulesTests
{
    /// <summary>One instance of each mistake; each line that trips a rule ends with a comment naming it.</summary>
    internal static readonly string OneOfEachMistake = Sources.Usings + $$"""
        public sealed record Address(string City, string Country);
        public sealed record Node(string Name, Node? Parent); // KM005
        public sealed record LineItem(string Sku);

        [KissmetricsEvent("Plain")]
        public record NotPartial(string Plan); // KM001

        [KissmetricsEvent("Unsendable")]
        public partial record Unsendable(object Data); // KM002

        [KissmetricsEvent("Reserved")]
        public partial record Reserved([KissmetricsProperty("_p")] string Person); // KM003

        [KissmetricsEvent("Colliding")]
        public partial record Colliding(string Plan, [KissmetricsProperty("PLAN")] string Tier); // KM004

        [KissmetricsEvent("Recursive")]
        public partial record Recursive([KissmetricsFlatten] Node Root);

        [KissmetricsEvent("Objects")]
        public partial record Objects(List<LineItem> Items); // KM006

        [KissmetricsEvent(" ")] // KM007
        public partial record Nameless(string Plan);

        [KissmetricsEvent("Flattened")]
        public partial record Flattened(Address Address); // KM008

        [KissmetricsEvent("Joined")]
        public partial record Joined(List<string> Tags); // KM009

        [KissmetricsEvent("Billed")]
        public partial record Billed(decimal Revenue); // KM010

        [KissmetricsEvent("Separated")]
        public partial record Separated([KissmetricsProperty("Plan: Tier")] string Plan); // KM011

        [KissmetricsEvent("Long")]
        public partial record Long([KissmetricsProperty("{{new string('x', 250)}}")] string Plan); // KM012

        [KissmetricsEvent("plain")] // KM013
        public partial record AlsoPlain(string Plan);
        """;

    /// <summary>Every mistake above, said to be intended or avoided; must be clean.</summary>
    internal const string Acknowledged = Sources.Usings + """
        public sealed record Address(string City, string Country);
        public sealed record Product(string Sku, [KissmetricsRevenue] decimal Price);

        [KissmetricsEvent("Subscribed")]
        public partial record Subscribed(
            string Plan,
            [KissmetricsRevenue] decimal Revenue,
            [KissmetricsFlatten, KissmetricsProperty("Billing Address")] Address BillingAddress,
            [KissmetricsJoin] IReadOnlyList<string> Features,
            [KissmetricsIgnore] object? Debug);

        [KissmetricsTraits]
        public partial class UserTraits
        {
            public string Email { get; init; } = "";

            [KissmetricsFlatten]
            public Address? Home { get; init; }

            [KissmetricsJoin]
            public int[] Seats { get; init; } = [];
        }

        [KissmetricsEvent("Order Completed")]
        public partial record OrderCompleted(string OrderId, decimal Total, IReadOnlyList<Product> Products);

        [KissmetricsPage(Category = "Guides")]
        public partial record GuidePage(string Url);
        """;

    private static readonly string[] AllIds = Enumerable.Range(1, 13).Select(i => "KM" + i.ToString("000", System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    internal static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = ImmutableArray.Create<DiagnosticAnalyzer>(
        new TypeShapeAnalyzer(), new WireNameAnalyzer(), new MappingIntentAnalyzer(), new DuplicateEventNameAnalyzer(), new PlanDriftAnalyzer(), new EventCoverageAnalyzer(), new ValidationAttributeAnalyzer(),
        new NamingPolicyAnalyzer(), new ClientInterfaceAnalyzer());

    internal static Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string source) =>
        TestCompilation.Create(source).WithAnalyzers(Analyzers).GetAnalyzerDiagnosticsAsync(CancellationToken.None);

    [Fact]
    public async Task One_instance_of_each_mistake_gives_exactly_those_13_diagnostics()
    {
        ImmutableArray<Diagnostic> diagnostics = await AnalyzeAsync(OneOfEachMistake);

        Assert.Equal(AllIds, diagnostics.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal));
        foreach (Diagnostic diagnostic in diagnostics)
        {
            // Each lands on the line whose comment names it.
            string line = diagnostic.Location.SourceTree!.GetText().Lines[diagnostic.Location.GetLineSpan().StartLinePosition.Line].ToString();
            Assert.True(line.EndsWith("// " + diagnostic.Id, StringComparison.Ordinal), $"{diagnostic.Id} at: {line}");
            DiagnosticDescriptor descriptor = DiagnosticDescriptors.All.Single(d => d.Id == diagnostic.Id);
            Assert.Equal(descriptor.DefaultSeverity, diagnostic.Severity);
        }

        Assert.Equal(7, diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Equal(6, diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning));
    }

    [Fact]
    public async Task Acknowledged_forms_are_clean_and_generate_compiling_code()
    {
        Assert.Empty(await AnalyzeAsync(Acknowledged));

        GeneratorRun run = GeneratorRunner.Run(Acknowledged).AssertOutputCompiles();
        Assert.Equal(4, run.GeneratedSources.Count(s => s.HintName != Emitting.PlanEmitter.HintName));
    }

    [Fact]
    public void Types_with_an_error_get_no_source_and_nothing_cascades()
    {
        GeneratorRun run = GeneratorRunner.Run(OneOfEachMistake);

        // Only the types with warnings alone are generated; the output compiles without a single compiler error.
        Assert.Equal(
            new[] { "AlsoPlain", "Billed", "Flattened", "Joined", "Long", "Separated" }.Select(t => "Shop." + t + ".KissmetricsEvent.g.cs"),
            run.GeneratedSources.Select(s => s.HintName).Where(name => name != Emitting.PlanEmitter.HintName));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.DoesNotContain(run.OutputDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Theory]
    [InlineData("public record NotPartial(string Plan);", "NotPartial")]
    [InlineData("public partial record Unsendable(object Data);", "Unsendable")]
    [InlineData("public partial record Reserved([KissmetricsProperty(\"_p\")] string Person);", "Reserved")]
    [InlineData("public partial record Colliding(string Plan, [KissmetricsProperty(\"plan\")] string Tier);", "Colliding")]
    [InlineData("public partial record Recursive(string Name, Recursive? Parent);", "Recursive")]
    [InlineData("public partial record Objects(List<Address> Items);", "Objects")]
    [InlineData("public partial record Generic<T>(T Value, object Extra);", "Generic")]
    public async Task Every_error_of_a_type_means_no_source_for_it(string declaration, string typeName)
    {
        string source = Sources.Usings + "public sealed record Address(string City);\n[KissmetricsEvent(\"E\")]\n" + declaration;

        ImmutableArray<Diagnostic> diagnostics = await AnalyzeAsync(source);
        Diagnostic error = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);

        GeneratorRun run = GeneratorRunner.Run(source);
        Assert.DoesNotContain(run.GeneratedSources, s => s.HintName.Contains(typeName, StringComparison.Ordinal));
        Assert.DoesNotContain(run.OutputDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public async Task Analyzers_read_the_naming_policy_like_the_generator()
    {
        const string Source = Sources.Usings + """
            [KissmetricsEvent("Billed")]
            public partial record Billed(decimal Revenue, string OrderId);
            """;
        CSharpCompilationWithOptions compilation = new(TestCompilation.Create(Source), "snake_case");

        ImmutableArray<Diagnostic> diagnostics = await compilation.AnalyzeAsync();
        Diagnostic revenue = Assert.Single(diagnostics);
        Assert.Equal("'Revenue' is sent as 'Billed - revenue' and also as 'Billing Amount'; mark it [KissmetricsRevenue] if that is intended", revenue.GetMessage(System.Globalization.CultureInfo.InvariantCulture));

        // The generator, with the same option, writes those very names.
        GeneratorRun run = GeneratorRunner.Run(Source, GeneratorRunner.BuildProperties(("KissmetricsNamingPolicy", "snake_case")));
        string generated = run.Source("Shop.Billed.KissmetricsEvent.g.cs");
        Assert.Contains("Billed%20-%20revenue", generated, StringComparison.Ordinal);
        Assert.Contains("order_id", generated, StringComparison.Ordinal);
    }

    private sealed class CSharpCompilationWithOptions
    {
        private readonly Compilation _compilation;
        private readonly string _policy;

        public CSharpCompilationWithOptions(Compilation compilation, string policy)
        {
            _compilation = compilation;
            _policy = policy;
        }

        public Task<ImmutableArray<Diagnostic>> AnalyzeAsync()
        {
            var options = new AnalyzerOptions(
                ImmutableArray<AdditionalText>.Empty,
                new TestAnalyzerConfigOptionsProvider(GeneratorRunner.BuildProperties(("KissmetricsNamingPolicy", _policy))));
            return _compilation.WithAnalyzers(Analyzers, options).GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        }
    }
}
