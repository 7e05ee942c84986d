using System.Collections.Immutable;
using System.Linq;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Kissmetrics.Typed.Generator.Tests.Generation;

/// <summary>An unrelated edit must reuse every step; an edit of what is sent must not.</summary>
public sealed class IncrementalityTests
{
    private const string Events = """
        using System.Collections.Generic;
        using Kissmetrics.Typed;

        namespace App;

        public sealed record Address(string City, string Country);

        [KissmetricsEvent("Signed Up")]
        public partial record SignedUp(string Plan, [KissmetricsFlatten] Address? Address, [KissmetricsJoin] List<string> Tags);

        [KissmetricsTraits]
        public partial record UserTraits(string Email);

        [KissmetricsGroupTraits]
        public partial record CompanyTraits(string Name);

        [KissmetricsPage("Docs")]
        public partial record DocsPage(string Url);

        [KissmetricsScreen("Home")]
        public partial record HomeScreen(int Step);

        [KissmetricsClient]
        public partial class Analytics;
        """;

    private const string Unrelated = """
        namespace App;

        public static class Math2
        {
            public static int Twice(int value) => value * 2;
        }
        """;

    [Fact]
    public void Editing_an_unrelated_file_leaves_every_step_cached()
    {
        Compilation compilation = TestCompilation.Create(Events, Unrelated);
        IncrementalityAssert.UnrelatedEditIsCached(
            compilation,
            IncrementalityAssert.Edits.ReplaceTree("Source1.cs", Unrelated.Replace("value * 2", "value + value")));
    }

    [Fact]
    public void Adding_a_file_leaves_every_step_cached()
    {
        IncrementalityAssert.UnrelatedEditIsCached(TestCompilation.Create(Events, Unrelated), IncrementalityAssert.Edits.AddUnrelatedTree);
    }

    [Fact]
    public void A_comment_in_the_annotated_file_changes_no_output()
    {
        IncrementalityAssert.UnrelatedEditIsCached(TestCompilation.Create(Events, Unrelated), IncrementalityAssert.Edits.AppendComment("Source0.cs"));
    }

    [Fact]
    public void Renaming_an_event_modifies_its_serializer_only()
    {
        Compilation compilation = TestCompilation.Create(Events, Unrelated);
        GeneratorRun first = GeneratorRunner.Run(compilation);
        Compilation edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.First(),
            TestCompilation.ParseLike(compilation, Events.Replace("\"Signed Up\"", "\"Registered\""), "Source0.cs"));
        GeneratorRun second = first.Rerun(edited);

        ImmutableArray<IncrementalGeneratorRunStep> serializers = second.Result.TrackedSteps[TrackingNames.Serializers];
        var reasons = serializers.SelectMany(step => step.Outputs).Select(output => output.Reason).ToList();
        Assert.Contains(IncrementalStepRunReason.Modified, reasons);
        Assert.Equal(1, reasons.Count(reason => reason == IncrementalStepRunReason.Modified));
        Assert.Contains("\"Registered\"u8", second.Source("App.SignedUp.KissmetricsEvent.g.cs"));
        Assert.Equal(
            first.Source("App.UserTraits.KissmetricsTraits.g.cs"),
            second.Source("App.UserTraits.KissmetricsTraits.g.cs"));
    }

    [Fact]
    public void Changing_the_naming_policy_modifies_the_serializers()
    {
        Compilation compilation = TestCompilation.Create(Events);
        GeneratorRun first = GeneratorRunner.Run(compilation);
        GeneratorRun second = first.Rerun(compilation, GeneratorRunner.BuildProperties(("KissmetricsNamingPolicy", "snake_case")));

        Assert.Contains(
            second.Result.TrackedSteps[TrackingNames.NamingPolicy].SelectMany(step => step.Outputs),
            output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("\"email\"u8", second.Source("App.UserTraits.KissmetricsTraits.g.cs"));
    }

    [Fact]
    public void Models_hold_no_symbols_syntax_or_compilations()
    {
        GeneratorRun run = GeneratorRunner.Run(TestCompilation.Create(Events));
        IncrementalityAssert.AssertModelsClean(run.RunResult);
    }
}
