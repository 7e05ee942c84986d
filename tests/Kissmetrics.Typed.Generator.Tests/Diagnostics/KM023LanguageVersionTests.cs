using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Generator.Diagnostics;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

/// <summary>KM023: an annotated type's declaration needs a newer C# than the project compiles (the generator skips it).</summary>
public sealed class KM023LanguageVersionTests
{
    private const string Prefix = "using Kissmetrics.Typed;\nnamespace App\n{\n[KissmetricsEvent(\"Signed Up\")]\n";

    [Theory]
    [InlineData(LanguageVersion.CSharp7_3, "public partial record SignedUp(string Plan);",
        "'SignedUp' is a record, which needs C# 9; this project compiles C# 7.3. Declare it as a partial class with properties, or set LangVersion to 9 or later.")]
    [InlineData(LanguageVersion.CSharp8, "public partial record SignedUp(string Plan);",
        "'SignedUp' is a record, which needs C# 9; this project compiles C# 8. Declare it as a partial class with properties, or set LangVersion to 9 or later.")]
    [InlineData(LanguageVersion.CSharp7_3, "public partial record SignedUp { public string Plan { get; set; } }",
        "'SignedUp' is a record, which needs C# 9; this project compiles C# 7.3. Declare it as a partial class with properties, or set LangVersion to 9 or later.")]
    [InlineData(LanguageVersion.CSharp9, "public partial record struct SignedUp(string Plan);",
        "'SignedUp' is a record struct, which needs C# 10; this project compiles C# 9. Declare it as a partial struct with properties, or set LangVersion to 10 or later.")]
    [InlineData(LanguageVersion.CSharp8, "public partial class SignedUp { public string Plan { get; init; } = \"\"; }",
        "'SignedUp' has the init accessor of 'Plan', which needs C# 9; this project compiles C# 8. Give 'Plan' a set accessor, or set LangVersion to 9 or later.")]
    [InlineData(LanguageVersion.CSharp10, "public partial class SignedUp { public required string Plan { get; set; } }",
        "'SignedUp' has the required member 'Plan', which needs C# 11; this project compiles C# 10. Remove 'required' from 'Plan', or set LangVersion to 11 or later.")]
    [InlineData(LanguageVersion.CSharp7_3, "public partial class SignedUp { public required string Plan { get; init; } }",
        "'SignedUp' has the required member 'Plan', which needs C# 11; this project compiles C# 7.3. Remove 'required' from 'Plan', or set LangVersion to 11 or later.")]
    public async Task A_declaration_newer_than_the_project_gets_KM023_and_no_source(LanguageVersion version, string declaration, string message)
    {
        string source = Prefix + declaration + "\n}\n";

        ImmutableArray<Diagnostic> diagnostics = await Analyze(source, version);
        Diagnostic km023 = Assert.Single(diagnostics);
        Assert.Equal("KM023", km023.Id);
        Assert.Equal(DiagnosticSeverity.Error, km023.Severity);
        Assert.Equal(message, km023.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal("SignedUp", km023.Location.SourceTree!.GetText().ToString(km023.Location.SourceSpan));

        GeneratorRun run = GeneratorRunner.Run(source, languageVersion: version);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.GeneratedSources);
        Assert.DoesNotContain(run.OutputDiagnostics, d => d.Location.SourceTree is { } tree && tree.FilePath != "Source0.cs");
    }

    [Fact]
    public async Task A_record_under_C_sharp_7_3_gives_exactly_KM023_besides_the_compilers_own_error()
    {
        string source = Prefix + "public partial record SignedUp(string Plan);\n}\n";
        GeneratorRun run = GeneratorRunner.Run(source, languageVersion: LanguageVersion.CSharp7_3);

        ImmutableArray<Diagnostic> analyzers = await run.OutputCompilation.WithAnalyzers(AllRulesTests.Analyzers).GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        Assert.Equal("KM023", Assert.Single(analyzers).Id);

        // The compiler rejects the declaration itself (below C# 9 'record' is read as a type name); nothing is
        // generated, so nothing comes from generated code.
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.GeneratedSources);
        Assert.All(run.OutputDiagnostics, d => Assert.Equal("Source0.cs", d.Location.SourceTree?.FilePath));
        Assert.Contains(run.OutputDiagnostics, d => d.Severity == DiagnosticSeverity.Error && d.GetMessage(CultureInfo.InvariantCulture).Contains("'record'", System.StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_type_nested_in_a_record_struct_is_reported_naming_it()
    {
        // C# 9 reads a record struct (and rejects it); below 9 neither record is a type, so nothing is nested in one.
        const string Source = """
            using Kissmetrics.Typed;
            namespace App
            {
                public partial record struct Events
                {
                    [KissmetricsEvent("Signed Up")]
                    public partial class SignedUp
                    {
                        public string Plan { get; set; } = "";
                    }
                }
            }
            """;

        Diagnostic km023 = Assert.Single(await Analyze(Source, LanguageVersion.CSharp9));
        Assert.Equal(
            "'Events.SignedUp' is nested in the record struct 'Events', which needs C# 10; this project compiles C# 9. Declare 'Events' as a partial struct, or set LangVersion to 10 or later.",
            km023.GetMessage(CultureInfo.InvariantCulture));
        Assert.Empty(GeneratorRunner.Run(Source, languageVersion: LanguageVersion.CSharp9).GeneratedSources);
    }

    [Theory]
    [InlineData(LanguageVersion.CSharp9, "public partial record SignedUp(string Plan);")]
    [InlineData(LanguageVersion.CSharp10, "public partial record struct SignedUp(string Plan);")]
    [InlineData(LanguageVersion.CSharp11, "public partial class SignedUp { public required string Plan { get; init; } }")]
    [InlineData(LanguageVersion.CSharp7_3, "public partial class SignedUp { public string Plan { get; set; } }")]
    public async Task At_or_above_the_version_there_is_no_KM023(LanguageVersion version, string declaration)
    {
        string source = Prefix + declaration + "\n}\n";

        Assert.Empty(await Analyze(source, version));
        GeneratorRunner.Run(source, languageVersion: version).AssertOutputCompiles();
    }

    private static Task<ImmutableArray<Diagnostic>> Analyze(string source, LanguageVersion version) =>
        TestCompilation.Create([source], version).WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new TypeShapeAnalyzer()))
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None);
}
