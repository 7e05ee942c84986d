using System;
using System.Collections.Generic;
using System.Linq;
using Kissmetrics.Typed.Generator.Emitting;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kissmetrics.Typed.Generator.Tests.Generation;

/// <summary>
/// Where <c>KissmetricsTrackingPlan</c> goes, so that <c>KissmetricsTrackingPlan.ToJson()</c> names the caller's own
/// plan: never in the runtime (its internal plan hid the app's, CS0122, wherever <c>using Kissmetrics.Typed;</c> was in
/// scope); in the global namespace for a program with top-level statements; else in the namespace named after the
/// assembly, so that two assemblies that see each other's internals each keep their own (docs/plan.md).
/// </summary>
public sealed class TrackingPlanPlacementTests
{
    private const string Events = """
        using Kissmetrics.Typed;

        namespace Shop;

        [KissmetricsEvent("Signed Up")]
        public partial record SignedUp(string Plan);
        """;

    // The README's quick start as a Program.cs: the runtime's namespace imported, the app's not.
    private const string TopLevelProgram = """
        using Kissmetrics.Typed;

        System.Console.WriteLine(KissmetricsTrackingPlan.ToJson());
        """;

    [Fact]
    public void The_runtime_ships_no_plan_of_its_own()
    {
        Assert.Null(typeof(KissmetricsClient).Assembly.GetType("Kissmetrics.Typed." + PlanEmitter.ClassName));
        Assert.DoesNotContain(typeof(KissmetricsClient).Assembly.GetTypes(), t => t.Name == PlanEmitter.ClassName);
    }

    [Fact]
    public void A_top_level_program_names_its_plan_without_a_using()
    {
        GeneratorRun run = GeneratorRunner.Run(Program("Shop.App", TopLevelProgram, Events)).AssertOutputCompiles();

        string plan = run.Source(PlanEmitter.HintName);
        Assert.DoesNotContain("namespace ", plan, StringComparison.Ordinal);
        Assert.Equal("Shop.App", PlanBoundBy(run.OutputCompilation, TopLevelProgram).ContainingAssembly.Name);
    }

    [Fact]
    public void A_library_keeps_its_plan_in_the_namespace_named_after_the_assembly()
    {
        GeneratorRun run = GeneratorRunner.Run(TestCompilation.Create([Events], TestCompilation.DefaultLanguageVersion, "Shop.Events")).AssertOutputCompiles();

        Assert.Contains("namespace Shop.Events", run.Source(PlanEmitter.HintName), StringComparison.Ordinal);
        Assert.NotNull(run.OutputCompilation.GetTypeByMetadataName("Shop.Events." + PlanEmitter.ClassName));
    }

    [Fact]
    public void Two_assemblies_that_see_each_others_internals_each_name_their_own_plan()
    {
        // A library that opens its internals to the app and to its tests, as libraries with a test project do.
        const string OpenLibrary = """
            [assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Shop.App")]
            [assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Shop.Events.Tests")]
            """;
        GeneratorRun library = GeneratorRunner.Run(TestCompilation.Create([OpenLibrary, Events], TestCompilation.DefaultLanguageVersion, "Shop.Events")).AssertOutputCompiles();
        MetadataReference libraryReference = Reference(library.OutputCompilation);

        const string AppEvent = """
            using Kissmetrics.Typed;

            namespace Shop.App;

            [KissmetricsEvent("Checked Out")]
            public partial record CheckedOut(string Cart);
            """;
        GeneratorRun app = GeneratorRunner.Run(Program("Shop.App", TopLevelProgram, AppEvent).AddReferences(libraryReference)).AssertOutputCompiles();
        Assert.Equal("Shop.App", PlanBoundBy(app.OutputCompilation, TopLevelProgram).ContainingAssembly.Name);

        const string Tests = """
            using Kissmetrics.Typed;

            namespace Shop.Events.Tests;

            [KissmetricsEvent("Test Event")]
            public partial record TestEvent(string Name);

            public static class PlanCheck
            {
                public static string Json() => KissmetricsTrackingPlan.ToJson();
            }
            """;
        GeneratorRun tests = GeneratorRunner.Run(
            TestCompilation.Create([Tests], TestCompilation.DefaultLanguageVersion, "Shop.Events.Tests").AddReferences(libraryReference)).AssertOutputCompiles();
        Assert.Equal("Shop.Events.Tests", PlanBoundBy(tests.OutputCompilation, Tests).ContainingAssembly.Name);
    }

    [Fact]
    public void Why_not_the_global_namespace_everywhere_two_global_plans_that_see_each_other_are_CS0436()
    {
        // The one case docs/plan.md warns about: two programs with top-level statements, one seeing the other's internals.
        const string Open = """
            [assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Shop.Admin")]
            """;
        GeneratorRun first = GeneratorRunner.Run(Program("Shop.App", TopLevelProgram, Open, Events)).AssertOutputCompiles();
        const string AdminEvent = """
            using Kissmetrics.Typed;

            namespace Shop.Admin;

            [KissmetricsEvent("Admin Opened")]
            public partial record AdminOpened(string Page);
            """;
        GeneratorRun second = GeneratorRunner.Run(Program("Shop.Admin", TopLevelProgram, AdminEvent).AddReferences(Reference(first.OutputCompilation)));

        Diagnostic conflict = Assert.Single(second.OutputDiagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        Assert.Equal("CS0436", conflict.Id);
        Assert.Equal("Shop.Admin", PlanBoundBy(second.OutputCompilation, TopLevelProgram).ContainingAssembly.Name);
    }

    [Theory]
    [InlineData("false", false)]
    [InlineData(" False ", false)]
    [InlineData("true", true)]
    [InlineData("", true)]
    [InlineData(null, true)]
    public void The_msbuild_switch_turns_the_plan_off(string? value, bool generated)
    {
        IReadOnlyDictionary<string, string>? options = value is null ? null : GeneratorRunner.BuildProperties(("KissmetricsGenerateTrackingPlan", value));
        GeneratorRun run = GeneratorRunner.Run(Events, options).AssertOutputCompiles();

        Assert.Equal(generated, run.GeneratedSources.Any(s => s.HintName == PlanEmitter.HintName));
        Assert.Contains(run.GeneratedSources, s => s.HintName == "Shop.SignedUp.KissmetricsEvent.g.cs");
    }

    private static CSharpCompilation Program(string assemblyName, params string[] sources) =>
        TestCompilation.Create(sources, TestCompilation.DefaultLanguageVersion, assemblyName)
            .WithOptions(TestCompilation.CompilationOptions.WithOutputKind(OutputKind.ConsoleApplication));

    private static MetadataReference Reference(Compilation compilation)
    {
        using var image = new System.IO.MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult result = compilation.Emit(image);
        Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics));
        return MetadataReference.CreateFromImage(image.ToArray());
    }

    /// <summary>The type the one <c>KissmetricsTrackingPlan</c> in <paramref name="source"/> binds to.</summary>
    private static INamedTypeSymbol PlanBoundBy(Compilation compilation, string source)
    {
        SyntaxTree tree = compilation.SyntaxTrees.Single(t => t.ToString() == source);
        IdentifierNameSyntax name = tree.GetRoot().DescendantNodes().OfType<IdentifierNameSyntax>().Single(n => n.Identifier.ValueText == PlanEmitter.ClassName);
        return Assert.IsAssignableFrom<INamedTypeSymbol>(compilation.GetSemanticModel(tree).GetSymbolInfo(name).Symbol);
    }
}
