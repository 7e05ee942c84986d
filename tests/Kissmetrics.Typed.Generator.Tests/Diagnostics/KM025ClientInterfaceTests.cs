using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.CodeFixes;
using Kissmetrics.Typed.Generator.Diagnostics;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

using Fix = CodeFixVerifier<ClientInterfaceAnalyzer, DeclareInterfaceCodeFix>;

/// <summary>
/// KM025: where ASP.NET Core's request delegate generator runs (<c>EnableRequestDelegateGenerator</c>), a typed client's
/// interface must be declared in code; the fix adds the declaration next to the class.
/// </summary>
public sealed class KM025ClientInterfaceTests
{
    private const string RequestDelegateGenerator = "is_global = true\nbuild_property.EnableRequestDelegateGenerator = true\n";

    [Fact]
    public Task A_client_without_a_declared_interface_is_reported_and_the_fix_declares_it() =>
        VerifyFixAsync(
            Sources.Usings + """
            [KissmetricsClient]
            public partial class {|#0:ShopAnalytics|};
            """,
            Sources.Usings + """
            [KissmetricsClient]
            public partial class ShopAnalytics;
            public partial interface IShopAnalytics;
            """,
            Fix.Diagnostic(DiagnosticDescriptors.UndeclaredClientInterface).WithLocation(0)
                .WithArguments("IShopAnalytics", "public partial interface IShopAnalytics", "ShopAnalytics"));

    [Fact]
    public Task A_class_with_a_body_gets_an_interface_with_a_body_and_its_accessibility() =>
        VerifyFixAsync(
            """
            using Kissmetrics.Typed;

            namespace Shop
            {
                public static partial class Tracking
                {
                    [KissmetricsClient]
                    internal partial class {|#0:Analytics|}
                    {
                    }
                }
            }
            """,
            """
            using Kissmetrics.Typed;

            namespace Shop
            {
                public static partial class Tracking
                {
                    [KissmetricsClient]
                    internal partial class Analytics
                    {
                    }
                    internal partial interface IAnalytics { }
                }
            }
            """,
            Fix.Diagnostic(DiagnosticDescriptors.UndeclaredClientInterface).WithLocation(0)
                .WithArguments("IAnalytics", "internal partial interface IAnalytics", "Analytics"),
            LanguageVersion.CSharp11);

    [Fact]
    public async Task A_declared_interface_is_clean()
    {
        var test = Test(Sources.Usings + """
            [KissmetricsClient]
            public partial class ShopAnalytics;

            public partial interface IShopAnalytics;
            """);
        await test.RunAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("false")]
    public async Task Without_the_request_delegate_generator_nothing_is_reported(string? value)
    {
        var test = new OfflineAnalyzerTest<ClientInterfaceAnalyzer> { TestCode = Sources.Usings + "[KissmetricsClient]\npublic partial class ShopAnalytics;\n" };
        if (value is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\nbuild_property.EnableRequestDelegateGenerator = " + value + "\n"));
        }

        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_class_the_generator_writes_no_client_for_is_left_to_KM001()
    {
        var test = Test(Sources.Usings + "[KissmetricsClient]\npublic class ShopAnalytics { }\n");
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_generated_interface_alone_does_not_count_as_declared()
    {
        // In a build the analyzers see the generator's file too: the interface exists, but only there.
        const string Source = Sources.Usings + "[KissmetricsEvent(\"Signed Up\")]\npublic partial record SignedUp(string Plan);\n[KissmetricsClient]\npublic partial class ShopAnalytics;\n";
        GeneratorRun run = GeneratorRunner.Run(Source).AssertOutputCompiles();
        ImmutableArray<Diagnostic> diagnostics = await run.OutputCompilation
            .WithAnalyzers([new ClientInterfaceAnalyzer()], Options(RequestDelegateGeneratorOptions))
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None);

        Assert.Equal("KM025", Assert.Single(diagnostics).Id);
    }

    [Theory]
    [InlineData(FixAllScope.Document)]
    [InlineData(FixAllScope.Project)]
    [InlineData(FixAllScope.Solution)]
    public async Task Fix_all_declares_every_interface_starting_from_any_of_them(FixAllScope scope)
    {
        const string Before = """
            using Kissmetrics.Typed;

            namespace Shop;

            [KissmetricsClient]
            public partial class ShopAnalytics;

            [KissmetricsClient(Namespace = "Shop.Billing")]
            internal partial class BillingAnalytics
            {
            }

            public static partial class Admin
            {
                [KissmetricsClient]
                public partial class AdminAnalytics;
            }
            """;
        const string After = """
            using Kissmetrics.Typed;

            namespace Shop;

            [KissmetricsClient]
            public partial class ShopAnalytics;
            public partial interface IShopAnalytics;

            [KissmetricsClient(Namespace = "Shop.Billing")]
            internal partial class BillingAnalytics
            {
            }
            internal partial interface IBillingAnalytics { }

            public static partial class Admin
            {
                [KissmetricsClient]
                public partial class AdminAnalytics;
                public partial interface IAdminAnalytics;
            }
            """;

        Document document = FixAllHarness.CreateDocument(Before);
        ImmutableArray<Diagnostic> diagnostics = await DiagnosticsOf(document);
        Assert.Equal(3, diagnostics.Length);

        var fixer = new DeclareInterfaceCodeFix();
        var actions = new List<CodeAction>();
        await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostics[^1], (action, _) => actions.Add(action), CancellationToken.None));
        var context = new FixAllContext(document, fixer, scope, Assert.Single(actions).EquivalenceKey, fixer.FixableDiagnosticIds, new FixAllHarness.FixedDiagnostics(diagnostics), CancellationToken.None);
        CodeAction fixAll = (await fixer.GetFixAllProvider().GetFixAsync(context))!;
        Solution changed = Assert.Single((await fixAll.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>()).ChangedSolution;
        Document fixedDocument = changed.GetDocument(document.Id)!;

        Assert.Equal(After, (await fixedDocument.GetTextAsync()).ToString());
        Assert.Empty(await DiagnosticsOf(fixedDocument));
    }

