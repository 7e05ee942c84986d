using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Generator.Diagnostics;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

using Analyze = AnalyzerVerifier<DuplicateEventNameAnalyzer>;

/// <summary>KM013: two event types in one compilation have the same event name, ignoring case.</summary>
public sealed class KM013DuplicateEventNameTests
{
    [Fact]
    public Task Every_declaration_after_the_first_is_reported_naming_the_first() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp(string Plan);

            [KissmetricsEvent({|#0:"signed up"|})]
            public partial record Registered(string Plan);

            public static partial class Legacy
            {
                [KissmetricsEvent({|#1:"SIGNED UP"|})]
                public partial record SignedUp(string Plan);
            }
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.DuplicateEventName).WithLocation(0).WithArguments("Registered", "signed up", "SignedUp"),
            Analyze.Diagnostic(DiagnosticDescriptors.DuplicateEventName).WithLocation(1).WithArguments("Legacy.SignedUp", "SIGNED UP", "SignedUp"));

    [Fact]
    public async Task Declarations_in_different_files_are_compared()
    {
        var test = new OfflineAnalyzerTest<DuplicateEventNameAnalyzer>
        {
            TestState =
            {
                Sources =
                {
                    Sources.Usings + """
                    [KissmetricsEvent("Order Completed")]
                    public partial record OrderCompleted(string OrderId);
                    """,
                    Sources.Usings + """
                    [KissmetricsEvent({|#0:"Order Completed"|})]
                    public partial class CheckoutFinished
                    {
                        public string OrderId { get; init; } = "";
                    }
                    """,
                },
            },
        };
        test.ExpectedDiagnostics.Add(Analyze.Diagnostic(DiagnosticDescriptors.DuplicateEventName).WithLocation(0).WithArguments("CheckoutFinished", "Order Completed", "OrderCompleted"));
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task Distinct_names_and_other_kinds_are_not_reported() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp(string Plan);

            [KissmetricsEvent("Signed Up Again")]
            public partial record SignedUpAgain(string Plan);

            // Only event types share the event namespace this rule checks.
            [KissmetricsPage("Signed Up")]
            public partial record SignedUpPage(string Url);
            """);
}
