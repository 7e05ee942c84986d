using System.Threading.Tasks;
using Kissmetrics.Typed.CodeFixes;
using Kissmetrics.Typed.Generator.Diagnostics;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

using Analyze = AnalyzerVerifier<WireNameAnalyzer>;
using Fix = CodeFixVerifier<WireNameAnalyzer, RenameCodeFix>;

/// <summary>KM011: a name contains <c>,</c> or <c>:</c>, which Kissmetrics turns into spaces.</summary>
public sealed class KM011SeparatorTests
{
    [Fact]
    public Task Event_page_screen_and_property_names_are_checked() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            [KissmetricsEvent({|#0:"Checkout: Started"|})]
            public partial record CheckoutStarted([KissmetricsProperty("Step, Name")] string {|#1:Step|});

            [KissmetricsPage("Docs", {|#2:Category = "Guides:API"|})]
            public partial record DocsPage(string Url);

            [KissmetricsScreen({|#3:"Home,Main"|})]
            public partial record HomeScreen(string Tab);
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.Separator).WithLocation(0).WithArguments("The event name of 'CheckoutStarted'", "Checkout: Started", "Checkout  Started"),
            Analyze.Diagnostic(DiagnosticDescriptors.Separator).WithLocation(1).WithArguments("The name of 'Step'", "Step, Name", "Step  Name"),
            Analyze.Diagnostic(DiagnosticDescriptors.Separator).WithLocation(2).WithArguments("The page category of 'DocsPage'", "Guides:API", "Guides API"),
            Analyze.Diagnostic(DiagnosticDescriptors.Separator).WithLocation(3).WithArguments("The screen name of 'HomeScreen'", "Home,Main", "Home Main"));

    [Fact]
    public Task A_nested_member_is_reported_once_where_it_is_declared() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            public sealed record Address([KissmetricsProperty("City:Town")] string {|#0:City|}, string Country);

            [KissmetricsTraits]
            public partial record UserTraits([KissmetricsFlatten] Address Home);
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.Separator).WithLocation(0).WithArguments("The name of 'Home.City'", "City:Town", "City Town"));

    [Fact]
    public Task Other_punctuation_is_fine() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            [KissmetricsEvent("Signed Up - Step 1 (beta)!")]
            public partial record SignedUp([KissmetricsProperty("Plan; Tier / Level")] string Plan);
            """);

    [Fact]
    public Task Fix_renames_members_and_names_and_fixes_all() =>
        Fix.VerifyCodeFixAsync(
            Sources.Usings + """
            [KissmetricsEvent({|KM011:"Checkout: Started"|})]
            public partial record CheckoutStarted([KissmetricsProperty("Step, Name")] string {|KM011:Step|})
            {
                [KissmetricsProperty("a:b")]
                public string {|KM011:Ab|} { get; init; } = "";
            }

            [KissmetricsPage("Docs", {|KM011:Category = "Guides:API"|})]
            public partial record DocsPage(string Url);
            """,
            Sources.Usings + """
            [KissmetricsEvent("Checkout  Started")]
            public partial record CheckoutStarted([KissmetricsProperty("Step  Name")] string Step)
            {
                [KissmetricsProperty("a b")]
                public string Ab { get; init; } = "";
            }

            [KissmetricsPage("Docs", Category = "Guides API")]
            public partial record DocsPage(string Url);
            """);
}
