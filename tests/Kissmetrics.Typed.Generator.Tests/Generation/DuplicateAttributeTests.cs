using System.Linq;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Kissmetrics.Typed.Generator.Tests.Generation;

/// <summary>
/// An attribute repeated on two partial declarations of one type (the compiler's CS0579): the generator emits the type
/// once instead of throwing on a duplicate hint name (CS8785), which hid every other output (found by the README
/// snippet check, where a context and a block each declared the typed client).
/// </summary>
public sealed class DuplicateAttributeTests
{
    private const string First = """
        using Kissmetrics.Typed;

        namespace Shop;

        [KissmetricsEvent("Signed Up")]
        public partial record SignedUp(string Plan);

        [KissmetricsClient]
        public partial class ShopAnalytics;
        """;

    private const string Second = """
        using Kissmetrics.Typed;

        namespace Shop;

        [KissmetricsEvent("Signed Up")]
        public partial record SignedUp;

        [KissmetricsClient]
        public partial class ShopAnalytics;
        """;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_type_attributed_on_two_partial_declarations_is_generated_once(bool inOneFile)
    {
        Compilation compilation = inOneFile ? TestCompilation.Create(First + "\n" + Second.Replace("using Kissmetrics.Typed;\n\nnamespace Shop;\n", "", System.StringComparison.Ordinal)) : TestCompilation.Create(First, Second);
        GeneratorRun run = GeneratorRunner.Run(compilation); // throws if the generator threw

        Assert.Single(run.GeneratedSources, s => s.HintName == "Shop.SignedUp.KissmetricsEvent.g.cs");
        Assert.Single(run.GeneratedSources, s => s.HintName == "Shop.ShopAnalytics.KissmetricsClient.g.cs");
        Assert.DoesNotContain(run.OutputCompilation.GetDiagnostics(), d => d.Id == "CS8785");
        Assert.Contains(run.OutputCompilation.GetDiagnostics(), d => d.Id == "CS0579"); // the compiler still says so
    }
}