    [Fact]
    public void The_package_makes_the_property_visible_to_the_analyzer()
    {
        string props = System.IO.File.ReadAllText(System.IO.Path.Combine(RepositoryRoot(), "src", "Runtime", "build", "Kissmetrics.Typed.props"));
        Assert.Contains("<CompilerVisibleProperty Include=\"EnableRequestDelegateGenerator\" />", props, StringComparison.Ordinal);
        Assert.Equal("build_property.EnableRequestDelegateGenerator", ClientInterfaceAnalyzer.RequestDelegateGeneratorProperty);
    }

    private static readonly IReadOnlyDictionary<string, string> RequestDelegateGeneratorOptions = GeneratorRunner.BuildProperties(("EnableRequestDelegateGenerator", "true"));

    private static AnalyzerOptions Options(IReadOnlyDictionary<string, string> properties) =>
        new(ImmutableArray<AdditionalText>.Empty, new TestAnalyzerConfigOptionsProvider(properties));

    private static OfflineCodeFixTest<ClientInterfaceAnalyzer, DeclareInterfaceCodeFix> Test(string source, string? fixedSource = null, LanguageVersion languageVersion = TestCompilation.DefaultLanguageVersion)
    {
        var test = new OfflineCodeFixTest<ClientInterfaceAnalyzer, DeclareInterfaceCodeFix>
        {
            TestCode = source,
            FixedCode = fixedSource ?? source,
            LanguageVersion = languageVersion,
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", RequestDelegateGenerator));
        test.FixedState.AnalyzerConfigFiles.Add(("/.globalconfig", RequestDelegateGenerator));
        return test;
    }

    // The testing library also runs Fix All over the document, project and solution of each case.
    private static Task VerifyFixAsync(string source, string fixedSource, DiagnosticResult expected, LanguageVersion languageVersion = TestCompilation.DefaultLanguageVersion)
    {
        var test = Test(source, fixedSource, languageVersion);
        test.ExpectedDiagnostics.Add(expected);
        return test.RunAsync(CancellationToken.None);
    }

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsOf(Document document)
    {
        Compilation compilation = (await document.Project.GetCompilationAsync())!;
        ImmutableArray<Diagnostic> all = await compilation.WithAnalyzers([new ClientInterfaceAnalyzer()], Options(RequestDelegateGeneratorOptions)).GetAnalyzerDiagnosticsAsync();
        return all.OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
    }

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string path = "")
    {
        for (System.IO.DirectoryInfo? directory = new System.IO.FileInfo(path).Directory; directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(directory.FullName, "Kissmetrics.Typed.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No Kissmetrics.Typed.sln above " + path);
    }
}
