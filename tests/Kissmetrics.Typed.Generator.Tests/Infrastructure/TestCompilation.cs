using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kissmetrics.Typed.Generator.Tests.Infrastructure;

/// <summary>
/// Builds the <see cref="CSharpCompilation"/> that driver tests (snapshots, incrementality) run the generator on:
/// the .NET 10 reference assemblies from <c>Basic.Reference.Assemblies.Net100</c> (no NuGet at test time) plus the
/// real runtime assembly, nullable enabled, a class library. C# 12 by default: generated code must compile with the
/// language version a net8.0 project gets.
/// </summary>
public static class TestCompilation
{
    /// <summary>The language version generated code must compile with (what net8.0 projects get).</summary>
    public const LanguageVersion DefaultLanguageVersion = LanguageVersion.CSharp12;

    /// <summary>The assembly that holds the attributes and the serializer contracts.</summary>
    public static string RuntimeAssemblyPath { get; } = typeof(KissmetricsEventAttribute).Assembly.Location;

    /// <summary>The runtime assembly as a metadata reference.</summary>
    public static MetadataReference RuntimeReference { get; } = MetadataReference.CreateFromFile(RuntimeAssemblyPath);

    /// <summary><c>Basic.Reference.Assemblies.Net100.References.All</c> plus <see cref="RuntimeReference"/>.</summary>
    public static ImmutableArray<MetadataReference> References { get; } =
        Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>().Append(RuntimeReference).ToImmutableArray();

    /// <summary>Parse options for <paramref name="languageVersion"/> (C# 12 unless told).</summary>
    public static CSharpParseOptions ParseOptions(LanguageVersion languageVersion = DefaultLanguageVersion) =>
        new(languageVersion, DocumentationMode.Parse);

    /// <summary>Compilation options used by every test compilation: a nullable-enabled class library.</summary>
    public static CSharpCompilationOptions CompilationOptions { get; } =
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
            .WithNullableContextOptions(NullableContextOptions.Enable)
            .WithDeterministic(true);

    /// <summary>
    /// <see cref="CompilationOptions"/> for <paramref name="languageVersion"/>: below C# 8 nullable is disabled, as the
    /// compiler requires (CS8630), so the project is the nullable-oblivious one such a consumer has.
    /// </summary>
    public static CSharpCompilationOptions CompilationOptionsFor(LanguageVersion languageVersion) =>
        languageVersion.MapSpecifiedToEffectiveVersion() < LanguageVersion.CSharp8
            ? CompilationOptions.WithNullableContextOptions(NullableContextOptions.Disable)
            : CompilationOptions;

    /// <summary>A C# 12 compilation of <paramref name="sources"/> (files named <c>Source0.cs</c>, <c>Source1.cs</c>, ...).</summary>
    public static CSharpCompilation Create(params string[] sources) => Create(sources, DefaultLanguageVersion);

    /// <summary>A compilation of <paramref name="sources"/> with the given language version (e.g. <see cref="LanguageVersion.Latest"/>).</summary>
    public static CSharpCompilation Create(IEnumerable<string> sources, LanguageVersion languageVersion, string assemblyName = "TestProject")
    {
        ArgumentNullException.ThrowIfNull(sources);
        CSharpParseOptions parseOptions = ParseOptions(languageVersion);
        SyntaxTree[] trees = sources
            .Select((text, i) => CSharpSyntaxTree.ParseText(text, parseOptions, path: $"Source{i}.cs"))
            .ToArray();
        return CSharpCompilation.Create(assemblyName, trees, References, CompilationOptionsFor(languageVersion));
    }

    /// <summary>Parses <paramref name="source"/> with the same options as the trees already in <paramref name="compilation"/>.</summary>
    public static SyntaxTree ParseLike(Compilation compilation, string source, string path)
    {
        ArgumentNullException.ThrowIfNull(compilation);
        CSharpParseOptions options = compilation.SyntaxTrees.FirstOrDefault()?.Options as CSharpParseOptions ?? ParseOptions();
        return CSharpSyntaxTree.ParseText(source, options, path);
    }

    /// <summary>Fails with every error and warning of <paramref name="compilation"/> listed (hidden and info are ignored).</summary>
    public static void AssertNoErrorsOrWarnings(Compilation compilation)
    {
        ArgumentNullException.ThrowIfNull(compilation);
        AssertNoErrorsOrWarnings(compilation.GetDiagnostics(), "compilation");
    }

    internal static void AssertNoErrorsOrWarnings(IEnumerable<Diagnostic> diagnostics, string what)
    {
        Diagnostic[] bad = diagnostics
            .Where(d => d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning)
            .ToArray();
        if (bad.Length > 0)
        {
            Assert.Fail($"The {what} has {bad.Length} error(s)/warning(s):{Environment.NewLine}"
                + string.Join(Environment.NewLine, bad.Select(Describe)));
        }
    }

    /// <summary>The diagnostic and the source line it points at.</summary>
    internal static string Describe(Diagnostic diagnostic)
    {
        string text = "  " + diagnostic;
        if (diagnostic.Location.IsInSource && diagnostic.Location.SourceTree is { } tree)
        {
            int line = diagnostic.Location.GetLineSpan().StartLinePosition.Line;
            text += Environment.NewLine + "      > " + tree.GetText().Lines[line].ToString().Trim();
        }

        return text;
    }
}
