using System.Linq;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Kissmetrics.Typed.Generator.Tests.Generation;

/// <summary>Pins the generated source of each kind; `UPDATE_SNAPSHOTS=1 dotnet test` rewrites the files for review.</summary>
public sealed class GeneratedSourceSnapshotTests
{
    [Fact]
    public void Nested_event_with_enum_list_and_revenue()
    {
        const string source = """
            using System.Collections.Generic;
            using System.Runtime.Serialization;
            using Kissmetrics.Typed;

            namespace Shop;

            public enum Plan { Free, [EnumMember(Value = "Pro (yearly)")] Pro }

            public sealed record Address(string City, [property: KissmetricsProperty("Postal Code")] string? PostalCode);

            public readonly record struct Geo(double Latitude, double Longitude);

            [KissmetricsEvent("Subscribed")]
            public partial record Subscribed(
                Plan Plan,
                [KissmetricsRevenue] decimal Amount,
                [KissmetricsFlatten] Address? Address,
                [KissmetricsFlatten] Geo Location,
                [KissmetricsJoin] IReadOnlyList<string?> Features,
                [KissmetricsJoin] int?[] Seats,
                [KissmetricsIgnore] string? Internal,
                System.DateTimeOffset? RenewsAt);
            """;

        GeneratorRun run = GeneratorRunner.Run(source).AssertOutputCompiles();
        Snapshot.MatchAll(run);
    }

    [Fact]
    public void Collections_in_every_shape_the_generator_walks()
    {
        // Arrays and list interfaces by index; other interfaces by index when the instance is a list, else foreach;
        // classes and structs with their own (allocation-free) enumerator by foreach.
        const string source = """
            using System.Collections.Generic;
            using Kissmetrics.Typed;

            namespace Shop;

            [KissmetricsTraits]
            public partial record Tags(
                [KissmetricsJoin] string[] Array,
                [KissmetricsJoin] IList<int> List,
                [KissmetricsJoin] IEnumerable<string?>? Names,
                [KissmetricsJoin] ICollection<double?> Scores,
                [KissmetricsJoin] HashSet<long> Ids);
            """;

        GeneratorRun run = GeneratorRunner.Run(source).AssertOutputCompiles();
        Snapshot.MatchAll(run);
    }

    [Fact]
    public void Traits_group_traits_page_and_screen()
    {
        const string source = """
            using Kissmetrics.Typed;

            namespace App;

            [KissmetricsTraits]
            public partial record UserTraits(string Email, int? Age);

            [KissmetricsGroupTraits]
            public partial record CompanyTraits(string Name, int Employees);

            [KissmetricsPage("Docs", Category = "Guides")]
            public partial record DocsPage(string Url, string? Referrer);

            [KissmetricsScreen(Category = "Onboarding")]
            public partial struct WelcomeScreen
            {
                public int Step { get; init; }
            }
            """;

        GeneratorRun run = GeneratorRunner.Run(source).AssertOutputCompiles();
        Assert.Equal(5, run.GeneratedSources.Length); // four serializers and the plan
        Snapshot.MatchAll(run);
    }

    [Fact]
    public void Completed_order_with_products_total_as_revenue_and_product_rules()
    {
        const string source = """
            using System.Collections.Generic;
            using System.ComponentModel.DataAnnotations;
            using Kissmetrics.Typed;

            namespace Shop;

            public sealed record Product([Required] string Sku, decimal Price, [Range(1, 99)] int Quantity, decimal? Revenue);

            [KissmetricsEvent("Order Completed")]
            public partial record OrderCompleted(string OrderId, decimal Total, List<Product> Products);
            """;

        GeneratorRun run = GeneratorRunner.Run(source).AssertOutputCompiles();
        Snapshot.MatchAll(run);
    }

