using System.Threading.Tasks;
using Kissmetrics.Typed.Generator.Diagnostics;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

using Analyze = AnalyzerVerifier<TypeShapeAnalyzer>;

/// <summary>KM006: a collection of objects, except the products of a completed order.</summary>
public sealed class KM006CollectionOfObjectsTests
{
    private const string LineItem = "public sealed record LineItem(string Sku, decimal Price);\n";

    [Fact]
    public Task A_collection_of_objects_is_reported() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + LineItem + """
            [KissmetricsEvent("Cart Viewed")]
            public partial record CartViewed(IReadOnlyList<LineItem> {|#0:Items|});

            [KissmetricsTraits]
            public partial class Shopper
            {
                public LineItem[] {|#1:Wishlist|} { get; init; } = [];
            }
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.CollectionOfObjects).WithLocation(0).WithArguments("Items", "Shop.LineItem"),
            Analyze.Diagnostic(DiagnosticDescriptors.CollectionOfObjects).WithLocation(1).WithArguments("Wishlist", "Shop.LineItem"));

    [Fact]
    public Task Products_outside_a_completed_order_and_other_collections_in_one_are_reported() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + LineItem + """
            [KissmetricsEvent("Cart Viewed")]
            public partial record CartViewed(IReadOnlyList<LineItem> {|#0:Products|});

            [KissmetricsEvent("Order Completed")]
            public partial record OrderCompleted(IReadOnlyList<LineItem> Products, IReadOnlyList<LineItem> {|#1:Returns|});
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.CollectionOfObjects).WithLocation(0).WithArguments("Products", "Shop.LineItem"),
            Analyze.Diagnostic(DiagnosticDescriptors.CollectionOfObjects).WithLocation(1).WithArguments("Returns", "Shop.LineItem"));

    [Fact]
    public Task The_products_of_a_completed_order_are_not_reported() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + LineItem + """
            [KissmetricsEvent("Order Completed")]
            public partial record OrderCompleted(string OrderId, decimal Total, IReadOnlyList<LineItem> Products);

            [KissmetricsEvent("completed_order")]
            public partial class CompletedOrder
            {
                public List<LineItem> products { get; init; } = new();
            }

            [KissmetricsEvent("Cart Viewed")]
            public partial record CartViewed([KissmetricsIgnore] IReadOnlyList<LineItem> Items);
            """);
}
