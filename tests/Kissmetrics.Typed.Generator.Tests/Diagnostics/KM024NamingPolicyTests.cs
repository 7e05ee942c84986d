using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Generator.Diagnostics;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

using Analyze = AnalyzerVerifier<NamingPolicyAnalyzer>;

/// <summary>KM024: an unknown <c>KissmetricsNamingPolicy</c> is reported once, naming the value and the accepted ones.</summary>
public sealed class KM024NamingPolicyTests
{
    private const string Source = Sources.Usings + """
        [KissmetricsEvent("Signed Up")]
        public partial record SignedUp(string PlanName);
        """;

    [Fact]
    public Task An_unknown_policy_names_the_value_and_the_accepted_ones() =>
        Sources.VerifyWithPolicyAsync<NamingPolicyAnalyzer>(
            Source,
            "kebab",
            Analyze.Diagnostic(DiagnosticDescriptors.UnknownNamingPolicy).WithNoLocation().WithArguments("kebab", "AsDeclared, camelCase, snake_case, TitleCase"));

    [Theory]
    [InlineData("AsDeclared")]
    [InlineData("camelCase")]
    [InlineData("snake_case")]
    [InlineData("SnakeCase")]
    [InlineData("TitleCase")]
    [InlineData("Title Case")]
    public Task Every_accepted_spelling_is_clean(string policy) =>
        Sources.VerifyWithPolicyAsync<NamingPolicyAnalyzer>(Source, policy);

    [Fact]
    public Task No_policy_is_clean() => Analyze.VerifyAnalyzerAsync(Source);

    [Fact]
    public async Task A_project_without_the_runtime_is_not_told()
    {
        var test = new OfflineAnalyzerTest<NamingPolicyAnalyzer> { TestCode = "public static class Plain { }" };
        test.TestState.AdditionalReferences.Clear();
        test.TestState.AdditionalReferences.AddRange(Basic.Reference.Assemblies.Net100.References.All);
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\nbuild_property.KissmetricsNamingPolicy = kebab\n"));
        await test.RunAsync(CancellationToken.None);
    }
}
