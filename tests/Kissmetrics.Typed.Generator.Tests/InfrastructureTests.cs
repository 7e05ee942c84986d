using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Kissmetrics.Typed.Generator.Model;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;
using Kissmetrics.Typed.Generator.Tests.Infrastructure.SelfTest;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit.Sdk;

namespace Kissmetrics.Typed.Generator.Tests;

/// <summary>Proves the test harness itself: compilations, the driver runner, snapshots, incrementality, offline analyzer tests.</summary>
public sealed class InfrastructureTests
{
    private const string SignupSource = """
        using Kissmetrics.Typed;

        namespace Shop;

        [KissmetricsEvent("Signed Up")]
        public partial class Signup
        {
            public string Plan { get; init; } = "";
        }
        """;

    private const string OtherSource = """
        namespace Shop;

        public static class Helpers
        {
            public static int Twice(int value) => value * 2;
        }
        """;

    private static IReadOnlyDictionary<string, string> SnakeCase =>
        GeneratorRunner.BuildProperties(("KissmetricsNamingPolicy", "snake_case"));

    // ---- TestCompilation ----

    [Fact]
    public void TestCompilation_compiles_a_source_using_the_runtime_attribute()
    {
        CSharpCompilation compilation = TestCompilation.Create("""
            [Kissmetrics.Typed.KissmetricsEvent("X")]
            public partial record X(string? Name);
            """);

        TestCompilation.AssertNoErrorsOrWarnings(compilation);
        Assert.Equal(LanguageVersion.CSharp12, ((CSharpParseOptions)compilation.SyntaxTrees[0].Options).LanguageVersion);
        Assert.Equal(NullableContextOptions.Enable, compilation.Options.NullableContextOptions);
        Assert.Equal(OutputKind.DynamicallyLinkedLibrary, compilation.Options.OutputKind);
    }

