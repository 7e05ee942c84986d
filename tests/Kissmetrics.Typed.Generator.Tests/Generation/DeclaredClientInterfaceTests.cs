using System.Linq;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kissmetrics.Typed.Generator.Tests.Generation;

/// <summary>
/// The typed client's interface declared in user code (<c>public partial interface IShopAnalytics;</c>, what KM025 asks
/// for so ASP.NET Core's request delegate generator can name it): the generator fills that declaration, which keeps its
/// accessibility.
/// </summary>
public sealed class DeclaredClientInterfaceTests
{
    private const string Events = """
        using Kissmetrics.Typed;

        namespace Shop;

        [KissmetricsEvent("Signed Up")]
        public partial record SignedUp(string Plan);
        """;

    [Theory]
    [InlineData("public partial interface IShopAnalytics;", Accessibility.Public)]
    [InlineData("internal partial interface IShopAnalytics { }", Accessibility.Internal)]
    [InlineData("partial interface IShopAnalytics { }", Accessibility.Internal)]
    public void The_generator_fills_the_users_declaration_which_keeps_its_accessibility(string declaration, Accessibility expected)
    {
        string client = "using Kissmetrics.Typed;\n\nnamespace Shop;\n\n[KissmetricsClient]\npublic partial class ShopAnalytics;\n\n" + declaration + "\n";
        GeneratorRun run = GeneratorRunner.Run(TestCompilation.Create(Events, client)).AssertOutputCompiles();

        string generated = run.Source("Shop.ShopAnalytics.KissmetricsClient.g.cs");
        Assert.Contains("\n    partial interface IShopAnalytics\n", generated, System.StringComparison.Ordinal);
        INamedTypeSymbol analytics = run.OutputCompilation.GetTypeByMetadataName("Shop.IShopAnalytics")!;
        Assert.Equal(expected, analytics.DeclaredAccessibility);
        Assert.Equal(2, analytics.DeclaringSyntaxReferences.Length);
        Assert.Contains(analytics.GetMembers().OfType<IMethodSymbol>(), m => m.Name == "SignedUp");
    }

    [Fact]
    public void A_declaration_below_CSharp_12_is_filled_too()
    {
        const string Source = """
            using Kissmetrics.Typed;

            namespace Shop
            {
                [KissmetricsEvent("Signed Up")]
                public partial class SignedUp
                {
                    public string Plan { get; set; }
                }

                [KissmetricsClient]
                public partial class ShopAnalytics
                {
                }

                public partial interface IShopAnalytics { }
            }
            """;
        GeneratorRun run = GeneratorRunner.Run(Source, languageVersion: LanguageVersion.CSharp7_3).AssertOutputCompiles();

        Assert.Equal(Accessibility.Public, run.OutputCompilation.GetTypeByMetadataName("Shop.IShopAnalytics")!.DeclaredAccessibility);
    }

    [Fact]
    public void Without_a_declaration_the_interface_gets_the_class_accessibility()
    {
        const string Client = "using Kissmetrics.Typed;\n\nnamespace Shop;\n\n[KissmetricsClient]\ninternal partial class ShopAnalytics;\n";
        GeneratorRun run = GeneratorRunner.Run(TestCompilation.Create(Events, Client)).AssertOutputCompiles();

        Assert.Contains("internal partial interface IShopAnalytics", run.Source("Shop.ShopAnalytics.KissmetricsClient.g.cs"), System.StringComparison.Ordinal);
    }
}
