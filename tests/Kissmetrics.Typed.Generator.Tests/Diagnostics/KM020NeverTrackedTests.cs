using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Generator.Diagnostics;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

using Analyze = AnalyzerVerifier<EventCoverageAnalyzer>;

/// <summary>KM020 (off by default): an event type is declared but never tracked in the compilation.</summary>
public sealed class KM020NeverTrackedTests
{
    private const string Events = Sources.Usings + """
        [KissmetricsEvent("Signed Up")]
        public partial record SignedUp(string Plan);

        [KissmetricsEvent("Signed Out")]
        public partial record SignedOut(string Reason);

        [KissmetricsEvent("Checked Out")]
        public partial record CheckedOut(string CartId);

        [KissmetricsEvent("Trial Extended")]
        public partial record {|#0:TrialExtended|}(int Days);

        [KissmetricsTraits]
        public partial record UserTraits(string Email);

        public static class App
        {
            // A comment naming TrialExtended, and a string "TrialExtended", are not references.
            public static object[] Run(CheckedOut fromElsewhere)
            {
                SignedOut reason = new("idle");
                Send(fromElsewhere);
                return new object[] { new SignedUp("Pro"), reason, "TrialExtended" };
            }

            private static void Send(CheckedOut checkedOut) => System.Console.WriteLine(checkedOut);

            private static void Unused(UserTraits traits) => System.Console.WriteLine(traits);
        }
        """;

    private static Task VerifyEnabledAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new OfflineAnalyzerTest<EventCoverageAnalyzer> { TestCode = source };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.KM020.severity = suggestion\n"));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task Only_the_event_nothing_creates_or_takes_is_reported() =>
        VerifyEnabledAsync(
            Events,
            Analyze.Diagnostic(DiagnosticDescriptors.NeverTracked).WithLocation(0).WithArguments("TrialExtended", "Trial Extended"));

    [Fact]
    public async Task It_is_off_by_default_and_on_when_configured()
    {
        // Not the test harness: it turns every supported diagnostic on.
        var compilation = TestCompilation.Create(Events.Replace("{|#0:TrialExtended|}", "TrialExtended", System.StringComparison.Ordinal));
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new EventCoverageAnalyzer());

        Assert.Empty(await compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync(CancellationToken.None));

        var enabled = compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(
            ImmutableDictionary<string, ReportDiagnostic>.Empty.Add("KM020", ReportDiagnostic.Info)));
        Diagnostic never = Assert.Single(await enabled.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync(CancellationToken.None));
        Assert.Equal("KM020", never.Id);
    }

    [Fact]
    public async Task Calls_through_the_generated_typed_client_or_its_interface_count_and_the_client_alone_does_not()
    {
        const string Source = Sources.Usings + """
            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp(string Plan);

            [KissmetricsEvent("Signed Out")]
            public partial record SignedOut(string Reason);

            [KissmetricsEvent("Trial Extended")]
            public partial record TrialExtended(int Days);

            [KissmetricsClient]
            public partial class ShopAnalytics;

            public static class App
            {
                public static void Run(ShopAnalytics analytics, IShopAnalytics mockable)
                {
                    analytics.SignedUp("bob", plan: "Pro");
                    mockable.SignedOut("bob", "idle");
                }
            }
            """;
        GeneratorRun run = GeneratorRunner.Run(Source);
        TestCompilation.AssertNoErrorsOrWarnings(run.OutputCompilation);

        ImmutableArray<Diagnostic> diagnostics = await run.OutputCompilation
            .WithAnalyzers(
                ImmutableArray.Create<DiagnosticAnalyzer>(new EventCoverageAnalyzer()),
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty))
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        Assert.Empty(diagnostics); // off by default

        var enabled = (Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions)run.OutputCompilation.Options
            .WithSpecificDiagnosticOptions(ImmutableDictionary<string, ReportDiagnostic>.Empty.Add("KM020", ReportDiagnostic.Info));
        diagnostics = await run.OutputCompilation.WithOptions(enabled)
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new EventCoverageAnalyzer()))
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None);

        Diagnostic never = Assert.Single(diagnostics);
        Assert.Equal("KM020", never.Id);
        Assert.Contains("'TrialExtended'", never.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }

    [Fact]
    public Task A_type_of_the_same_name_in_another_namespace_does_not_count() =>
        VerifyEnabledAsync(
            Sources.Usings + """
            [KissmetricsEvent("Signed Up")]
            public partial record {|#0:SignedUp|}(string Plan);

            public static class Legacy
            {
                public sealed record SignedUp(string Plan);

                public static object Make() => new SignedUp("Pro");
            }
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.NeverTracked).WithLocation(0).WithArguments("SignedUp", "Signed Up"));
}
