using System.Threading.Tasks;
using Kissmetrics.Typed.Generator.Diagnostics;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

using Analyze = AnalyzerVerifier<TypeShapeAnalyzer>;

/// <summary>KM002: a property's type cannot be sent (object, dynamic, dictionary, delegate, stream, ...).</summary>
public sealed class KM002UnsupportedTypeTests
{
    [Fact]
    public Task Unsendable_types_are_reported_at_the_member() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp(
                object {|#0:Data|},
                Dictionary<string, string> {|#1:Tags|},
                Action {|#2:Callback|},
                System.IO.Stream {|#3:Body|},
                List<object> {|#4:Things|})
            {
                public dynamic? {|#5:Extra|} { get; init; }
            }
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.UnsupportedType).WithLocation(0).WithArguments("Data", "object"),
            Analyze.Diagnostic(DiagnosticDescriptors.UnsupportedType).WithLocation(1).WithArguments("Tags", "System.Collections.Generic.Dictionary<string, string>"),
            Analyze.Diagnostic(DiagnosticDescriptors.UnsupportedType).WithLocation(2).WithArguments("Callback", "System.Action"),
            Analyze.Diagnostic(DiagnosticDescriptors.UnsupportedType).WithLocation(3).WithArguments("Body", "System.IO.Stream"),
            Analyze.Diagnostic(DiagnosticDescriptors.UnsupportedType).WithLocation(4).WithArguments("Things", "object"),
            Analyze.Diagnostic(DiagnosticDescriptors.UnsupportedType).WithLocation(5).WithArguments("Extra", "dynamic"));

    [Fact]
    public Task A_member_of_a_nested_object_is_reported_where_it_is_declared() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            public sealed class Address
            {
                public string City { get; init; } = "";

                public object? {|#0:Geometry|} { get; init; }
            }

            [KissmetricsTraits]
            public partial record UserTraits([KissmetricsFlatten] Address Home);
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.UnsupportedType).WithLocation(0).WithArguments("Home.Geometry", "object"));

    [Fact]
    public Task Ignored_members_and_every_supported_type_are_not_reported() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            public enum Plan { Free, Pro }

            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp(
                string Name, bool Trial, int Seats, long Big, ulong Huge, double Ratio, float Small, decimal Price,
                DateTime At, DateTimeOffset When, DateOnly Day, Guid Id, Plan Plan, int? Maybe,
                [KissmetricsIgnore] object Data,
                [property: KissmetricsIgnore] Dictionary<string, string> Tags)
            {
                [KissmetricsIgnore]
                public Action? Callback { get; init; }

                internal object? NotPublic { get; init; }

                public static object? Static { get; set; }
            }
            """);
}
