using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Threading;
using Kissmetrics.Typed.Generator;
using Kissmetrics.Typed.Generator.Tests.Scale;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kissmetrics.Typed.Benchmarks.Scale;

/// <summary>
/// The generator at scale: a project of 1,000 annotated types (<see cref="ScaleCorpus"/>) through
/// <see cref="CSharpGeneratorDriver"/>: the cold run (a new driver; first in the process, then warm-process runs), a
/// one-line edit of an unrelated file and of a file of events (every step must be Cached or Unchanged, every output
/// Cached), and the analyzers on the same compilation. Prints the figures; exits 1 if the output does not compile or an
/// edit was not reused. References come from Basic.Reference.Assemblies (nothing is downloaded).
/// </summary>
public static class GeneratorScale
{
    private const int ColdRepeats = 5;

    public static int Run(string[] args)
    {
        int typeCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var parseOptions = new CSharpParseOptions(LanguageVersion.CSharp12);
        IReadOnlyList<(string Path, string Text)> files = ScaleCorpus.Files(typeCount);
        SyntaxTree[] trees = files.Select(f => CSharpSyntaxTree.ParseText(f.Text, parseOptions, f.Path)).ToArray();
        MetadataReference[] references = Basic.Reference.Assemblies.Net100.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(KissmetricsEventAttribute).Assembly.Location))
            .ToArray();
        CSharpCompilation compilation = CSharpCompilation.Create(
            "Scale",
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        Console.WriteLine($"Generator at scale: {typeCount} annotated types in {trees.Length - 1} files (+1 unrelated), C# 12, "
            + $"{Environment.ProcessorCount} cores, .NET {Environment.Version}");
        bool ok = true;

        // Cold: a new driver, nothing cached. The first run in the process also pays for JIT-compiling Roslyn and the generator.
        // Wall clock and this process's CPU time: on a shared machine the CPU time is the steadier of the two.
        var clock = Stopwatch.StartNew();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        GeneratorDriver driver = NewDriver(parseOptions).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        TimeSpan first = clock.Elapsed;
        TimeSpan firstCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var warm = new List<double>();
        var warmCpu = new List<double>();
        for (int i = 0; i < ColdRepeats; i++)
        {
            Compilation fresh = compilation.Clone(); // new symbols: nothing bound is reused
            clock.Restart();
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            NewDriver(parseOptions).RunGenerators(fresh);
            warm.Add(clock.Elapsed.TotalMilliseconds);
            warmCpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds);
        }

        GeneratorDriverRunResult cold = driver.GetRunResult();
        int generated = cold.Results.Sum(r => r.GeneratedSources.Length);
        (int annotated, int implemented) = ScaleCorpus.CountSerializers(output);
        Console.WriteLine($"  cold run, first in the process (JIT included): {Ms(first.TotalMilliseconds)} wall clock, {Ms(firstCpu.TotalMilliseconds)} CPU");
        Console.WriteLine($"  cold run, new driver in a warm process:        median {Ms(Median(warm))} wall clock (min {Ms(warm.Min())}, max {Ms(warm.Max())}), "
            + $"median {Ms(Median(warmCpu))} CPU, {ColdRepeats} runs");
        Console.WriteLine($"  generated files: {generated}; annotated types with a serializer: {implemented} of {annotated}; "
            + $"generator diagnostics: {generatorDiagnostics.Length}; exceptions: {cold.Results.Count(r => r.Exception is not null)}");
        if (annotated != typeCount || implemented != typeCount || cold.Results.Any(r => r.Exception is not null))
        {
            Console.WriteLine("  FAIL: expected a serializer for every annotated type and no exception");
            ok = false;
        }

        clock.Restart();
        Diagnostic[] errors = output.GetDiagnostics().Where(d => d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning).ToArray();
        Console.WriteLine($"  compiling the project with the generated code (for scale): {Ms(clock.Elapsed.TotalMilliseconds)}, {errors.Length} errors/warnings");
        foreach (Diagnostic error in errors.Take(5))
        {
            Console.WriteLine("    " + error);
        }

        ok &= errors.Length == 0;

        // One-line edits: the same driver, run again.
        ok &= Edit("unrelated file, one method body", driver, compilation, ScaleCorpus.UnrelatedPath, i => ScaleCorpus.Unrelated.Replace("value * 2", "value * " + (3 + i).ToString(CultureInfo.InvariantCulture)));
        string eventsPath = ScaleCorpus.PathOf(0);
        string eventsText = files.First(f => f.Path == eventsPath).Text;
        ok &= Edit($"{eventsPath} (10 annotated types), one comment line", driver, compilation, eventsPath, i => eventsText + "// edited " + i.ToString(CultureInfo.InvariantCulture) + "\n");

        ok &= Analyzers(output);
        Console.WriteLine(ok ? "scale: ok" : "scale: FAILED");
        return ok ? 0 : 1;
    }

    private static bool Edit(string what, GeneratorDriver driver, Compilation compilation, string path, Func<int, string> newText)
    {
        // The edit is made three times in a row (a new text each time), as while typing; the first also pays for JIT.
        SyntaxTree old = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        GeneratorDriverRunResult run = null!;
        var wall = new List<double>();
        var cpuTimes = new List<double>();
        for (int i = 0; i < 3; i++)
        {
            Compilation edited = compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(newText(i), (CSharpParseOptions)old.Options, path));
            var clock = Stopwatch.StartNew();
            TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
            driver = driver.RunGenerators(edited);
            wall.Add(clock.Elapsed.TotalMilliseconds);
            cpuTimes.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds);
            run = driver.GetRunResult();
            compilation = edited;
            old = edited.SyntaxTrees.Single(t => t.FilePath == path);
        }

        GeneratorRunResult result = run.Results.Single();
        var reasons = new SortedDictionary<string, int>(StringComparer.Ordinal);
        bool cached = true;
        foreach (string step in TrackingStepNames())
        {
            if (!result.TrackedSteps.TryGetValue(step, out ImmutableArray<IncrementalGeneratorRunStep> steps))
            {
                Console.WriteLine($"    step {step} was not tracked");
                cached = false;
                continue;
            }

            foreach ((object _, IncrementalStepRunReason reason) in steps.SelectMany(s => s.Outputs))
            {
                string key = step + " " + reason;
                reasons[key] = reasons.GetValueOrDefault(key) + 1;
                cached &= reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged;
            }
        }

        foreach ((object _, IncrementalStepRunReason reason) in result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs))
        {
            string key = "output " + reason;
            reasons[key] = reasons.GetValueOrDefault(key) + 1;
            cached &= reason == IncrementalStepRunReason.Cached;
        }

        Console.WriteLine($"  edit of {what}: {string.Join(" / ", wall.Select(Ms))} wall clock, {string.Join(" / ", cpuTimes.Select(Ms))} CPU (3 edits); {(cached ? "every step Cached/Unchanged, every output Cached" : "FAIL: not reused")}");
        Console.WriteLine("    " + string.Join(", ", reasons.Select(r => $"{r.Key}: {r.Value}")));
        return cached;
    }

    private static bool Analyzers(Compilation compilation)
    {
        ImmutableArray<DiagnosticAnalyzer> analyzers = typeof(KissmetricsGenerator).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
        if (analyzers.IsEmpty)
        {
            Console.WriteLine("  analyzers: none in the generator assembly");
            return true;
        }

        bool ok = true;
        for (int round = 1; round <= 2; round++)
        {
            // A clone each round, so nothing bound by the previous round is reused; round 1 also pays for JIT.
            Compilation fresh = compilation.Clone();
            var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true);
            var clock = Stopwatch.StartNew();
            AnalysisResult result = fresh.WithAnalyzers(analyzers, options).GetAnalysisResultAsync(CancellationToken.None).GetAwaiter().GetResult();
            double total = clock.Elapsed.TotalMilliseconds;
            ImmutableArray<Diagnostic> diagnostics = result.GetAllDiagnostics();
            Console.WriteLine($"  analyzers ({analyzers.Length}), {(round == 1 ? "first in the process" : "warm process")}: {Ms(total)} wall clock with the compiler's own analysis, {diagnostics.Length} diagnostics");
            foreach (DiagnosticAnalyzer analyzer in analyzers)
            {
                Console.WriteLine($"    {analyzer.GetType().Name}: {Ms(result.AnalyzerTelemetryInfo[analyzer].ExecutionTime.TotalMilliseconds)}");
            }

            foreach (Diagnostic diagnostic in diagnostics.Take(5))
            {
                Console.WriteLine("    " + diagnostic);
            }

            ok &= !diagnostics.Any(d => d.Severity is DiagnosticSeverity.Warning or DiagnosticSeverity.Error);
        }

        return ok;
    }

    private static GeneratorDriver NewDriver(CSharpParseOptions parseOptions) =>
        CSharpGeneratorDriver.Create(
            [new KissmetricsGenerator().AsSourceGenerator()],
            parseOptions: parseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    private static IEnumerable<string> TrackingStepNames() => typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!);

    private static double Median(List<double> values)
    {
        double[] sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Ms(double milliseconds) => milliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
}
