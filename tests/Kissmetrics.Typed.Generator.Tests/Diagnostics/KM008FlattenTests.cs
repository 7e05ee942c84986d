using System.Threading.Tasks;
using Kissmetrics.Typed.CodeFixes;
using Kissmetrics.Typed.Generator.Diagnostics;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

using Analyze = AnalyzerVerifier<MappingIntentAnalyzer>;
using Fix = CodeFixVerifier<MappingIntentAnalyzer, AcknowledgeCodeFix>;

/// <summary>KM008: a nested object is flattened into dotted names; <c>[KissmetricsFlatten]</c> says it is intended.</summary>
public sealed class KM008FlattenTests
{
    private const string Address = "public sealed record Address(string City, string Country);\n";

    [Fact]
    public Task Nested_object_on_a_positional_parameter_lists_the_prefixed_names() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + Address + """
            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp(string Plan, Address {|#0:Address|});
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.Flattened).WithLocation(0)
                .WithArguments("Address", "'Signed Up - Address.City', 'Signed Up - Address.Country'"));

    [Fact]
    public Task Nested_object_in_a_property_of_group_traits_lists_the_group_names() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + Address + """
            [KissmetricsGroupTraits]
            public partial class Company
            {
                [KissmetricsProperty("HQ")]
                public Address? {|#0:Headquarters|} { get; init; }
            }
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.Flattened).WithLocation(0)
                .WithArguments("Headquarters", "'Group - HQ.City', 'Group - HQ.Country'"));

    [Fact]
    public Task Deeper_nesting_is_listed_under_the_outermost_member_only() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + Address + """
            public sealed record Customer(string Name, Address Address);

            [KissmetricsTraits]
            public partial record Account(Customer {|#0:Owner|});
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.Flattened).WithLocation(0)
                .WithArguments("Owner", "'Owner.Name', 'Owner.Address.City', 'Owner.Address.Country'"));

    [Fact]
    public Task Acknowledged_on_a_parameter_on_a_property_target_and_on_a_property() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + Address + """
            [KissmetricsEvent("Moved")]
            public partial record Moved([KissmetricsFlatten] Address From, [property: KissmetricsFlatten] Address To);

            [KissmetricsTraits]
            public partial class Person
            {
                [KissmetricsFlatten]
                public Address Home { get; init; } = new("", "");
            }
            """);

    [Fact]
    public Task Scalars_and_ignored_objects_are_not_reported() =>
        Analyze.VerifyAnalyzerAsync(
            Sources.Usings + Address + """
            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp(string Plan, DateTimeOffset At, Guid Id, [KissmetricsIgnore] Address Address);
            """);

    [Fact]
    public Task Fix_adds_the_attribute_to_parameters_and_properties_and_fixes_all() =>
        Fix.VerifyCodeFixAsync(
            Sources.Usings + Address + """
            [KissmetricsEvent("Moved")]
            public partial record Moved(Address {|KM008:From|}, [KissmetricsProperty("Destination")] Address {|KM008:To|});

            [KissmetricsTraits]
            public partial class Person
            {
                /// <summary>Where they live.</summary>
                public Address {|KM008:Home|} { get; init; } = new("", "");

                [KissmetricsProperty("Office")]
                public Address {|KM008:Work|} { get; init; } = new("", "");
            }
            """,
            Sources.Usings + Address + """
            [KissmetricsEvent("Moved")]
            public partial record Moved([KissmetricsFlatten] Address From, [KissmetricsProperty("Destination"), KissmetricsFlatten] Address To);

            [KissmetricsTraits]
            public partial class Person
            {
                /// <summary>Where they live.</summary>
                [KissmetricsFlatten]
                public Address Home { get; init; } = new("", "");

                [KissmetricsProperty("Office"), KissmetricsFlatten]
                public Address Work { get; init; } = new("", "");
            }
            """);

    [Fact]
    public Task Fix_qualifies_the_attribute_when_the_namespace_is_not_imported() =>
        Fix.VerifyCodeFixAsync(
            """
            namespace Shop;

            public sealed record Address(string City, string Country);

            [Kissmetrics.Typed.KissmetricsEvent("Moved")]
            public partial record Moved(Address {|KM008:From|});
            """,
            """
            namespace Shop;

            public sealed record Address(string City, string Country);

            [Kissmetrics.Typed.KissmetricsEvent("Moved")]
            public partial record Moved([Kissmetrics.Typed.KissmetricsFlatten] Address From);
            """);
}
