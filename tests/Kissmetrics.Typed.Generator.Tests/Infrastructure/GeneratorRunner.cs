using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kissmetrics.Typed.Generator.Tests.Infrastructure;

/// <summary>One generated file: its hint name and its text.</summary>
public sealed record GeneratedSource(string HintName, string Text);

/// <summary>
/// Runs <see cref="KissmetricsGenerator"/> (or another incremental generator) through a <see cref="CSharpGeneratorDriver"/>
/// with step tracking on, optionally with global analyzer config options such as
/// <c>build_property.KissmetricsNamingPolicy = snake_case</c>.
/// </summary>
public static class GeneratorRunner
{
    /// <summary>Driver options: nothing disabled, every named step tracked.</summary>
    public static GeneratorDriverOptions DriverOptions { get; } =
        new(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true);

    /// <summary>The generator under test.</summary>
    public static IIncrementalGenerator CreateDefaultGenerator() => new KissmetricsGenerator();

    /// <summary>Global options for MSBuild properties: each name gets the <c>build_property.</c> prefix.</summary>
    /// <example><c>GeneratorRunner.BuildProperties(("KissmetricsNamingPolicy", "snake_case"))</c></example>
    public static IReadOnlyDictionary<string, string> BuildProperties(params (string Name, string Value)[] properties) =>
        properties.ToDictionary(p => "build_property." + p.Name, p => p.Value, AnalyzerConfigOptions.KeyComparer);

    /// <summary>Compiles <paramref name="source"/> with <see cref="TestCompilation"/> and runs the generator on it.</summary>
    public static GeneratorRun Run(
        string source,
        IReadOnlyDictionary<string, string>? globalOptions = null,
        LanguageVersion languageVersion = TestCompilation.DefaultLanguageVersion,
        IIncrementalGenerator? generator = null) =>
        Run(TestCompilation.Create([source], languageVersion), globalOptions, generator);

    /// <summary>Runs the generator on <paramref name="compilation"/> with a new driver.</summary>
    public static GeneratorRun Run(
        Compilation compilation,
        IReadOnlyDictionary<string, string>? globalOptions = null,
        IIncrementalGenerator? generator = null) =>
        Run(CreateDriver(compilation, globalOptions, generator), compilation);

    /// <summary>Runs <paramref name="driver"/> (a new one, or <see cref="GeneratorRun.Driver"/> to re-run incrementally).</summary>
    /// <exception cref="Xunit.Sdk.XunitException">The generator threw.</exception>
    public static GeneratorRun Run(GeneratorDriver driver, Compilation compilation)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(compilation);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        var run = new GeneratorRun(driver, compilation, output, diagnostics);
        foreach (Microsoft.CodeAnalysis.GeneratorRunResult result in run.RunResult.Results)
        {
            if (result.Exception is { } exception)
            {
                throw new Xunit.Sdk.XunitException(
                    $"Generator {result.Generator.GetGeneratorType().Name} threw: {exception}", exception);
            }
        }

        return run;
    }

    /// <summary>A driver for <paramref name="generator"/> (default: <see cref="KissmetricsGenerator"/>), parsing like <paramref name="compilation"/>.</summary>
    public static GeneratorDriver CreateDriver(
        Compilation compilation,
        IReadOnlyDictionary<string, string>? globalOptions = null,
        IIncrementalGenerator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(compilation);
        var parseOptions = compilation.SyntaxTrees.FirstOrDefault()?.Options as CSharpParseOptions ?? TestCompilation.ParseOptions();
        return CSharpGeneratorDriver.Create(
            generators: [(generator ?? CreateDefaultGenerator()).AsSourceGenerator()],
            additionalTexts: null,
            parseOptions: parseOptions,
            optionsProvider: new TestAnalyzerConfigOptionsProvider(globalOptions),
            driverOptions: DriverOptions);
    }
}

/// <summary>What one generator run produced; <see cref="Rerun"/> runs the same driver again (incrementally).</summary>
public sealed class GeneratorRun
{
    internal GeneratorRun(GeneratorDriver driver, Compilation input, Compilation output, ImmutableArray<Diagnostic> generatorDiagnostics)
    {
        Driver = driver;
        InputCompilation = input;
        OutputCompilation = output;
        GeneratorDiagnostics = generatorDiagnostics;
        RunResult = driver.GetRunResult();
        GeneratedSources = RunResult.Results
            .SelectMany(r => r.GeneratedSources)
            .Select(s => new GeneratedSource(s.HintName, s.SourceText.ToString()))
            .OrderBy(s => s.HintName, StringComparer.Ordinal)
            .ToImmutableArray();
    }