    [Fact]
    public void Snake_case_policy_in_a_nested_type_of_the_global_namespace()
    {
        const string source = """
            using Kissmetrics.Typed;

            public static partial class Analytics
            {
                [KissmetricsEvent("Plan Changed")]
                public partial record PlanChanged(string PlanName, string? PreviousPlanName, [property: KissmetricsProperty("Reason")] string? ChangeReason);
            }
            """;

        GeneratorRun run = GeneratorRunner.Run(source, GeneratorRunner.BuildProperties(("KissmetricsNamingPolicy", "snake_case"))).AssertOutputCompiles();
        Assert.Contains("\"plan_name\"u8", run.Source("Analytics.PlanChanged.KissmetricsEvent.g.cs"));
        Snapshot.MatchAll(run);
    }

    [Fact]
    public void Generated_code_compiles_with_the_newest_language_version_too()
    {
        const string source = """
            using Kissmetrics.Typed;

            namespace App;

            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp(string Plan);
            """;

        GeneratorRunner.Run(source, languageVersion: LanguageVersion.Preview).AssertOutputCompiles();
    }

    [Fact]
    public void An_invalid_type_gets_no_source_while_valid_ones_do()
    {
        const string source = """
            using Kissmetrics.Typed;

            namespace App;

            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp(string Plan);

            [KissmetricsEvent("Broken")]
            public record NotPartial(string Plan);

            [KissmetricsEvent("Untyped")]
            public partial record Untyped(object Payload);
            """;

        GeneratorRun run = GeneratorRunner.Run(source);
        Assert.Equal(new[] { "App.SignedUp.KissmetricsEvent.g.cs", "KissmetricsTrackingPlan.g.cs" }, run.GeneratedSources.Select(s => s.HintName));
    }

    [Fact]
    public void A_type_that_is_both_an_event_and_traits_gets_two_sources()
    {
        const string source = """
            using Kissmetrics.Typed;

            namespace App;

            [KissmetricsEvent("Profile Updated")]
            [KissmetricsTraits]
            public partial record Profile(string Email);
            """;

        GeneratorRun run = GeneratorRunner.Run(source).AssertOutputCompiles();
        Assert.Equal(
            new[] { "App.Profile.KissmetricsEvent.g.cs", "App.Profile.KissmetricsTraits.g.cs", "KissmetricsTrackingPlan.g.cs" },
            run.GeneratedSources.Select(s => s.HintName).OrderBy(n => n, System.StringComparer.Ordinal));
    }

    [Fact]
    public void Typed_client_interface_and_plan()
    {
        const string source = """
            using Kissmetrics.Typed;

            namespace Shop
            {
                /// <summary>A cart was checked out.</summary>
                /// <param name="CartId">The cart's id.</param>
                [KissmetricsEvent("Checkout Started")]
                public partial record CheckoutStarted(string CartId, int Items = 1, string? Coupon = null, Tier Tier = Tier.Gold, decimal Discount = 0.5m);

                public enum Tier { Silver, Gold }

                [KissmetricsTraits]
                public partial record ShopperTraits(string Email);

                [KissmetricsGroupTraits]
                public partial record StoreTraits(string Name);

                [KissmetricsPage(Category = "Checkout")]
                public partial record CartPage
                {
                    public string? Url { get; init; }
                }

                [KissmetricsScreen("Cart")]
                public partial struct CartScreen
                {
                    public int Items { get; init; }
                }

                [KissmetricsClient(Namespace = "Shop")]
                internal partial class ShopAnalytics;

                [KissmetricsClient]
                public partial class EverythingAnalytics;
            }

            namespace Elsewhere
            {
                [KissmetricsEvent("Ignored")]
                public partial record Ignored(string @event);

                [KissmetricsClient(Namespace = "Elsewhere")]
                public partial class OtherAnalytics;
            }
            """;

        GeneratorRun run = GeneratorRunner.Run(source).AssertOutputCompiles();
        Assert.DoesNotContain("Ignored", run.Source("Shop.ShopAnalytics.KissmetricsClient.g.cs"));
        Assert.DoesNotContain("Checkout", run.Source("Elsewhere.OtherAnalytics.KissmetricsClient.g.cs"));
        Assert.Contains("void Ignored(", run.Source("Shop.EverythingAnalytics.KissmetricsClient.g.cs"));
        Snapshot.MatchAll(run);
    }
}
