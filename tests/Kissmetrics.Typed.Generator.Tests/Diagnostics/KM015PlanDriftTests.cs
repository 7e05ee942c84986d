using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Generator.Diagnostics;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

using Analyze = AnalyzerVerifier<PlanDriftAnalyzer>;

/// <summary>
/// The drift check, KM015-KM019: the checked-in plan (an AdditionalFiles item) against the plan the code would give
/// now. Plans are generated from a source by the real generator (<see cref="PlanFiles.Generate"/>), then the source
/// is changed.
/// </summary>
public sealed class KM015PlanDriftTests
{
    /// <summary>Every kind and shape the plan has rows for: nested, enum, joined, revenue, products, constants.</summary>
    private const string Shop = Sources.Usings + """
        public enum Tier { Free, Pro }
        public sealed record Address(string City, string? Country);
        public sealed record Product(string Sku, decimal Price);

        /// <summary>A user signed up.</summary>
        [KissmetricsEvent("Signed Up")]
        public partial record SignedUp(Tier Plan, int Seats, [KissmetricsFlatten] Address? Address, [KissmetricsJoin] IReadOnlyList<string> Tags, Guid Id);

        [KissmetricsEvent("Signed Out")]
        public partial record SignedOut(string Reason);

        [KissmetricsEvent("Order Completed")]
        public partial record OrderCompleted(string OrderId, [KissmetricsRevenue] decimal Total, IReadOnlyList<Product> Products);

        [KissmetricsTraits]
        public partial record UserTraits(string Email, DateTimeOffset? CreatedAt);

        [KissmetricsGroupTraits]
        public partial record CompanyTraits(string Name, int Employees);

        [KissmetricsPage("Docs", Category = "Guides")]
        public partial record DocsPage(string Url);

        [KissmetricsScreen(Category = "Onboarding")]
        public partial record WelcomeScreen;
        """;

    private static readonly string ShopPlan = PlanFiles.Generate(Shop);

    private static Task VerifyAsync(string source, string plan, params DiagnosticResult[] expected) => VerifyAsync(source, plan, policy: null, expected);

