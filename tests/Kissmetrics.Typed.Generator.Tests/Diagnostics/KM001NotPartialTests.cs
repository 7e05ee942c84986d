using System.Threading.Tasks;
using Kissmetrics.Typed.CodeFixes;
using Kissmetrics.Typed.Generator.Diagnostics;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

using Analyze = AnalyzerVerifier<TypeShapeAnalyzer>;
using Fix = CodeFixVerifier<TypeShapeAnalyzer, MakePartialCodeFix>;

/// <summary>KM001: an annotated type, or a type containing one, is not <c>partial</c>.</summary>
public sealed class KM001NotPartialTests
{
    [Fact]
    public Task Every_annotated_kind_must_be_partial() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            [KissmetricsEvent("Signed Up")]
            public record {|#0:SignedUp|}(string Plan);

            [KissmetricsTraits]
            public sealed class {|#1:UserTraits|}
            {
                public string Email { get; init; } = "";
            }

            [KissmetricsGroupTraits]
            public record struct {|#2:CompanyTraits|}(string Name);

            [KissmetricsPage("Docs")]
            public struct {|#3:DocsPage|}
            {
                public string Url { get; init; }
            }

            [KissmetricsScreen(Category = "Home")]
            public class {|#4:HomeScreen|}
            {
            }
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.NotPartial).WithLocation(0).WithArguments("SignedUp", "SignedUp"),
            Analyze.Diagnostic(DiagnosticDescriptors.NotPartial).WithLocation(1).WithArguments("UserTraits", "UserTraits"),
            Analyze.Diagnostic(DiagnosticDescriptors.NotPartial).WithLocation(2).WithArguments("CompanyTraits", "CompanyTraits"),
            Analyze.Diagnostic(DiagnosticDescriptors.NotPartial).WithLocation(3).WithArguments("DocsPage", "DocsPage"),
            Analyze.Diagnostic(DiagnosticDescriptors.NotPartial).WithLocation(4).WithArguments("HomeScreen", "HomeScreen"));

    [Fact]
    public Task A_containing_type_must_be_partial_too() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            public static class {|#0:Events|}
            {
                [KissmetricsEvent("Signed Up")]
                public partial record SignedUp(string Plan);
            }
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.NotPartial).WithLocation(0).WithArguments("Events", "Events.SignedUp"));

    [Fact]
    public Task Partial_types_and_unannotated_types_are_not_reported() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            public static partial class Events
            {
                [KissmetricsEvent("Signed Up")]
                public partial record SignedUp(string Plan);
            }

            [KissmetricsTraits]
            public sealed partial class UserTraits
            {
                public string Email { get; init; } = "";
            }

            public record NotAnnotated(object Anything);
            """);

    [Fact]
    public Task Fix_adds_partial_before_the_keyword_and_fixes_all() =>
        Fix.VerifyCodeFixAsync(
            Sources.Usings + """
            [KissmetricsEvent("Signed Up")]
            record {|KM001:SignedUp|}(string Plan);

            [KissmetricsTraits]
            public sealed class {|KM001:UserTraits|}
            {
                public string Email { get; init; } = "";
            }

            public static class {|KM001:Events|}
            {
                [KissmetricsGroupTraits]
                public readonly record struct {|KM001:CompanyTraits|}(string Name);
            }
            """,
            Sources.Usings + """
            [KissmetricsEvent("Signed Up")]
            partial record SignedUp(string Plan);

            [KissmetricsTraits]
            public sealed partial class UserTraits
            {
                public string Email { get; init; } = "";
            }

            public static partial class Events
            {
                [KissmetricsGroupTraits]
                public readonly partial record struct CompanyTraits(string Name);
            }
            """);
}
