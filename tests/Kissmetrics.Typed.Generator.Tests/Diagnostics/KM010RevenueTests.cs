using System.Threading.Tasks;
using Kissmetrics.Typed.CodeFixes;
using Kissmetrics.Typed.Generator.Diagnostics;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

using Analyze = AnalyzerVerifier<MappingIntentAnalyzer>;
using Fix = CodeFixVerifier<MappingIntentAnalyzer, AcknowledgeCodeFix>;

/// <summary>KM010: a property named <c>revenue</c> is also sent as <c>Billing Amount</c>; <c>[KissmetricsRevenue]</c> says it is intended.</summary>
public sealed class KM010RevenueTests
{
    [Fact]
    public Task A_number_named_revenue_says_both_names_it_is_sent_as() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            [KissmetricsEvent("Billed")]
            public partial record Billed([KissmetricsProperty("revenue")] decimal {|#0:Amount|});

            [KissmetricsEvent("Refunded")]
            public partial record Refunded(double {|#1:Revenue|});
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.ImplicitRevenue).WithLocation(0).WithArguments("Amount", "Billed - revenue"),
            Analyze.Diagnostic(DiagnosticDescriptors.ImplicitRevenue).WithLocation(1).WithArguments("Revenue", "Refunded - Revenue"));

    [Fact]
    public Task The_naming_policy_is_applied_first() =>
        Sources.VerifyWithPolicyAsync<MappingIntentAnalyzer>(
            Sources.Usings + """
            [KissmetricsEvent("Billed")]
            public partial record Billed(decimal {|#0:Revenue|});
            """,
            "camelCase",
            Analyze.Diagnostic(DiagnosticDescriptors.ImplicitRevenue).WithLocation(0).WithArguments("Revenue", "Billed - revenue"));

    [Fact]
    public Task A_product_of_a_completed_order_named_revenue_is_reported() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            public sealed record Product(string Sku, decimal {|#0:Revenue|});

            [KissmetricsEvent("Order Completed")]
            public partial record OrderCompleted(string OrderId, [KissmetricsRevenue] decimal Total, IReadOnlyList<Product> Products);
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.ImplicitRevenue).WithLocation(0).WithArguments("Products.Revenue", "Order Completed - Revenue"));

    [Fact]
    public Task Acknowledged_or_not_sent_as_Billing_Amount_is_not_reported() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            [KissmetricsEvent("Billed")]
            public partial record Billed([KissmetricsRevenue] decimal Revenue);

            [KissmetricsEvent("Charged")]
            public partial record Charged([property: KissmetricsRevenue] decimal Revenue);

            [KissmetricsEvent("Paid")]
            public partial class Paid
            {
                [KissmetricsRevenue]
                public decimal Revenue { get; init; }
            }

            // The marked one is the revenue; 'Revenue' is then an ordinary property.
            [KissmetricsEvent("Upgraded")]
            public partial record Upgraded([KissmetricsRevenue] decimal Amount, decimal Revenue);

            // Not a number: never Billing Amount.
            [KissmetricsEvent("Noted")]
            public partial record Noted(string Revenue);

            // Traits never send Billing Amount.
            [KissmetricsTraits]
            public partial record Customer(decimal Revenue);

            // An order's total serves as revenue (mapping.md section 9), which is not a property named revenue.
            public sealed record Product(string Sku);

            [KissmetricsEvent("Order Completed")]
            public partial record OrderCompleted(decimal Total, [KissmetricsJoin] IReadOnlyList<string> Coupons, IReadOnlyList<Product> Products);
            """);

    [Fact]
    public Task Fix_adds_KissmetricsRevenue_and_fixes_all() =>
        Fix.VerifyCodeFixAsync(
            Sources.Usings + """
            [KissmetricsEvent("Billed")]
            public partial record Billed(decimal {|KM010:Revenue|});

            [KissmetricsEvent("Paid")]
            public partial class Paid
            {
                public decimal {|KM010:Revenue|} { get; init; }
            }
            """,
            Sources.Usings + """
            [KissmetricsEvent("Billed")]
            public partial record Billed([KissmetricsRevenue] decimal Revenue);

            [KissmetricsEvent("Paid")]
            public partial class Paid
            {
                [KissmetricsRevenue]
                public decimal Revenue { get; init; }
            }
            """);
}