    private static Task VerifyAsync(string source, string plan, string? policy, params DiagnosticResult[] expected)
    {
        var test = new OfflineAnalyzerTest<PlanDriftAnalyzer> { TestCode = source };
        test.TestState.AdditionalFiles.Add((PlanFiles.Path, plan));
        if (policy is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\nbuild_property.KissmetricsNamingPolicy = " + policy + "\n"));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    private static DiagnosticResult InPlan(DiagnosticResult result, string plan, string needle)
    {
        (int startLine, int startColumn, int endLine, int endColumn) = PlanFiles.Span(plan, needle);
        return result.WithSpan(PlanFiles.Path, startLine, startColumn, endLine, endColumn);
    }

    [Fact]
    public void The_plan_has_every_kind_and_shape()
    {
        foreach (string expected in new[]
        {
            "\"type\": \"Shop.SignedUp\"", "\"member\": \"Address.City\"", "\"products\": [", "\"member\": \"(Page - name)\"",
            "\"kind\": \"identify\"", "\"kind\": \"group\"", "\"kind\": \"screen\"", "\"format\": \"unix-time\"", "\"format\": \"uuid\"",
        })
        {
            Assert.Contains(expected, ShopPlan, System.StringComparison.Ordinal);
        }
    }

    [Fact]
    public Task An_up_to_date_plan_gives_no_diagnostic() => VerifyAsync(Shop, ShopPlan);

    [Fact]
    public Task An_up_to_date_plan_under_a_naming_policy_gives_no_diagnostic() =>
        VerifyAsync(Shop, PlanFiles.Generate(Shop, "snake_case"), "snake_case");

    [Fact]
    public Task A_renamed_property_a_removed_event_and_a_changed_type_give_the_three_diagnostics() =>
        VerifyAsync(
            Shop
                .Replace("(Tier Plan, int Seats,", "([KissmetricsProperty(\"Plan Name\")] Tier {|#0:Plan|}, string {|#1:Seats|},", System.StringComparison.Ordinal)
                .Replace("[KissmetricsEvent(\"Signed Out\")]\n", string.Empty, System.StringComparison.Ordinal)
                .Replace("public partial record SignedOut(string Reason);", string.Empty, System.StringComparison.Ordinal),
            ShopPlan,
            Analyze.Diagnostic(DiagnosticDescriptors.PlanPropertyChanged).WithLocation(0)
                .WithArguments("Plan", "Shop.SignedUp", "was sent as 'Plan' and is now sent as 'Plan Name'"),
            InPlan(Analyze.Diagnostic(DiagnosticDescriptors.PlanEntryChanged), ShopPlan, "\"Shop.SignedOut\"")
                .WithArguments("event", "Shop.SignedOut", "is in the plan as 'Signed Out' but no longer in the code"),
            Analyze.Diagnostic(DiagnosticDescriptors.PlanPropertyTypeChanged).WithLocation(1)
                .WithArguments("Seats", "Shop.SignedUp", "integer", "string"));

    [Fact]
    public Task A_renamed_event_is_one_rename_not_a_rename_of_each_prefixed_property() =>
        VerifyAsync(
            Shop.Replace("[KissmetricsEvent(\"Signed Up\")]", "[KissmetricsEvent({|#0:\"Registered\"|})]", System.StringComparison.Ordinal)
                .Replace("[KissmetricsPage(\"Docs\", Category = \"Guides\")]", "[KissmetricsPage(\"Docs\", {|#1:Category = \"Manuals\"|})]", System.StringComparison.Ordinal),
            ShopPlan,
            Analyze.Diagnostic(DiagnosticDescriptors.PlanEntryChanged).WithLocation(0)
                .WithArguments("event", "Shop.SignedUp", "was sent as 'Signed Up' and is now sent as 'Registered'"),
            Analyze.Diagnostic(DiagnosticDescriptors.PlanEntryChanged).WithLocation(1)
                .WithArguments("page", "Shop.DocsPage", "was sent under its category as 'Viewed Guides Page' and is now sent as 'Viewed Manuals Page'"));

    [Fact]
    public Task Removed_and_renamed_members_nested_and_product_ones_included() =>
        VerifyAsync(
            Shop.Replace("public sealed record Address(string City, string? Country);", "public sealed record Address(string {|#0:Town|}, string? Country);", System.StringComparison.Ordinal)
                .Replace("public sealed record Product(string Sku, decimal Price);", "public sealed record Product(string Sku, string {|#1:Price|});", System.StringComparison.Ordinal)
                .Replace("public partial record CompanyTraits(string Name, int Employees);", "public partial record CompanyTraits(string Name);", System.StringComparison.Ordinal),
            ShopPlan,
            InPlan(Analyze.Diagnostic(DiagnosticDescriptors.PlanPropertyChanged), ShopPlan, "\"Address.City\"")
                .WithArguments("Address.City", "Shop.SignedUp", "is in the plan as 'Address.City' but no longer in the code"),
            Analyze.Diagnostic(DiagnosticDescriptors.PlanAddition).WithLocation(0)
                .WithArguments("'Address.Town' of 'Shop.SignedUp' (sent as 'Address.Town')"),
            Analyze.Diagnostic(DiagnosticDescriptors.PlanPropertyTypeChanged).WithLocation(1)
                .WithArguments("Products.Price", "Shop.OrderCompleted", "number", "string"),
            InPlan(Analyze.Diagnostic(DiagnosticDescriptors.PlanPropertyChanged), ShopPlan, "\"Employees\"")
                .WithArguments("Employees", "Shop.CompanyTraits", "is in the plan as 'Group - Employees' but no longer in the code"));

    [Fact]
    public Task Enum_values_renamed_removed_or_added_and_a_changed_revenue_role_are_KM022() =>
        VerifyAsync(
            Sources.Usings + """
            using System.Runtime.Serialization;

            public enum Tier { Free, [EnumMember(Value = "Professional")] Pro, Team }
            public enum Period { Monthly }
            public enum Region { North, South }

            [KissmetricsEvent("Subscribed")]
            public partial record Subscribed(Tier {|#0:Plan|}, Period {|#1:Billing|}, Region {|#2:Area|}, string {|#3:Channel|}, decimal {|#4:Total|}, [KissmetricsRevenue] decimal {|#5:Amount|}, Region Unchanged);
            """,
            PlanFiles.Generate(Sources.Usings + """
            public enum Tier { Free, Pro }
            public enum Period { Monthly, Yearly }
            public enum Channel { Web, Mobile }
            public enum Region { North, South }

            [KissmetricsEvent("Subscribed")]
            public partial record Subscribed(Tier Plan, Period Billing, string Area, Channel Channel, [KissmetricsRevenue] decimal Total, decimal Amount, Region Unchanged);
            """),
            Analyze.Diagnostic(DiagnosticDescriptors.PlanPropertyValuesChanged).WithLocation(0)
                .WithArguments("Plan", "Shop.Subscribed", "is no longer sent as 'Pro' but as 'Professional', 'Team'"),
            Analyze.Diagnostic(DiagnosticDescriptors.PlanPropertyValuesChanged).WithLocation(1)
                .WithArguments("Billing", "Shop.Subscribed", "is no longer sent as 'Yearly'"),
            Analyze.Diagnostic(DiagnosticDescriptors.PlanPropertyValuesChanged).WithLocation(2)
                .WithArguments("Area", "Shop.Subscribed", "was sent with any value and now takes only 'North', 'South'"),
            Analyze.Diagnostic(DiagnosticDescriptors.PlanPropertyValuesChanged).WithLocation(3)
                .WithArguments("Channel", "Shop.Subscribed", "took only 'Web', 'Mobile' and is now sent with any value"),
            Analyze.Diagnostic(DiagnosticDescriptors.PlanPropertyValuesChanged).WithLocation(4)
                .WithArguments("Total", "Shop.Subscribed", "is no longer sent as revenue (Billing Amount)"),
            Analyze.Diagnostic(DiagnosticDescriptors.PlanPropertyValuesChanged).WithLocation(5)
                .WithArguments("Amount", "Shop.Subscribed", "is now also sent as revenue (Billing Amount)"));

    [Fact]
    public Task An_enum_value_added_to_a_product_property_is_KM022_too() =>
        VerifyAsync(
            Sources.Usings + """
            public enum Size { Small, Large, Huge }
            public sealed record Product(string Sku, Size {|#0:Size|});

            [KissmetricsEvent("Order Completed")]
            public partial record OrderCompleted(string OrderId, IReadOnlyList<Product> Products);
            """,
            PlanFiles.Generate(Sources.Usings + """
            public enum Size { Small, Large }
            public sealed record Product(string Sku, Size Size);

            [KissmetricsEvent("Order Completed")]
            public partial record OrderCompleted(string OrderId, IReadOnlyList<Product> Products);
            """),
            Analyze.Diagnostic(DiagnosticDescriptors.PlanPropertyValuesChanged).WithLocation(0)
                .WithArguments("Products.Size", "Shop.OrderCompleted", "is now also sent as 'Huge'"));

    [Fact]
    public Task A_changed_format_is_a_changed_type() =>
        VerifyAsync(
            Shop.Replace("Guid Id);", "string {|#0:Id|});", System.StringComparison.Ordinal),
            ShopPlan,
            Analyze.Diagnostic(DiagnosticDescriptors.PlanPropertyTypeChanged).WithLocation(0).WithArguments("Id", "Shop.SignedUp", "string (uuid)", "string"));

    [Fact]
    public Task An_added_event_and_an_added_property_are_info() =>
        VerifyAsync(
            Shop.Replace("(string Reason);", "(string Reason, int {|#1:Attempts|});", System.StringComparison.Ordinal) + """


            [KissmetricsEvent("Trial Started")]
            public partial record {|#0:TrialStarted|}(string Plan);
            """,
            ShopPlan,
            Analyze.Diagnostic(DiagnosticDescriptors.PlanAddition).WithLocation(0).WithArguments("The event 'Shop.TrialStarted' (sent as 'Trial Started')"),
            Analyze.Diagnostic(DiagnosticDescriptors.PlanAddition).WithLocation(1).WithArguments("'Attempts' of 'Shop.SignedOut' (sent as 'Attempts')"));

    [Fact]
    public Task A_naming_policy_change_renames_every_property_it_touches() =>
        VerifyAsync(
            Sources.Usings + """
            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp(string {|#0:PlanName|}, int {|#1:Seats|});
            """,
            PlanFiles.Generate(Sources.Usings + """
            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp(string PlanName, int Seats);
            """),
            "snake_case",
            Analyze.Diagnostic(DiagnosticDescriptors.PlanPropertyChanged).WithLocation(0).WithArguments("PlanName", "Shop.SignedUp", "was sent as 'PlanName' and is now sent as 'plan_name'"),
            Analyze.Diagnostic(DiagnosticDescriptors.PlanPropertyChanged).WithLocation(1).WithArguments("Seats", "Shop.SignedUp", "was sent as 'Seats' and is now sent as 'seats'"));

    [Fact]
    public Task A_type_with_an_error_is_not_reported_as_removed() =>
        VerifyAsync(
            Shop.Replace("public partial record SignedOut(string Reason);", "public record SignedOut(string Reason);", System.StringComparison.Ordinal),
            ShopPlan);

    [Fact]
    public Task Without_a_plan_file_nothing_is_compared() =>
        Analyze.VerifyAnalyzerAsync(Shop);

    [Theory]
    [InlineData("{ \"planVersion\": 1, \"entries\": [ ], }", "}", "a trailing comma is not allowed")]
    [InlineData("{\n  \"planVersion\": 1,\n<<<<<<< HEAD\n", "<", "a property name in double quotes was expected")]
    [InlineData("{ \"planVersion\": 2, \"entries\": [] }", "2", "'planVersion' must be 1; this plan was written by another version of Kissmetrics.Typed")]
    [InlineData("{ \"planVersion\": 1, \"entries\": [ { \"kind\": \"track\" } ] }", "{ \"kind\"", "an entry has no 'type'")]
    [InlineData("{ \"planVersion\": 1, \"entries\": [ { \"kind\": \"track\", \"type\": \"A\\uD800\" } ] }", "\\u", "a high surrogate escape must be followed by a low surrogate escape")]
    [InlineData("", "", "unexpected end of the text, a value was expected")]
    public Task A_malformed_plan_gives_one_warning_where_reading_stopped(string plan, string at, string message)
    {
        int offset = at.Length == 0 ? 0 : plan.IndexOf(at, System.StringComparison.Ordinal);
        (int line, int column, int endLine, int endColumn) = PlanFiles.At(plan, offset, offset < plan.Length ? 1 : 0);
        return VerifyAsync(
            Shop,
            plan,
            Analyze.Diagnostic(DiagnosticDescriptors.PlanUnreadable).WithSpan(PlanFiles.Path, line, column, endLine, endColumn).WithArguments(message));
    }
}
