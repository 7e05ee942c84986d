using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Generator.Tests.Diagnostics;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kissmetrics.Typed.Generator.Tests.Generation;

/// <summary>
/// Generated code compiles at the consumer's language version, down to C# 7.3 (issue 16): one source a C# 7.3 project
/// can write (partial classes and structs with get/set properties, block namespaces, no nullable annotations) run at
/// each version, its output pinned per version and compiled at that version with no error or warning.
/// </summary>
public sealed class LanguageVersionTests
{
    /// <summary>Every kind, an enum, a nested object, collections, a completed order with products, validation and a typed client.</summary>
    internal const string ClassesOnly = """
        using System.Collections.Generic;
        using System.ComponentModel.DataAnnotations;
        using System.Runtime.Serialization;
        using Kissmetrics.Typed;

        namespace Shop
        {
            public enum Plan { Free, [EnumMember(Value = "Pro (yearly)")] Pro }

            public sealed class Address
            {
                public string City { get; set; } = "";

                [KissmetricsProperty("Postal Code")]
                public string PostalCode { get; set; } = "";
            }

            /// <summary>A person subscribed.</summary>
            [KissmetricsEvent("Subscribed")]
            public partial class Subscribed
            {
                /// <summary>The plan chosen.</summary>
                public Plan Plan { get; set; }

                [KissmetricsRevenue]
                [Range(0, 10000)]
                public decimal Amount { get; set; }

                [KissmetricsFlatten]
                public Address Address { get; set; } = new Address();

                [KissmetricsJoin]
                public List<string> Features { get; set; } = new List<string>();

                [KissmetricsJoin]
                public int?[] Seats { get; set; } = new int?[0];

                [Required]
                [StringLength(20, MinimumLength = 2)]
                public string Coupon { get; set; } = "";

                [RegularExpression("^[A-Z]{2}$")]
                public string Country { get; set; } = "";

                public System.DateTimeOffset? RenewsAt { get; set; }

                [KissmetricsIgnore]
                public string Internal { get; set; } = "";
            }

            public sealed class Product
            {
                [Required]
                public string Sku { get; set; } = "";

                public decimal Price { get; set; }

                [Range(1, 99)]
                public int Quantity { get; set; }
            }

            [KissmetricsEvent("Order Completed")]
            public partial class OrderCompleted
            {
                public string OrderId { get; set; } = "";

                public decimal Total { get; set; }

                public List<Product> Products { get; set; } = new List<Product>();
            }

            [KissmetricsTraits]
            public partial class UserTraits
            {
                public string Email { get; set; } = "";

                public int? Age { get; set; }

                [KissmetricsJoin]
                public IEnumerable<string> Tags { get; set; } = new string[0];
            }

            [KissmetricsGroupTraits]
            public partial class CompanyTraits
            {
                public string Name { get; set; } = "";

                public int Employees { get; set; }
            }

            [KissmetricsPage("Docs", Category = "Guides")]
            public partial class DocsPage
            {
                public string Url { get; set; } = "";
            }

            [KissmetricsScreen(Category = "Onboarding")]
            public partial struct WelcomeScreen
            {
                public int Step { get; set; }
            }

            [KissmetricsClient]
            public partial class ShopAnalytics
            {
            }
        }
        """;

