using System.Threading.Tasks;
using Kissmetrics.Typed.Generator.Diagnostics;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

using Analyze = AnalyzerVerifier<TypeShapeAnalyzer>;

/// <summary>KM014: an annotated type, or a type containing it, is generic (the generator skips it).</summary>
public sealed class KM014GenericTypeTests
{
    [Fact]
    public Task A_generic_annotated_type_is_reported_on_its_name() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            [KissmetricsEvent("Item Added")]
            public partial record {|#0:ItemAdded|}<T>(string Sku);

            [KissmetricsTraits]
            public partial class {|#1:Traits|}<TKey, TValue>
            {
                public string Email { get; init; } = "";
            }
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.GenericType).WithLocation(0).WithArguments("ItemAdded<T>", "it is"),
            Analyze.Diagnostic(DiagnosticDescriptors.GenericType).WithLocation(1).WithArguments("Traits<TKey, TValue>", "it is"));

    [Fact]
    public Task A_type_nested_in_a_generic_type_is_reported_naming_that_type() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            public static partial class Events<TContext>
            {
                public static partial class Inner
                {
                    [KissmetricsEvent("Signed Up")]
                    public partial record {|#0:SignedUp|}(string Plan);
                }
            }
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.GenericType).WithLocation(0).WithArguments("Events<TContext>.Inner.SignedUp", "its containing type 'Events<TContext>' is"));

    [Fact]
    public Task A_member_of_the_type_parameter_gets_no_cascading_KM002() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            [KissmetricsEvent("Item Added")]
            public partial record {|#0:ItemAdded|}<T>(T Item, object Extra);
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.GenericType).WithLocation(0).WithArguments("ItemAdded<T>", "it is"));

    [Fact]
    public Task Non_generic_types_with_generic_members_and_unannotated_generic_types_are_not_reported() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + """
            public sealed class Box<T>
            {
                public T? Value { get; init; }
            }

            public static partial class Events
            {
                [KissmetricsEvent("Tagged")]
                public partial record Tagged([KissmetricsJoin] IReadOnlyList<string> Tags, [KissmetricsIgnore] Box<int>? Box);
            }
            """);
}
