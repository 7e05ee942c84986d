using System.Threading.Tasks;
using Kissmetrics.Typed.CodeFixes;
using Kissmetrics.Typed.Generator.Diagnostics;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

using Analyze = AnalyzerVerifier<WireNameAnalyzer>;
using Fix = CodeFixVerifier<WireNameAnalyzer, RenameCodeFix>;

/// <summary>KM003: a wire name starts with <c>_</c>, which Kissmetrics reserves for control parameters.</summary>
public sealed class KM003ReservedNameTests
{
    [Fact]
    public Task Explicit_and_declared_names_starting_with_an_underscore_are_reported() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp([KissmetricsProperty("_p")] string {|#0:Person|})
            {
                public string {|#1:_Internal|} { get; init; } = "";
            }

            [KissmetricsGroupTraits]
            public partial record Company([property: KissmetricsProperty("_k")] string {|#2:Key|});
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.ReservedName).WithLocation(0).WithArguments("Person", "_p"),
            Analyze.Diagnostic(DiagnosticDescriptors.ReservedName).WithLocation(1).WithArguments("_Internal", "_Internal"),
            Analyze.Diagnostic(DiagnosticDescriptors.ReservedName).WithLocation(2).WithArguments("Key", "_k"));

    [Fact]
    public Task A_nested_object_named_with_an_underscore_is_reported_once_at_that_member() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            public sealed record Address(string City, string Country);

            [KissmetricsTraits]
            public partial record UserTraits([KissmetricsFlatten, KissmetricsProperty("_home")] Address {|#0:Home|});
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.ReservedName).WithLocation(0).WithArguments("Home", "_home.City"));

    [Fact]
    public Task The_naming_policy_decides_the_name() =>
        Sources.VerifyWithPolicyAsync<WireNameAnalyzer>(
            Sources.Usings + """
            [KissmetricsTraits]
            public partial class UserTraits
            {
                // snake_case splits at underscores: sent as "internal".
                public string _Internal { get; init; } = "";
            }
            """,
            "snake_case");

    [Fact]
    public Task Underscores_elsewhere_are_fine() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            [KissmetricsEvent("_Signed Up")]
            public partial record SignedUp([KissmetricsProperty("order_id")] string OrderId, string Plan_Name);
            """);

    [Fact]
    public Task Fix_renames_through_KissmetricsProperty_and_fixes_all() =>
        Fix.VerifyCodeFixAsync(
            Sources.Usings + """
            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp([KissmetricsProperty("__p")] string {|KM003:Person|}, string {|KM003:_Plan|})
            {
                public string {|KM003:_Internal|} { get; init; } = "";

                [property: KissmetricsProperty("_t")]
                public int {|KM003:Time|} { get; init; }
            }
            """,
            Sources.Usings + """
            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp([KissmetricsProperty("p")] string Person, [KissmetricsProperty("Plan")] string _Plan)
            {
                [KissmetricsProperty("Internal")]
                public string _Internal { get; init; } = "";

                [property: KissmetricsProperty("t")]
                public int Time { get; init; }
            }
            """);
}
