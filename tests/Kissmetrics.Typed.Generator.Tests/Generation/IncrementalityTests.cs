using System.Collections.Immutable;
using System.Linq;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
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
    public void Resolved_models_with_plan_rows_are_equal_by_value()
    {
        // Two runs over the same source resolve separate instances: the incremental cache only holds if they are
        // equal, every part of SerializerSpec.Plan included (enum values, product rows, a description).
        const string Orders = """
            using System.Collections.Generic;
            using Kissmetrics.Typed;

            namespace App;

            public enum Tier { Free, Pro }

            public sealed record Product(string Sku, decimal Price);

            /// <summary>An order.</summary>
            [KissmetricsEvent("Completed Order")]
            public partial record CompletedOrder(decimal Total, Tier Tier, List<Product> Products);

            [KissmetricsPage("Docs", Category = "Help")]
            public partial record DocsPage(string Url);
            """;
        object[] first = Serializers(GeneratorRunner.Run(TestCompilation.Create(Orders)));
        object[] second = Serializers(GeneratorRunner.Run(TestCompilation.Create(Orders)));

        Assert.Equal(2, first.Length);
        Assert.Equal(first.Length, second.Length);
        for (int i = 0; i < first.Length; i++)
        {
            Assert.NotSame(first[i], second[i]);
            Assert.Equal(first[i], second[i]);
            Assert.Equal(first[i].GetHashCode(), second[i].GetHashCode());
        }
    }

    private static object[] Serializers(GeneratorRun run) => run.RunResult.Results
        .SelectMany(result => result.TrackedSteps.TryGetValue(TrackingNames.Serializers, out ImmutableArray<IncrementalGeneratorRunStep> steps) ? steps : ImmutableArray<IncrementalGeneratorRunStep>.Empty)
        .SelectMany(step => step.Outputs)
        .Select(output => output.Value)
        .ToArray();

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
    public void An_unrelated_edit_at_C_sharp_7_3_leaves_every_step_cached()
    {
        Compilation compilation = TestCompilation.Create([LanguageVersionTests.ClassesOnly, Unrelated.Replace("namespace App;", "namespace App {", System.StringComparison.Ordinal) + "}"], LanguageVersion.CSharp7_3);
        GeneratorRun second = IncrementalityAssert.UnrelatedEditIsCached(compilation, IncrementalityAssert.Edits.AppendComment("Source1.cs"));
        Assert.Contains("__KissmetricsUtf8Event.N0", second.Source("Shop.Subscribed.KissmetricsEvent.g.cs"), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Changing_the_language_version_re_emits_every_output()
    {
        Compilation compilation = TestCompilation.Create([LanguageVersionTests.ClassesOnly], LanguageVersion.CSharp11);
        GeneratorRun first = GeneratorRunner.Run(compilation);

        // The same source at C# 10: the trees and the driver both parse at the new version, as a changed LangVersion does.
        CSharpParseOptions older = TestCompilation.ParseOptions(LanguageVersion.CSharp10);
        Compilation edited = compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(compilation.SyntaxTrees.Select(t => t.WithRootAndOptions(t.GetRoot(), older)));
        GeneratorRun second = GeneratorRunner.Run(first.Driver.WithUpdatedParseOptions(older), edited);

        Assert.Contains(
            second.Result.TrackedSteps[TrackingNames.LanguageVersion].SelectMany(step => step.Outputs),
            output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.All(second.Result.TrackedOutputSteps.SelectMany(o => o.Value).SelectMany(step => step.Outputs), output => Assert.Equal(IncrementalStepRunReason.Modified, output.Reason));
        Assert.Contains("\"Subscribed\"u8", first.Source("Shop.Subscribed.KissmetricsEvent.g.cs"), System.StringComparison.Ordinal);
        Assert.DoesNotContain("u8", second.Source("Shop.Subscribed.KissmetricsEvent.g.cs"), System.StringComparison.Ordinal);
        second.AssertOutputCompiles();
    }

    [Fact]
    public void Models_hold_no_symbols_syntax_or_compilations()
    {
        GeneratorRun run = GeneratorRunner.Run(TestCompilation.Create(Events));
        IncrementalityAssert.AssertModelsClean(run.RunResult);
    }
}
