using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Kissmetrics.Typed.Generator.Tests.Infrastructure;

/// <summary>
/// The offline set-up every Microsoft.CodeAnalysis.Testing test needs here: <c>new ReferenceAssemblies("net10.0")</c>
/// names no package, so nothing is downloaded from NuGet; the .NET 10 reference assemblies come from
/// <c>Basic.Reference.Assemblies.Net100</c>, and the runtime assembly is added next to them.
/// </summary>
public static class OfflineTestSetup
{
    /// <summary>Reference assemblies that resolve to nothing (no package, no download).</summary>
    public static ReferenceAssemblies NoPackageReferenceAssemblies { get; } = new("net10.0");

    /// <summary>Sets <paramref name="test"/>'s reference assemblies and adds the offline references to its test state.</summary>
    public static void Apply<TVerifier>(AnalyzerTest<TVerifier> test)
        where TVerifier : IVerifier, new()
    {
        System.ArgumentNullException.ThrowIfNull(test);
        test.ReferenceAssemblies = NoPackageReferenceAssemblies;
        test.TestState.AdditionalReferences.AddRange(TestCompilation.References);
    }

    /// <summary><see cref="Apply{TVerifier}"/> plus the same references on the fixed state of a code-fix test.</summary>
    public static void Apply<TVerifier>(CodeFixTest<TVerifier> test)
        where TVerifier : IVerifier, new()
    {
        Apply((AnalyzerTest<TVerifier>)test);
        test.FixedState.AdditionalReferences.AddRange(TestCompilation.References);
    }

    internal static ParseOptions WithLanguageVersion(ParseOptions options, LanguageVersion languageVersion) =>
        ((CSharpParseOptions)options).WithLanguageVersion(languageVersion);

    internal static CompilationOptions WithNullable(CompilationOptions options) =>
        ((CSharpCompilationOptions)options).WithNullableContextOptions(NullableContextOptions.Enable);
}

/// <summary>An analyzer test configured for offline use, C# 12 and nullable enabled (like <see cref="TestCompilation"/>).</summary>
public class OfflineAnalyzerTest<TAnalyzer> : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>Configures the offline references.</summary>
    public OfflineAnalyzerTest() => OfflineTestSetup.Apply(this);

    /// <summary>The language version the sources are parsed with (C# 12 unless set).</summary>
    public LanguageVersion LanguageVersion { get; set; } = TestCompilation.DefaultLanguageVersion;

    /// <inheritdoc />
    protected override ParseOptions CreateParseOptions() => OfflineTestSetup.WithLanguageVersion(base.CreateParseOptions(), LanguageVersion);

    /// <inheritdoc />
    protected override CompilationOptions CreateCompilationOptions() => OfflineTestSetup.WithNullable(base.CreateCompilationOptions());
}

/// <summary>A code-fix test configured for offline use (test and fixed state), C# 12 and nullable enabled.</summary>
public class OfflineCodeFixTest<TAnalyzer, TCodeFix> : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>Configures the offline references.</summary>
    public OfflineCodeFixTest() => OfflineTestSetup.Apply(this);

    /// <summary>The language version the sources are parsed with (C# 12 unless set).</summary>
    public LanguageVersion LanguageVersion { get; set; } = TestCompilation.DefaultLanguageVersion;

    /// <inheritdoc />
    protected override ParseOptions CreateParseOptions() => OfflineTestSetup.WithLanguageVersion(base.CreateParseOptions(), LanguageVersion);

    /// <inheritdoc />
    protected override CompilationOptions CreateCompilationOptions() => OfflineTestSetup.WithNullable(base.CreateCompilationOptions());
}

/// <summary>A <c>Microsoft.CodeAnalysis.SourceGenerators.Testing</c> generator test configured for offline use.</summary>
public class OfflineSourceGeneratorTest<TGenerator> : CSharpSourceGeneratorTest<TGenerator, DefaultVerifier>
    where TGenerator : new()
{
    /// <summary>Configures the offline references.</summary>
    public OfflineSourceGeneratorTest() => OfflineTestSetup.Apply(this);

    /// <summary>The language version the sources are parsed with (C# 12 unless set).</summary>
    public LanguageVersion LanguageVersion { get; set; } = TestCompilation.DefaultLanguageVersion;

    /// <inheritdoc />
    protected override ParseOptions CreateParseOptions() => OfflineTestSetup.WithLanguageVersion(base.CreateParseOptions(), LanguageVersion);

    /// <inheritdoc />
    protected override CompilationOptions CreateCompilationOptions() => OfflineTestSetup.WithNullable(base.CreateCompilationOptions());
}

/// <summary>One-line analyzer checks: <c>await AnalyzerVerifier&lt;KmAnalyzer&gt;.VerifyAnalyzerAsync(source, expected)</c>.</summary>
public static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>An expected diagnostic of the analyzer's only descriptor.</summary>
    public static DiagnosticResult Diagnostic() => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic();

    /// <summary>An expected diagnostic with id <paramref name="diagnosticId"/>.</summary>
    public static DiagnosticResult Diagnostic(string diagnosticId) => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic(diagnosticId);

    /// <summary>An expected diagnostic of <paramref name="descriptor"/>.</summary>
    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic(descriptor);

    /// <summary>
    /// Runs the analyzer on <paramref name="source"/> (markup such as <c>{|KM001:Name|}</c> or <c>[|Name|]</c> allowed)
    /// and checks it reports exactly <paramref name="expected"/> plus the markup's diagnostics.
    /// </summary>
    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new OfflineAnalyzerTest<TAnalyzer> { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }
}

/// <summary>One-line code-fix checks: <c>await CodeFixVerifier&lt;KmAnalyzer, KmFix&gt;.VerifyCodeFixAsync(source, fixedSource)</c>.</summary>
public static class CodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>An expected diagnostic of the analyzer's only descriptor.</summary>
    public static DiagnosticResult Diagnostic() => CSharpCodeFixVerifier<TAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic();

    /// <summary>An expected diagnostic with id <paramref name="diagnosticId"/>.</summary>
    public static DiagnosticResult Diagnostic(string diagnosticId) => CSharpCodeFixVerifier<TAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic(diagnosticId);

    /// <summary>An expected diagnostic of <paramref name="descriptor"/>.</summary>
    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => CSharpCodeFixVerifier<TAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic(descriptor);

    /// <summary>Checks the analyzer alone (no fix expected).</summary>
    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new OfflineCodeFixTest<TAnalyzer, TCodeFix> { TestCode = source, FixedCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>Checks that fixing the diagnostics marked up in <paramref name="source"/> gives <paramref name="fixedSource"/>.</summary>
    public static Task VerifyCodeFixAsync(string source, string fixedSource) =>
        VerifyCodeFixAsync(source, [], fixedSource);

    /// <summary>Checks <paramref name="expected"/> (besides the markup) and that fixing them gives <paramref name="fixedSource"/>.</summary>
    public static Task VerifyCodeFixAsync(string source, DiagnosticResult[] expected, string fixedSource)
    {
        var test = new OfflineCodeFixTest<TAnalyzer, TCodeFix> { TestCode = source, FixedCode = fixedSource };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }
}
