using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kissmetrics.Typed.Generator.Tests.Infrastructure;

/// <summary>
/// The NetEscapades.EnumGenerators-style incrementality check: run the driver on a compilation, run the same driver
/// on an edited clone, and assert that every step named by a public constant of <see cref="TrackingNames"/> is
/// <c>Cached</c> or <c>Unchanged</c>, every generator output is <c>Cached</c>, and no step output holds a symbol,
/// syntax, location, compilation, <see cref="ImmutableArray{T}"/> or <see cref="List{T}"/> (<see cref="ModelGraph"/>).
/// </summary>
public static class IncrementalityAssert
{
    /// <summary>The values of the public <c>const string</c> fields of <see cref="TrackingNames"/>.</summary>
    public static ImmutableArray<string> TrackingStepNames { get; } = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && !f.IsInitOnly && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToImmutableArray();

    /// <summary>
    /// Runs the generator on <paramref name="compilation"/>, then (same driver) on <c>edit(compilation.Clone())</c>,
    /// and asserts the second run reused everything. Returns the second run for further checks.
    /// </summary>
    /// <param name="compilation">A compilation that makes the generator produce output (the check is not vacuous).</param>
    /// <param name="edit">An edit the generator's output must not depend on; see <see cref="Edits"/>.</param>
    /// <param name="globalOptions">Global analyzer config options for both runs.</param>
    /// <param name="generator">Default: <see cref="KissmetricsGenerator"/>.</param>
    /// <param name="stepNames">Default: <see cref="TrackingStepNames"/>; each must appear in the run.</param>
    public static GeneratorRun UnrelatedEditIsCached(
        Compilation compilation,
        Func<Compilation, Compilation> edit,
        IReadOnlyDictionary<string, string>? globalOptions = null,
        IIncrementalGenerator? generator = null,
        IReadOnlyCollection<string>? stepNames = null)
    {
        ArgumentNullException.ThrowIfNull(compilation);
        ArgumentNullException.ThrowIfNull(edit);
        stepNames ??= TrackingStepNames;

        GeneratorRun first = GeneratorRunner.Run(compilation, globalOptions, generator);
        Compilation edited = edit(compilation.Clone());
        GeneratorRun second = first.Rerun(edited);

        Assert.False(first.GeneratedSources.IsEmpty, "The generator produced no source: the incrementality check would prove nothing.");
        Assert.Equal(
            first.GeneratedSources.Select(s => (s.HintName, s.Text)),
            second.GeneratedSources.Select(s => (s.HintName, s.Text)));

        AssertModelsClean(first.RunResult, stepNames);
        AssertModelsClean(second.RunResult, stepNames);
        AssertSameStepOutputs(first.RunResult, second.RunResult, stepNames);
        AssertCached(second.RunResult, stepNames);
        return second;
    }

