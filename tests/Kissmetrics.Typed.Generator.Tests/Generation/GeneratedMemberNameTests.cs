using Kissmetrics.Typed.Generator.Tests.Infrastructure;
using Xunit;

namespace Kissmetrics.Typed.Generator.Tests.Generation;

/// <summary>
/// The private members the generator adds (the serializer's methods generic over the naming, the validation's pattern
/// holder) never take the name of a member the type declares or inherits: they move to a suffix instead.
/// </summary>
public sealed class GeneratedMemberNameTests
{
    [Fact]
    public void Members_the_type_declares_move_the_generated_ones_to_a_suffix()
    {
        const string source = """
            using System.Collections.Generic;
            using System.ComponentModel.DataAnnotations;
            using Kissmetrics.Typed;

            namespace Shop;

            public sealed record Item(string Sku);

            [KissmetricsEvent("Order Completed")]
            public partial record OrderCompleted
            {
                [RegularExpression("[A-Z]+")]
                public string? Coupon { get; init; }

                public decimal Total { get; init; }

                public List<Item>? Products { get; init; }

                // The user's own members, under the names the generator would otherwise use.
                public string WriteKissmetricsProperties() => "mine";

                public static int WriteKissmetricsProduct => 1;

                private static class __KissmetricsPatternsEvent
                {
                }
            }
            """;

        GeneratorRun run = GeneratorRunner.Run(source).AssertOutputCompiles();
        string generated = run.Source("Shop.OrderCompleted.KissmetricsEvent.g.cs");
        Assert.Contains("private void WriteKissmetricsProperties_1<TNames>(", generated);
        Assert.Contains("private void WriteKissmetricsProduct_1<TNames>(", generated);
        Assert.Contains("this.WriteKissmetricsProperties_1<", generated);
        Assert.Contains("this.WriteKissmetricsProduct_1<", generated);
        Assert.Contains("private static class __KissmetricsPatternsEvent_1", generated);
        Assert.DoesNotContain("void WriteKissmetricsProperties<", generated);
    }

    [Fact]
    public void Below_C_sharp_11_the_names_class_moves_to_a_suffix_too()
    {
        const string source = """
            using Kissmetrics.Typed;

            namespace Shop
            {
                [KissmetricsEvent("Signed Up")]
                public partial class SignedUp
                {
                    public string Plan { get; set; }

                    // The user's own member, under the name of the class that holds the UTF-8 names below C# 11.
                    [KissmetricsIgnore]
                    public int __KissmetricsUtf8Event { get; set; }
                }
            }
            """;

        GeneratorRun run = GeneratorRunner.Run(source, languageVersion: Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp7_3).AssertOutputCompiles();
        string generated = run.Source("Shop.SignedUp.KissmetricsEvent.g.cs");
        Assert.Contains("private static class __KissmetricsUtf8Event_1", generated);
        Assert.Contains("=> __KissmetricsUtf8Event_1.N0;", generated);
        Assert.Contains("private void WriteKissmetricsProperties_1<TNames>(", generated);
    }

    [Fact]
    public void A_member_a_base_type_declares_is_not_hidden()
    {
        // A generated private method of the same name would hide the base's (CS0108, an error with warnings as errors).
        const string source = """
            using Kissmetrics.Typed;

            namespace Shop;

            public abstract record Tracked
            {
                protected void WriteKissmetricsProperties<T>(ref T state) { }
            }

            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp : Tracked
            {
                public string? Plan { get; init; }
            }
            """;

        GeneratorRun run = GeneratorRunner.Run(source).AssertOutputCompiles();
        Assert.Contains("private void WriteKissmetricsProperties_1<TNames>(", run.Source("Shop.SignedUp.KissmetricsEvent.g.cs"));
    }

    [Fact]
    public void Without_a_clash_the_names_have_no_suffix()
    {
        const string source = """
            using Kissmetrics.Typed;

            namespace Shop;

            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp
            {
                public string? Plan { get; init; }

                public string WriteKissmetricsProperties_1() => "not one of the generator's names";
            }
            """;

        GeneratorRun run = GeneratorRunner.Run(source).AssertOutputCompiles();
        Assert.Contains("private void WriteKissmetricsProperties<TNames>(", run.Source("Shop.SignedUp.KissmetricsEvent.g.cs"));
    }
}
