using System.Threading.Tasks;
using Kissmetrics.Typed.CodeFixes;
using Kissmetrics.Typed.Generator.Diagnostics;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

using Analyze = AnalyzerVerifier<MappingIntentAnalyzer>;
using Fix = CodeFixVerifier<MappingIntentAnalyzer, AcknowledgeCodeFix>;

/// <summary>KM009: a collection is sent as one comma-joined string; <c>[KissmetricsJoin]</c> says it is intended.</summary>
public sealed class KM009JoinTests
{
    [Fact]
    public Task Collections_of_scalars_are_reported_with_the_name_sent() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp(IReadOnlyList<string> {|#0:Features|}, int[] {|#1:Seats|});
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.Joined).WithLocation(0).WithArguments("Features", "Signed Up - Features"),
            Analyze.Diagnostic(DiagnosticDescriptors.Joined).WithLocation(1).WithArguments("Seats", "Signed Up - Seats"));

    [Fact]
    public Task A_collection_in_a_nested_object_is_reported_where_it_is_declared() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            public sealed record Cart(List<string> {|#0:Skus|});

            [KissmetricsTraits]
            public partial record Shopper([KissmetricsFlatten] Cart Cart);
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.Joined).WithLocation(0).WithArguments("Cart.Skus", "Cart.Skus"));

    [Fact]
    public Task Acknowledged_on_a_parameter_on_a_property_target_and_on_a_property() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            public sealed record Cart([KissmetricsJoin] List<string> Skus);

            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp([KissmetricsJoin] IReadOnlyList<string> Features, [property: KissmetricsJoin] int[] Seats, [KissmetricsFlatten] Cart Cart)
            {
                [KissmetricsJoin]
                public HashSet<Guid> Teams { get; init; } = new();
            }
            """);

    [Fact]
    public Task A_string_is_not_a_collection() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp(string Plan, [KissmetricsIgnore] List<string> Notes);
            """);

    [Fact]
    public Task Fix_adds_KissmetricsJoin_and_fixes_all() =>
        Fix.VerifyCodeFixAsync(
            Sources.Usings + """
            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp(IReadOnlyList<string> {|KM009:Features|}, int[] {|KM009:Seats|})
            {
                public List<string> {|KM009:Tags|} { get; init; } = new();
            }
            """,
            Sources.Usings + """
            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp([KissmetricsJoin] IReadOnlyList<string> Features, [KissmetricsJoin] int[] Seats)
            {
                [KissmetricsJoin]
                public List<string> Tags { get; init; } = new();
            }
            """);
}