    /// <summary>
    /// Asserts that in <paramref name="run"/> every tracked step in <paramref name="stepNames"/> (all of which must
    /// appear) has only <c>Cached</c>/<c>Unchanged</c> outputs and every <c>TrackedOutputSteps</c> output is <c>Cached</c>.
    /// </summary>
    public static void AssertCached(GeneratorDriverRunResult run, IReadOnlyCollection<string>? stepNames = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        stepNames ??= TrackingStepNames;
        Microsoft.CodeAnalysis.GeneratorRunResult result = run.Results.Single();
        var problems = new StringBuilder();

        foreach (string name in stepNames)
        {
            if (!result.TrackedSteps.TryGetValue(name, out ImmutableArray<IncrementalGeneratorRunStep> steps))
            {
                problems.AppendLine($"  step '{name}' was not tracked (is WithTrackingName(TrackingNames.{name}) still in the pipeline?)");
                continue;
            }

            foreach (IncrementalGeneratorRunStep step in steps)
            {
                foreach ((object value, IncrementalStepRunReason reason) in step.Outputs)
                {
                    if (reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
                    {
                        problems.AppendLine($"  step '{name}': output {reason}: {value}");
                    }
                }
            }
        }

        if (result.TrackedOutputSteps.IsEmpty)
        {
            problems.AppendLine("  no output step was tracked");
        }

        foreach (KeyValuePair<string, ImmutableArray<IncrementalGeneratorRunStep>> output in result.TrackedOutputSteps)
        {
            foreach (IncrementalGeneratorRunStep step in output.Value)
            {
                foreach ((object value, IncrementalStepRunReason reason) in step.Outputs)
                {
                    if (reason != IncrementalStepRunReason.Cached)
                    {
                        problems.AppendLine($"  output step '{output.Key}': {reason}: {value}");
                    }
                }
            }
        }

        if (problems.Length > 0)
        {
            Assert.Fail("The re-run after an unrelated edit was not fully cached:" + Environment.NewLine + problems);
        }
    }

    /// <summary>Applies <see cref="ModelGraph.AssertCleanStepOutput"/> to every output of every step in <paramref name="stepNames"/>.</summary>
    public static void AssertModelsClean(GeneratorDriverRunResult run, IReadOnlyCollection<string>? stepNames = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        stepNames ??= TrackingStepNames;
        Microsoft.CodeAnalysis.GeneratorRunResult result = run.Results.Single();
        foreach (string name in stepNames)
        {
            if (!result.TrackedSteps.TryGetValue(name, out ImmutableArray<IncrementalGeneratorRunStep> steps))
            {
                continue;
            }

            for (int s = 0; s < steps.Length; s++)
            {
                for (int o = 0; o < steps[s].Outputs.Length; o++)
                {
                    ModelGraph.AssertCleanStepOutput(steps[s].Outputs[o].Value, $"{name}[{s}].Outputs[{o}]");
                }
            }
        }
    }

    /// <summary>
    /// The tracked steps' output values are equal, run to run (the models implement value equality). Combine tuples and
    /// Collect arrays are compared element by element, since an <see cref="ImmutableArray{T}"/> compares by reference.
    /// </summary>
    public static void AssertSameStepOutputs(GeneratorDriverRunResult first, GeneratorDriverRunResult second, IReadOnlyCollection<string>? stepNames = null)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        stepNames ??= TrackingStepNames;
        Microsoft.CodeAnalysis.GeneratorRunResult a = first.Results.Single();
        Microsoft.CodeAnalysis.GeneratorRunResult b = second.Results.Single();
        foreach (string name in stepNames)
        {
            object?[] left = Values(a, name);
            object?[] right = Values(b, name);
            Assert.True(
                left.SequenceEqual(right),
                $"Step '{name}' produced different values after an unrelated edit ({left.Length} vs {right.Length} outputs); "
                + "does a model lack value equality?");
        }

        static object?[] Values(Microsoft.CodeAnalysis.GeneratorRunResult result, string name) =>
            result.TrackedSteps.TryGetValue(name, out ImmutableArray<IncrementalGeneratorRunStep> steps)
                ? steps.SelectMany(s => s.Outputs).SelectMany(o => ModelGraph.UnwrapStepOutput(o.Value, name)).Select(v => v.Value).ToArray()
                : [];
    }

    /// <summary>Edits that the generated output must not depend on.</summary>
    public static class Edits
    {
        /// <summary>Adds a new file with an unrelated type.</summary>
        public static Compilation AddUnrelatedTree(Compilation compilation) =>
            AddTree("namespace Unrelated; internal static class Added { public const int Value = 1; }", "Added.cs")(compilation);

        /// <summary>Adds a file with <paramref name="source"/>.</summary>
        public static Func<Compilation, Compilation> AddTree(string source, string path = "Added.cs") =>
            c => c.AddSyntaxTrees(TestCompilation.ParseLike(c, source, path));

        /// <summary>Replaces the tree at <paramref name="path"/> (e.g. <c>Source1.cs</c>) with <paramref name="newSource"/>.</summary>
        public static Func<Compilation, Compilation> ReplaceTree(string path, string newSource) =>
            c =>
            {
                SyntaxTree old = c.SyntaxTrees.Single(t => t.FilePath == path);
                return c.ReplaceSyntaxTree(old, TestCompilation.ParseLike(c, newSource, path));
            };

        /// <summary>Appends a comment to the tree at <paramref name="path"/>: same declarations, new syntax tree.</summary>
        public static Func<Compilation, Compilation> AppendComment(string path) =>
            c =>
            {
                SyntaxTree old = c.SyntaxTrees.Single(t => t.FilePath == path);
                return c.ReplaceSyntaxTree(old, TestCompilation.ParseLike(c, old.GetText() + Environment.NewLine + "// edited", path));
            };
    }
}
