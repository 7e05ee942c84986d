using System.Threading.Tasks;
using Kissmetrics.Typed.Generator.Diagnostics;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

using Analyze = AnalyzerVerifier<TypeShapeAnalyzer>;

/// <summary>KM005: a nested type contains itself and cannot be flattened.</summary>
public sealed class KM005RecursiveTypeTests
{
    [Fact]
    public Task A_nested_type_containing_itself_is_reported_at_the_member_that_closes_the_loop() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            public sealed record Category(string Name, Category? {|#0:Parent|});

            [KissmetricsEvent("Browsed")]
            public partial record Browsed([KissmetricsFlatten] Category Category);
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.RecursiveType).WithLocation(0).WithArguments("Category.Parent", "Shop.Category"));

    [Fact]
    public Task An_annotated_type_containing_itself_is_reported() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            [KissmetricsTraits]
            public partial class Person
            {
                public string Name { get; init; } = "";

                public Person? {|#0:Manager|} { get; init; }
            }
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.RecursiveType).WithLocation(0).WithArguments("Manager", "Shop.Person"));

    [Fact]
    public Task The_same_type_twice_side_by_side_or_ignored_is_not_recursion() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            public sealed record Address(string City);

            public sealed record Category(string Name, [KissmetricsIgnore] Category? Parent);

            [KissmetricsEvent("Moved")]
            public partial record Moved([KissmetricsFlatten] Address From, [KissmetricsFlatten] Address To, [KissmetricsFlatten] Category Category);
            """);
}
