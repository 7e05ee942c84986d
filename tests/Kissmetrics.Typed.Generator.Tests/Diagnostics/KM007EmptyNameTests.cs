using System.Threading.Tasks;
using Kissmetrics.Typed.Generator.Diagnostics;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

using Analyze = AnalyzerVerifier<TypeShapeAnalyzer>;

/// <summary>KM007: an event, page or screen name is empty or white space, or a page or screen has neither name nor category.</summary>
public sealed class KM007EmptyNameTests
{
    [Fact]
    public Task Empty_or_white_space_names_are_reported_at_the_argument() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            [KissmetricsEvent({|#0:""|})]
            public partial record Nameless(string Plan);

            [KissmetricsEvent({|#1:"   "|})]
            public partial record Blank(string Plan);

            [KissmetricsEvent({|#2:null!|})]
            public partial record Null(string Plan);

            [KissmetricsPage({|#3:" "|}, Category = "Guides")]
            public partial record BlankPage(string Url);

            [KissmetricsScreen("Home", {|#4:Category = ""|})]
            public partial record BlankCategory(string Tab);
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.EmptyName).WithLocation(0).WithArguments("Nameless", "has an empty or white-space event name"),
            Analyze.Diagnostic(DiagnosticDescriptors.EmptyName).WithLocation(1).WithArguments("Blank", "has an empty or white-space event name"),
            Analyze.Diagnostic(DiagnosticDescriptors.EmptyName).WithLocation(2).WithArguments("Null", "has an empty or white-space event name"),
            Analyze.Diagnostic(DiagnosticDescriptors.EmptyName).WithLocation(3).WithArguments("BlankPage", "has an empty or white-space page name"),
            Analyze.Diagnostic(DiagnosticDescriptors.EmptyName).WithLocation(4).WithArguments("BlankCategory", "has an empty or white-space screen category"));

    [Fact]
    public Task A_page_or_screen_with_neither_name_nor_category_is_reported_at_the_attribute() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            [{|#0:KissmetricsPage|}]
            public partial record SomePage(string Url);

            [{|#1:KissmetricsScreen()|}]
            public partial record SomeScreen(string Tab);
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.EmptyName).WithLocation(0).WithArguments("SomePage", "is a page with neither a name nor a category"),
            Analyze.Diagnostic(DiagnosticDescriptors.EmptyName).WithLocation(1).WithArguments("SomeScreen", "is a screen with neither a name nor a category"));

    [Fact]
    public Task A_name_a_category_or_both_are_enough() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp(string Plan);

            [KissmetricsPage("Docs")]
            public partial record DocsPage(string Url);

            [KissmetricsPage(Category = "Guides")]
            public partial record GuidePage(string Url);

            [KissmetricsScreen("Home", Category = "Main")]
            public partial record HomeScreen(string Tab);
            """);
}
