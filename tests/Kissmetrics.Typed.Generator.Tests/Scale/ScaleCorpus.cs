using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace Kissmetrics.Typed.Generator.Tests.Scale;

/// <summary>
/// A project of many annotated types for measuring the generator at scale: ten shapes in turn (a small event, a nested
/// object with an enum, collections with revenue, a completed order, traits, group traits, a page, a screen, a record
/// struct event, a class in a containing type), ten types per file, every file in its own namespace, plus one file
/// no annotated type lives in but the typed client that covers them all. Valid and acknowledged everywhere, so the analyzers report nothing.
/// </summary>
/// <remarks>Shared by the scale test (tests/Kissmetrics.Typed.Generator.Tests/Scale) and the benchmarks' <c>scale</c> command.</remarks>
public static class ScaleCorpus
{
    /// <summary>Annotated types per file.</summary>
    public const int TypesPerFile = 10;

    /// <summary>The path of the file no annotated type lives in.</summary>
    public const string UnrelatedPath = "Unrelated.cs";

    /// <summary>That file's text.</summary>
    public const string Unrelated = """
        namespace Scale.Unrelated;

        [Kissmetrics.Typed.KissmetricsClient]
        public partial class ScaleAnalytics;

        public static class Arithmetic
        {
            public static int Twice(int value) => value * 2;
        }
        """;

    /// <summary>The same file after a one-line edit of a method body.</summary>
    public static string UnrelatedEdited => Unrelated.Replace("value * 2", "value + value");

    /// <summary>The path of file <paramref name="index"/>.</summary>
    public static string PathOf(int index) => "Events" + index.ToString("D3", CultureInfo.InvariantCulture) + ".cs";

    /// <summary>(path, text) of every file of a project with <paramref name="typeCount"/> annotated types, the unrelated file last.</summary>
    public static IReadOnlyList<(string Path, string Text)> Files(int typeCount)
    {
        var files = new List<(string, string)>();
        for (int file = 0; file * TypesPerFile < typeCount; file++)
        {
            int count = System.Math.Min(TypesPerFile, typeCount - (file * TypesPerFile));
            files.Add((PathOf(file), File(file, count)));
        }

        files.Add((UnrelatedPath, Unrelated));
        return files;
    }

    /// <summary>
    /// In <paramref name="compilation"/> (the generator's output), the types annotated with a Kissmetrics attribute, and
    /// how many of them implement a serializer contract: one generated serializer each, whatever else is generated.
    /// </summary>
    public static (int Annotated, int Implemented) CountSerializers(Compilation compilation)
    {
        int annotated = 0, implemented = 0;
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(compilation.Assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            INamespaceOrTypeSymbol current = pending.Pop();
            foreach (ISymbol member in current.GetMembers())
            {
                if (member is INamespaceOrTypeSymbol container)
                {
                    pending.Push(container);
                }

                if (member is INamedTypeSymbol type && type.GetAttributes().Any(a =>
                    a.AttributeClass?.ContainingNamespace?.ToDisplayString() == "Kissmetrics.Typed" &&
                    a.AttributeClass.Name is "KissmetricsEventAttribute" or "KissmetricsTraitsAttribute" or "KissmetricsGroupTraitsAttribute"
                        or "KissmetricsPageAttribute" or "KissmetricsScreenAttribute"))
                {
                    annotated++;
                    if (type.Interfaces.Any(i => i.ContainingNamespace?.ToDisplayString() == "Kissmetrics.Typed.Serialization"))
                    {
                        implemented++;
                    }
                }
            }
        }

        return (annotated, implemented);
    }

    private static string File(int file, int count)
    {
        string n = file.ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.Append("using System;\nusing System.Collections.Generic;\nusing System.Runtime.Serialization;\nusing Kissmetrics.Typed;\n\n");
        text.Append("namespace Scale.N").Append(n).Append(";\n\n");
        text.Append("public enum Tier { Free, [EnumMember(Value = \"Gold Plus\")] Gold, Enterprise }\n\n");
        text.Append("public sealed record Address(string City, string? Country, int Floor);\n\n");
        text.Append("public sealed record Product(string Sku, string Name, decimal Price, int Quantity);\n\n");
        for (int i = 0; i < count; i++)
        {
            int id = (file * TypesPerFile) + i;
            text.Append(Type(id, i)).Append('\n');
        }

        return text.ToString();
    }

    private static string Type(int id, int shape)
    {
        string n = id.ToString(CultureInfo.InvariantCulture);
        return shape switch
        {
            0 => $$"""
                [KissmetricsEvent("Signed Up {{n}}")]
                public partial record SignedUp{{n}}(string Plan, [property: KissmetricsProperty("Referral Code")] string? ReferralCode, int Seats);

                """,
            1 => $$"""
                [KissmetricsEvent("Plan Changed {{n}}")]
                public partial record PlanChanged{{n}}(Tier From, Tier To, [KissmetricsFlatten] Address? BillingAddress, bool Annual, DateTimeOffset At);

                """,
            2 => $$"""
                [KissmetricsEvent("Subscription Started {{n}}")]
                public partial record SubscriptionStarted{{n}}(
                    string Plan,
                    [KissmetricsRevenue] decimal Revenue,
                    [KissmetricsJoin] IReadOnlyList<string> Features,
                    [KissmetricsJoin] int[] Quotas,
                    Guid AccountId,
                    double? Discount,
                    DateOnly Start,
                    long Bytes);

                """,
            3 => $$"""
                [KissmetricsEvent("Completed Order {{n}}")]
                public partial record OrderCompleted{{n}}(string OrderId, decimal Total, decimal Tax, string Currency, List<Product> Products);

                """,
            4 => $$"""
                [KissmetricsTraits]
                public partial record UserTraits{{n}}(string Email, string? Name, [KissmetricsFlatten] Address? Home, Tier Tier, [KissmetricsIgnore] string? Password);

                """,
            5 => $$"""
                [KissmetricsGroupTraits]
                public partial record CompanyTraits{{n}}(string Name, int Employees, [KissmetricsJoin] string[] Regions);

                """,
            6 => $$"""
                [KissmetricsPage("Docs {{n}}", Category = "Guides")]
                public partial record DocsPage{{n}}(string Url, string? Referrer, string? Title);

                """,
            7 => $$"""
                [KissmetricsScreen("Home {{n}}")]
                public partial record HomeScreen{{n}}(int Step, bool FirstRun);

                """,
            8 => $$"""
                [KissmetricsEvent("Item Viewed {{n}}")]
                public partial record struct ItemViewed{{n}}(string Sku, float Score, uint Position, short Rank = 0);

                """,
            _ => $$"""
                public static partial class Outer{{n}}
                {
                    [KissmetricsEvent("Search Performed {{n}}")]
                    public sealed partial class SearchPerformed{{n}}
                    {
                        [KissmetricsProperty("Query Text")]
                        public string? Query { get; init; }

                        public int Results { get; init; }

                        [KissmetricsJoin]
                        public List<Tier>? Filters { get; init; }

                        public decimal? Relevance { get; init; }
                    }
                }

                """,
        };
    }
}