    /// <summary>The driver after this run: keep it to re-run incrementally.</summary>
    public GeneratorDriver Driver { get; }

    /// <summary>The compilation the generator ran on.</summary>
    public Compilation InputCompilation { get; }

    /// <summary>The input plus the generated trees.</summary>
    public Compilation OutputCompilation { get; }

    /// <summary>Diagnostics the driver reported (the generator's own, and CS8784/CS8785 failures).</summary>
    public ImmutableArray<Diagnostic> GeneratorDiagnostics { get; }

    /// <summary>The whole run, with tracked steps.</summary>
    public GeneratorDriverRunResult RunResult { get; }

    /// <summary>The single generator's result (<c>RunResult.Results[0]</c>).</summary>
    public Microsoft.CodeAnalysis.GeneratorRunResult Result => RunResult.Results.Single();

    /// <summary>Every generated file, ordered by hint name.</summary>
    public ImmutableArray<GeneratedSource> GeneratedSources { get; }

    /// <summary>The output compilation's diagnostics (input and generated trees).</summary>
    public ImmutableArray<Diagnostic> OutputDiagnostics => OutputCompilation.GetDiagnostics();

    /// <summary>The text generated under <paramref name="hintName"/>; fails listing the hint names there are.</summary>
    public string Source(string hintName)
    {
        GeneratedSource? found = GeneratedSources.FirstOrDefault(s => s.HintName == hintName);
        if (found is null)
        {
            Assert.Fail($"No source generated with hint name '{hintName}'. Generated: "
                + (GeneratedSources.IsEmpty ? "(none)" : string.Join(", ", GeneratedSources.Select(s => s.HintName))));
        }

        return found.Text;
    }

    /// <summary>Fails if the driver reported an error or warning, or if the output compilation has any error or warning.</summary>
    public GeneratorRun AssertOutputCompiles()
    {
        TestCompilation.AssertNoErrorsOrWarnings(GeneratorDiagnostics, "generator run");
        TestCompilation.AssertNoErrorsOrWarnings(OutputDiagnostics, "output compilation");
        return this;
    }

    /// <summary>Runs the same driver again on <paramref name="compilation"/> (default: the same input), optionally with new global options.</summary>
    public GeneratorRun Rerun(Compilation? compilation = null, IReadOnlyDictionary<string, string>? globalOptions = null)
    {
        GeneratorDriver driver = globalOptions is null
            ? Driver
            : Driver.WithUpdatedAnalyzerConfigOptions(new TestAnalyzerConfigOptionsProvider(globalOptions));
        return GeneratorRunner.Run(driver, compilation ?? InputCompilation);
    }
}

/// <summary>Global options from a dictionary; no per-file options.</summary>
public sealed class TestAnalyzerConfigOptionsProvider : AnalyzerConfigOptionsProvider
{
    private static readonly DictionaryAnalyzerConfigOptions EmptyOptions = new(null);

    /// <summary>Options with <paramref name="globalOptions"/> as the global (.globalconfig / build property) options.</summary>
    public TestAnalyzerConfigOptionsProvider(IReadOnlyDictionary<string, string>? globalOptions) =>
        GlobalOptions = new DictionaryAnalyzerConfigOptions(globalOptions);

    /// <inheritdoc />
    public override AnalyzerConfigOptions GlobalOptions { get; }

    /// <inheritdoc />
    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => EmptyOptions;

    /// <inheritdoc />
    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => EmptyOptions;

    private sealed class DictionaryAnalyzerConfigOptions : AnalyzerConfigOptions
    {
        private readonly ImmutableDictionary<string, string> _options;

        public DictionaryAnalyzerConfigOptions(IReadOnlyDictionary<string, string>? options) =>
            _options = (options ?? new Dictionary<string, string>()).ToImmutableDictionary(KeyComparer);

        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
            _options.TryGetValue(key, out value);

        public override IEnumerable<string> Keys => _options.Keys;
    }
}
