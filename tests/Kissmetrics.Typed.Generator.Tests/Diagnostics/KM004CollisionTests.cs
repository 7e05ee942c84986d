using System.Threading.Tasks;
using Kissmetrics.Typed.Generator.Diagnostics;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

using Analyze = AnalyzerVerifier<WireNameAnalyzer>;

/// <summary>KM004: two properties of one type end up with the same wire name, ignoring case, after naming and flattening.</summary>
public sealed class KM004CollisionTests
{
    [Fact]
    public Task Names_differing_only_in_case_collide() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp(string Plan, [KissmetricsProperty("plan")] string {|#0:PlanName|});
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.Collision).WithLocation(0).WithArguments("PlanName", "'Plan'", "plan"));

    [Fact]
    public Task A_flattened_name_collides_with_an_explicit_dotted_name() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            public sealed record Address(string City);

            [KissmetricsTraits]
            public partial record UserTraits([KissmetricsFlatten] Address Address, [KissmetricsProperty("address.city")] string {|#0:Town|});
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.Collision).WithLocation(0).WithArguments("Town", "'Address.City'", "address.city"));

    [Fact]
    public Task Names_the_library_adds_are_taken() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            [KissmetricsTraits]
            public partial record UserTraits(string {|#0:Id|});

            [KissmetricsGroupTraits]
            public partial record CompanyTraits(string {|#1:ID|});

            [KissmetricsPage("Docs")]
            public partial record DocsPage(string {|#2:Name|});
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.Collision).WithLocation(0).WithArguments("Id", "the person id (id)", "Id"),
            Analyze.Diagnostic(DiagnosticDescriptors.Collision).WithLocation(1).WithArguments("ID", "the group id (Group - id)", "Group - ID"),
            Analyze.Diagnostic(DiagnosticDescriptors.Collision).WithLocation(2).WithArguments("Name", "the added 'Page - name'", "Page - Name"));

    [Fact]
    public Task The_naming_policy_applies_before_comparing() =>
        Sources.VerifyWithPolicyAsync<WireNameAnalyzer>(
            Sources.Usings + """
            [KissmetricsEvent("Order Placed")]
            public partial record OrderPlaced(string OrderId, string {|#0:Order_Id|});
            """,
            "snake_case",
            Analyze.Diagnostic(DiagnosticDescriptors.Collision).WithLocation(0).WithArguments("Order_Id", "'OrderId'", "order_id"));

    [Fact]
    public Task Product_names_are_compared_among_the_products_own_names() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            public sealed record Product(string Sku, [KissmetricsProperty("SKU")] string {|#0:Code|});

            [KissmetricsEvent("Order Completed")]
            public partial record OrderCompleted(string Sku, IReadOnlyList<Product> Products);
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.Collision).WithLocation(0).WithArguments("Products.Code", "'Products.Sku'", "SKU"));

    [Fact]
    public Task A_property_named_Billing_Amount_collides_with_the_revenue_whichever_comes_first() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            [KissmetricsEvent("Subscribed")]
            public partial record Subscribed([KissmetricsRevenue] decimal Revenue, [KissmetricsProperty("Billing Amount")] decimal {|#0:Charged|});

            [KissmetricsEvent("Renewed")]
            public partial record Renewed([KissmetricsProperty("billing amount")] decimal {|#1:Charged|}, [KissmetricsRevenue] decimal Revenue);
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.Collision).WithLocation(0).WithArguments("Charged", "'Revenue'", "Billing Amount"),
            Analyze.Diagnostic(DiagnosticDescriptors.Collision).WithLocation(1).WithArguments("Charged", "'Revenue'", "Billing Amount"));

    [Fact]
    public Task A_property_named_Billing_Amount_without_a_revenue_is_fine() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            [KissmetricsEvent("Invoiced")]
            public partial record Invoiced([KissmetricsProperty("Billing Amount")] decimal Charged, string Plan);
            """);

    [Fact]
    public Task Distinct_names_do_not_collide() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            public sealed record Address(string City);

            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp(string Plan, [KissmetricsProperty("Plan Name")] string PlanName, [KissmetricsFlatten] Address Address, string City);
            """);
}
