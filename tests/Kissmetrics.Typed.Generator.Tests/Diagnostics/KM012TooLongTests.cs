using System.Threading.Tasks;
using Kissmetrics.Typed.Generator.Diagnostics;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

using Analyze = AnalyzerVerifier<WireNameAnalyzer>;

/// <summary>KM012: a wire name, prefix included, is 255 characters or longer (event names too).</summary>
public sealed class KM012TooLongTests
{
    private static readonly string Name243 = new('p', 243);
    private static readonly string Name242 = new('p', 242);
    private static readonly string Name255 = new('e', 255);
    private static readonly string Name247 = new('p', 247);

    [Fact]
    public Task The_event_prefix_counts() =>
        // "Signed Up - " is 12 characters: 12 + 243 = 255.
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + $$"""
            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp([KissmetricsProperty("{{Name243}}")] string {|#0:Plan|}, [KissmetricsProperty("{{Name242}}")] string Short);
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.TooLong).WithLocation(0).WithArguments("The name sent for 'Plan'", "255", "Signed Up - " + Name243));

    [Fact]
    public Task Traits_have_no_prefix_and_group_traits_have_theirs() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + $$"""
            [KissmetricsTraits]
            public partial record UserTraits([KissmetricsProperty("{{Name247}}")] string Plan);

            [KissmetricsGroupTraits]
            public partial record CompanyTraits([KissmetricsProperty("{{Name247}}")] string {|#0:Plan|});
            """,
            // "Group - " is 8 characters: 8 + 247 = 255.
            Analyze.Diagnostic(DiagnosticDescriptors.TooLong).WithLocation(0).WithArguments("The name sent for 'Plan'", "255", "Group - " + Name247));

    [Fact]
    public Task A_long_event_name_is_reported_once_at_the_name() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + $$"""
            [KissmetricsEvent({|#0:"{{Name255}}"|})]
            public partial record Long(string Plan, string Seats);
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.TooLong).WithLocation(0).WithArguments("The event name of 'Long'", "255", Name255));

    [Fact]
    public Task A_page_name_counts_as_the_event_it_becomes() =>
        // "Viewed " + 243 + " Page" = 255.
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + $$"""
            [KissmetricsPage({|#0:"{{Name243}}"|})]
            public partial record LongPage(string Url);
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.TooLong).WithLocation(0).WithArguments("The event name sent for the page name of 'LongPage'", "255", "Viewed " + Name243 + " Page"));

    [Fact]
    public Task Names_under_255_are_fine() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + $$"""
            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp([KissmetricsProperty("{{Name242}}")] string Plan);

            [KissmetricsEvent("{{new string('e', 254)}}")]
            public partial class AlmostTooLong
            {
            }
            """);
}