    [Fact]
    public void TestCompilation_defaults_to_CSharp12_and_can_use_latest()
    {
        const string CSharp13Only = "public static class C { public static void M(params System.Collections.Generic.List<int> xs) { } }";

        Assert.Contains(TestCompilation.Create(CSharp13Only).GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        TestCompilation.AssertNoErrorsOrWarnings(TestCompilation.Create([CSharp13Only], LanguageVersion.Latest));
    }

    [Fact]
    public void TestCompilation_assert_lists_the_errors()
    {
        XunitException failure = Assert.ThrowsAny<XunitException>(
            () => TestCompilation.AssertNoErrorsOrWarnings(TestCompilation.Create("public class C { int M() => \"s\"; }")));

        Assert.Contains("CS0029", failure.Message, StringComparison.Ordinal);
    }

    // ---- Snapshot ----

    [Fact]
    public void Snapshot_matches_the_checked_in_file() => Snapshot.Match("line one\r\nline two\n", "expected.txt");

    [Fact]
    public void Snapshot_fails_on_a_mismatch()
    {
        string path = Snapshot.PathFor("expected.txt", nameof(Snapshot_matches_the_checked_in_file), ThisFile());

        XunitException failure = Assert.ThrowsAny<XunitException>(() => Snapshot.Verify("line one\nline 2\n", path, update: false));

        Assert.Contains("line 2", failure.Message, StringComparison.Ordinal);
        Assert.Contains(Snapshot.UpdateVariable, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Snapshot_fails_when_the_file_is_missing_and_update_writes_it()
    {
        string folder = Path.Combine(Path.GetTempPath(), "km-snapshot-" + Guid.NewGuid().ToString("N"));
        string path = Path.Combine(folder, "Missing", "New.g.cs");
        try
        {
            XunitException failure = Assert.ThrowsAny<XunitException>(() => Snapshot.Verify("a\r\nb", path, update: false));
            Assert.Contains($"{Snapshot.UpdateVariable}=1", failure.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(path));

            Snapshot.Verify("a\r\nb", path, update: true);

            Assert.Equal("a\nb", File.ReadAllText(path));
            Snapshot.Verify("a\nb", path, update: false);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Snapshot_files_live_in_the_source_tree()
    {
        string path = Snapshot.PathFor("expected.txt", nameof(Snapshot_matches_the_checked_in_file), ThisFile());

        Assert.True(File.Exists(path), path);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(ThisFile())!, "Kissmetrics.Typed.Generator.Tests.csproj")));
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "Snapshots", nameof(Snapshot_matches_the_checked_in_file), "expected.txt")));
    }

    // ---- ModelGraph ----

    private sealed record PlainModel(string Name, bool Flag, SpecKind Kind, PlainModel? Child, EquatableArray<string> Items, string[] Array);

    private sealed record HoldsAnything(object? Value);

    private sealed record HoldsImmutableArray(ImmutableArray<string> Items);

    private sealed record HoldsList(List<string> Items);

    [Fact]
    public void ModelGraph_accepts_a_plain_record()
    {
        var model = new PlainModel("a", true, SpecKind.Event, new PlainModel("b", false, SpecKind.Page, null, default, []), new(["x", "y"]), ["z"]);

        Assert.Empty(ModelGraph.FindViolations(model));
        ModelGraph.AssertClean(model);
    }

    [Fact]
    public void ModelGraph_flags_a_symbol_anywhere_in_the_graph()
    {
        INamedTypeSymbol symbol = TestCompilation.Create("public class C { }").GetTypeByMetadataName("C")!;

        IReadOnlyList<string> violations = ModelGraph.FindViolations(new HoldsAnything(new object[] { new HoldsAnything(symbol) }));

        Assert.Contains(violations, v => v.Contains("Value[0].Value", StringComparison.Ordinal));
        Assert.ThrowsAny<XunitException>(() => ModelGraph.AssertClean(new HoldsAnything(symbol)));
    }

    [Fact]
    public void ModelGraph_flags_compiler_objects_and_mutable_or_reference_equal_collections()
    {
        CSharpCompilation compilation = TestCompilation.Create("public class C { }");
        SyntaxTree tree = compilation.SyntaxTrees[0];

        Assert.NotEmpty(ModelGraph.FindViolations(new HoldsAnything(tree.GetRoot())));
        Assert.NotEmpty(ModelGraph.FindViolations(new HoldsAnything(tree.GetRoot().GetLocation())));
        Assert.NotEmpty(ModelGraph.FindViolations(new HoldsAnything(compilation)));
        Assert.NotEmpty(ModelGraph.FindViolations(new HoldsAnything(compilation.GetSemanticModel(tree))));
        Assert.NotEmpty(ModelGraph.FindViolations(new HoldsImmutableArray(["a"])));
        Assert.NotEmpty(ModelGraph.FindViolations(new HoldsImmutableArray(default)));
        Assert.NotEmpty(ModelGraph.FindViolations(new HoldsList(["a"])));
    }

    [Fact]
    public void ModelGraph_unwraps_Combine_and_Collect_outputs_of_a_step()
    {
        var clean = (new PlainModel("a", true, SpecKind.Event, null, default, []), ImmutableArray.Create("policy"));
        ModelGraph.AssertCleanStepOutput(clean);

        INamedTypeSymbol symbol = TestCompilation.Create("public class C { }").GetTypeByMetadataName("C")!;
        Assert.ThrowsAny<XunitException>(() => ModelGraph.AssertCleanStepOutput(("a", ImmutableArray.Create<object>(new HoldsAnything(symbol)))));
    }

    // ---- GeneratorRunner (with the self-test generator, shaped like the real one) ----

    [Fact]
    public void GeneratorRunner_runs_a_generator_and_returns_compiling_output()
    {
        GeneratorRun run = GeneratorRunner.Run(SignupSource, generator: new SelfTestGenerator()).AssertOutputCompiles();

        GeneratedSource source = Assert.Single(run.GeneratedSources);
        Assert.Equal("Signup.g.cs", source.HintName);
        Assert.Contains("\"Signed Up\"", run.Source("Signup.g.cs"), StringComparison.Ordinal);
        Assert.Equal(2, run.OutputCompilation.SyntaxTrees.Count());
        Assert.ThrowsAny<XunitException>(() => run.Source("Missing.g.cs"));
    }

    [Fact]
    public void GeneratorRunner_passes_global_options_and_reruns_with_new_ones()
    {
        GeneratorRun run = GeneratorRunner.Run(SignupSource, SnakeCase, generator: new SelfTestGenerator());
        Assert.Contains("\"signed_up\"", run.Source("Signup.g.cs"), StringComparison.Ordinal);

        GeneratorRun rerun = run.Rerun(globalOptions: new Dictionary<string, string>());
        Assert.Contains("\"Signed Up\"", rerun.Source("Signup.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void GeneratorRunner_assert_fails_when_the_output_does_not_compile()
    {
        GeneratorRun run = GeneratorRunner.Run(SignupSource + "\npublic partial class Signup { public const string KissmetricsName = \"dup\"; }", generator: new SelfTestGenerator());

        Assert.ThrowsAny<XunitException>(() => run.AssertOutputCompiles());
    }

    [Fact]
    public void SelfTestGenerator_output_matches_snapshot() =>
        Snapshot.MatchAll(GeneratorRunner.Run(SignupSource, SnakeCase, generator: new SelfTestGenerator()));

    // ---- IncrementalityAssert ----

    // The self-test generator mirrors the serializer steps only.
    private static readonly string[] SelfTestSteps = [TrackingNames.TypeSpecs, TrackingNames.NamingPolicy, TrackingNames.Serializers];

    [Fact]
    public void TrackingNames_are_collected_by_reflection() =>
        Assert.Equal(
            new[] { TrackingNames.TypeSpecs, TrackingNames.NamingPolicy, TrackingNames.LanguageVersion, TrackingNames.Serializers, TrackingNames.Assembly, TrackingNames.PlanPlacement, TrackingNames.Clients }.Order(),
            IncrementalityAssert.TrackingStepNames.Order());

    [Fact]
    public void Incrementality_passes_for_a_well_behaved_pipeline()
    {
        CSharpCompilation compilation = TestCompilation.Create(SignupSource, OtherSource);

        IncrementalityAssert.UnrelatedEditIsCached(compilation, IncrementalityAssert.Edits.AddUnrelatedTree, SnakeCase, new SelfTestGenerator(), SelfTestSteps);
        IncrementalityAssert.UnrelatedEditIsCached(compilation, IncrementalityAssert.Edits.AppendComment("Source1.cs"), generator: new SelfTestGenerator(), stepNames: SelfTestSteps);
        IncrementalityAssert.UnrelatedEditIsCached(compilation, IncrementalityAssert.Edits.AppendComment("Source0.cs"), generator: new SelfTestGenerator(), stepNames: SelfTestSteps);
        IncrementalityAssert.UnrelatedEditIsCached(
            compilation,
            IncrementalityAssert.Edits.ReplaceTree("Source1.cs", OtherSource.Replace("* 2", "+ value", StringComparison.Ordinal)),
            generator: new SelfTestGenerator(), stepNames: SelfTestSteps);
    }

    [Fact]
    public void Incrementality_fails_when_a_model_holds_a_symbol()
    {
        XunitException failure = Assert.ThrowsAny<XunitException>(() => IncrementalityAssert.UnrelatedEditIsCached(
            TestCompilation.Create(SignupSource), IncrementalityAssert.Edits.AddUnrelatedTree, generator: new SelfTestGenerator(SelfTestFlaw.LeaksSymbol)));

        Assert.Contains("Symbol", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Incrementality_fails_when_a_step_depends_on_the_compilation()
    {
        XunitException failure = Assert.ThrowsAny<XunitException>(() => IncrementalityAssert.UnrelatedEditIsCached(
            TestCompilation.Create(SignupSource), IncrementalityAssert.Edits.AddUnrelatedTree, generator: new SelfTestGenerator(SelfTestFlaw.DependsOnCompilation)));

        Assert.Contains(TrackingNames.Serializers, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Incrementality_fails_when_a_tracking_name_is_not_in_the_pipeline() =>
        Assert.ThrowsAny<XunitException>(() => IncrementalityAssert.UnrelatedEditIsCached(
            TestCompilation.Create(SignupSource),
            IncrementalityAssert.Edits.AddUnrelatedTree,
            generator: new SelfTestGenerator(),
            stepNames: [.. IncrementalityAssert.TrackingStepNames, "NoSuchStep"]));

    [Fact]
    public void Incrementality_refuses_a_vacuous_check() =>
        Assert.ThrowsAny<XunitException>(() => IncrementalityAssert.UnrelatedEditIsCached(
            TestCompilation.Create(OtherSource), IncrementalityAssert.Edits.AddUnrelatedTree, generator: new SelfTestGenerator(), stepNames: SelfTestSteps));

    // ---- Offline analyzer / code-fix / generator tests (Microsoft.CodeAnalysis.Testing, no NuGet) ----

    [Fact]
    public Task Analyzer_harness_runs_offline_with_the_runtime_referenced() =>
        AnalyzerVerifier<BadClassAnalyzer>.VerifyAnalyzerAsync("""
            [Kissmetrics.Typed.KissmetricsEvent("Bad")]
            public partial class {|SELF001:Bad|} { public System.Collections.Generic.List<string?> Items { get; } = []; }

            public class Fine { }
            """);

    [Fact]
    public Task Analyzer_harness_reports_unexpected_diagnostics() =>
        Assert.ThrowsAnyAsync<Exception>(() => AnalyzerVerifier<BadClassAnalyzer>.VerifyAnalyzerAsync("public class Bad { }"));

    [Fact]
    public Task Analyzer_harness_parses_CSharp12_unless_told()
    {
        var test = new OfflineAnalyzerTest<BadClassAnalyzer>
        {
            TestCode = "public static class C { public static void M(params System.Collections.Generic.List<int> xs) { } }",
        };
        test.ExpectedDiagnostics.Add(Microsoft.CodeAnalysis.Testing.DiagnosticResult.CompilerError("CS9202").WithSpan(1, 46, 1, 92).WithArguments("params collections", "13.0"));
        return test.RunAsync();
    }

    [Fact]
    public Task CodeFix_harness_runs_offline() =>
        CodeFixVerifier<BadClassAnalyzer, RenameBadCodeFix>.VerifyCodeFixAsync(
            """
            [Kissmetrics.Typed.KissmetricsEvent("Thing")]
            public partial class {|SELF001:Bad|} { }
            """,
            """
            [Kissmetrics.Typed.KissmetricsEvent("Thing")]
            public partial class Good { }
            """);

    [Fact]
    public Task SourceGenerator_harness_runs_offline()
    {
        var test = new OfflineSourceGeneratorTest<SelfTestGenerator> { TestCode = SignupSource };
        test.TestState.GeneratedSources.Add((typeof(SelfTestGenerator), "Signup.g.cs", SourceText.From(
            "// <auto-generated/>\n#nullable enable\nnamespace Shop;\npartial class Signup\n{\n    public const string KissmetricsName = \"Signed Up\";\n}\n",
            System.Text.Encoding.UTF8)));
        return test.RunAsync();
    }

    private static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}
