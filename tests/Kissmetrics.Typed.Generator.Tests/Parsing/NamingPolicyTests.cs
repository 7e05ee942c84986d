using Kissmetrics.Typed.Generator.Parsing;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;
using Xunit;

namespace Kissmetrics.Typed.Generator.Tests.Parsing;

/// <summary>The project-wide naming policy, applied at compile time to members without an explicit name.</summary>
public sealed class NamingPolicyTests
{
    [Theory]
    [InlineData("OrderId", "OrderId", "orderId", "order_id", "Order Id")]
    [InlineData("PlanName", "PlanName", "planName", "plan_name", "Plan Name")]
    [InlineData("URLPath", "URLPath", "urlPath", "url_path", "URL Path")]
    [InlineData("HTML", "HTML", "html", "html", "HTML")]
    [InlineData("Address2Line", "Address2Line", "address2Line", "address2_line", "Address2 Line")]
    [InlineData("already_snake", "already_snake", "already_snake", "already_snake", "Already Snake")]
    [InlineData("x", "x", "x", "x", "X")]
    public void Each_policy_renames_a_member(string name, string asDeclared, string camel, string snake, string title)
    {
        Assert.Equal(asDeclared, NamingPolicies.Apply(NamingPolicy.AsDeclared, name));
        Assert.Equal(camel, NamingPolicies.Apply(NamingPolicy.CamelCase, name));
        Assert.Equal(snake, NamingPolicies.Apply(NamingPolicy.SnakeCase, name));
        Assert.Equal(title, NamingPolicies.Apply(NamingPolicy.TitleCase, name));
    }

    [Theory]
    [InlineData(null, "AsDeclared")]
    [InlineData("", "AsDeclared")]
    [InlineData("AsDeclared", "AsDeclared")]
    [InlineData("camelCase", "CamelCase")]
    [InlineData("snake_case", "SnakeCase")]
    [InlineData("SnakeCase", "SnakeCase")]
    [InlineData("TitleCase", "TitleCase")]
    [InlineData("Title Case", "TitleCase")]
    public void The_msbuild_property_is_read_leniently(string? value, string expected) =>
        Assert.Equal(expected, NamingPolicies.Parse(value).ToString());

    [Theory]
    [InlineData("camelCase", "\"Signed%20Up%20-%20planName\"u8")]
    [InlineData("TitleCase", "\"Signed%20Up%20-%20Plan%20Name\"u8")]
    [InlineData("snake_case", "\"Signed%20Up%20-%20plan_name\"u8")]
    public void The_generated_names_follow_the_policy_but_explicit_names_win(string policy, string expectedLiteral)
    {
        const string source = """
            using Kissmetrics.Typed;

            namespace App;

            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp(string PlanName, [KissmetricsProperty("Referral Code")] string? ReferralCode);
            """;

        GeneratorRun run = GeneratorRunner.Run(source, GeneratorRunner.BuildProperties(("KissmetricsNamingPolicy", policy))).AssertOutputCompiles();
        string generated = run.Source("App.SignedUp.KissmetricsEvent.g.cs");
        Assert.Contains(expectedLiteral, generated);
        Assert.Contains("\"Signed%20Up%20-%20Referral%20Code\"u8", generated);
    }
}