    public static TheoryData<string> Versions => new() { "7.3", "8", "9", "10", "11", "latest" };

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Classes_compile_at_every_version_and_match_that_versions_snapshot(string version)
    {
        LanguageVersion languageVersion = Parse(version);
        GeneratorRun run = GeneratorRunner.Run(ClassesOnly, languageVersion: languageVersion).AssertOutputCompiles();
        Assert.Equal(languageVersion.MapSpecifiedToEffectiveVersion(), ((CSharpParseOptions)run.OutputCompilation.SyntaxTrees.Last().Options).LanguageVersion);
        Assert.Equal(8, run.GeneratedSources.Length); // six serializers, the client and the plan

        // The analyzers have nothing to say either: no KM023 for a shape every version accepts.
        ImmutableArray<Diagnostic> diagnostics = await run.InputCompilation.WithAnalyzers(AllRulesTests.Analyzers).GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        Assert.Empty(diagnostics);

        Snapshot.MatchAll(run, testName: "Language_version_" + version.Replace('.', '_'));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Only_the_constructs_of_the_version_are_written(string version)
    {
        LanguageVersion languageVersion = Parse(version).MapSpecifiedToEffectiveVersion();
        GeneratorRun run = GeneratorRunner.Run(ClassesOnly, languageVersion: languageVersion);
        string all = string.Concat(run.GeneratedSources.Select(s => s.Text));

        Assert.Equal(languageVersion >= LanguageVersion.CSharp11, all.Contains("\"u8", StringComparison.Ordinal));
        Assert.Equal(languageVersion < LanguageVersion.CSharp11, all.Contains("__KissmetricsUtf8", StringComparison.Ordinal));
        Assert.Equal(languageVersion >= LanguageVersion.CSharp8, all.Contains("#nullable enable", StringComparison.Ordinal));
        Assert.Equal(languageVersion >= LanguageVersion.CSharp8, all.Contains("is { }", StringComparison.Ordinal));
        Assert.Equal(languageVersion >= LanguageVersion.CSharp8, all.Contains("string? anonymousId", StringComparison.Ordinal));

        // Spans are made in the properties only (static data); a call site never allocates an array.
        foreach (string line in all.Split('\n').Where(l => l.Contains("new byte[]", StringComparison.Ordinal)))
        {
            Assert.Matches(@"^\s*internal static global::System\.ReadOnlySpan<byte> N\d+ => new byte\[\] \{ (0x[0-9A-F]{2}(, )?)+ \};$", line);
        }
    }

    [Theory]
    [InlineData(LanguageVersion.CSharp9, "public partial record SignedUp(string Plan, int? Seats, string Coupon = \"none\");")]
    [InlineData(LanguageVersion.CSharp10, "public partial record struct SignedUp(string Plan, int? Seats, string Coupon = \"none\");")]
    [InlineData(LanguageVersion.CSharp10, "public readonly partial record struct SignedUp(string Plan, int? Seats, string Coupon = \"none\");")]
    [InlineData(LanguageVersion.CSharp9, "public partial class SignedUp { public string Plan { get; init; } = \"\"; }")]
    [InlineData(LanguageVersion.CSharp11, "public partial class SignedUp { public required string Plan { get; init; } }")]
    public void Records_init_and_required_compile_from_their_own_version(LanguageVersion version, string declaration)
    {
        string source = "using Kissmetrics.Typed;\nnamespace App\n{\n[KissmetricsEvent(\"Signed Up\")]\n" + declaration +
            "\n[KissmetricsClient]\npublic partial class Analytics { }\n}\n";

        GeneratorRun run = GeneratorRunner.Run(source, languageVersion: version).AssertOutputCompiles();
        Assert.Contains(run.GeneratedSources, s => s.HintName == "App.SignedUp.KissmetricsEvent.g.cs");
    }

    [Fact]
    public void A_record_under_C_sharp_7_3_gets_no_source_and_no_error_in_generated_files()
    {
        const string Source = """
            using Kissmetrics.Typed;

            namespace App
            {
                [KissmetricsEvent("Signed Up")]
                public partial record SignedUp(string Plan);

                [KissmetricsEvent("Logged In")]
                public partial class LoggedIn
                {
                    public string Method { get; set; }
                }

                [KissmetricsClient]
                public partial class Analytics
                {
                }
            }
            """;

        GeneratorRun run = GeneratorRunner.Run(Source, languageVersion: LanguageVersion.CSharp7_3);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(
            new[] { "App.Analytics.KissmetricsClient.g.cs", "App.LoggedIn.KissmetricsEvent.g.cs", "KissmetricsTrackingPlan.g.cs" },
            run.GeneratedSources.Select(s => s.HintName));
        Assert.DoesNotContain(run.GeneratedSources, s => s.Text.Contains("SignedUp", StringComparison.Ordinal));

        // The compiler's own errors on the record (below C# 9 'record' is no keyword: it is read as a type name), and
        // none in a generated file.
        Diagnostic[] errors = run.OutputDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.NotEmpty(errors);
        Assert.All(errors, d => Assert.Equal("Source0.cs", d.Location.SourceTree?.FilePath));
        Assert.Contains(errors, d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("'record'", StringComparison.Ordinal));
    }

    private static LanguageVersion Parse(string version)
    {
        Assert.True(LanguageVersionFacts.TryParse(version, out LanguageVersion parsed), version);
        return parsed;
    }
}
