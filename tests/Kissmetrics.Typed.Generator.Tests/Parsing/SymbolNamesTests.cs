using System.Linq;
using Kissmetrics.Typed.Generator.Parsing;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Kissmetrics.Typed.Generator.Tests.Parsing;

/// <summary>The parser's name checks by metadata name, which replaced comparing display strings.</summary>
public sealed class SymbolNamesTests
{
    private static readonly Compilation Compilation = TestCompilation.Create("""
        namespace System.Fake { public struct Guid { } }
        namespace Shop { public struct Guid { } public class Outer { public class Guid { } } }
        public class Global { }
        namespace Systems.Collections { public class Bag { } }
        """);

    private static INamedTypeSymbol Type(string metadataName) => Compilation.GetTypeByMetadataName(metadataName)!;

    [Theory]
    [InlineData("System.Guid", "System.Guid", true)]
    [InlineData("System.Collections.Generic.IDictionary`2", "System.Collections.Generic.IDictionary`2", true)]
    [InlineData("System.Collections.Generic.IDictionary`2", "System.Collections.Generic.IDictionary", false)]
    [InlineData("System.Collections.IDictionary", "System.Collections.Generic.IDictionary`2", false)]
    [InlineData("System.Fake.Guid", "System.Guid", false)]
    [InlineData("Shop.Guid", "System.Guid", false)]
    [InlineData("Shop.Outer+Guid", "Shop.Guid", false)]
    [InlineData("Global", "Global", true)]
    [InlineData("Global", "System.Global", false)]
    [InlineData("System.Guid", "Guid", false)]
    [InlineData("System.Guid", "Sys.System.Guid", false)]
    [InlineData("Kissmetrics.Typed.KissmetricsPropertyAttribute", KnownAttributes.Property, true)]
    [InlineData("Kissmetrics.Typed.KissmetricsIgnoreAttribute", KnownAttributes.Property, false)]
    public void Is_compares_name_namespace_and_arity(string type, string fullMetadataName, bool expected) =>
        Assert.Equal(expected, SymbolNames.Is(Type(type), fullMetadataName));

    [Theory]
    [InlineData("System.Guid", "System", true)]
    [InlineData("System.Collections.Generic.List`1", "System.Collections.Generic", true)]
    [InlineData("System.Collections.Generic.List`1", "System.Collections", false)]
    [InlineData("System.Collections.Generic.List`1", "Collections.Generic", false)]
    [InlineData("Systems.Collections.Bag", "System.Collections", false)]
    [InlineData("Shop.Outer+Guid", "Shop", true)]
    [InlineData("Global", "", true)]
    [InlineData("Shop.Guid", "", false)]
    public void IsIn_compares_the_whole_namespace(string type, string ns, bool expected) =>
        Assert.Equal(expected, SymbolNames.IsIn(Type(type), ns));

    [Theory]
    [InlineData("System.Collections.Generic.List`1", "System")]
    [InlineData("System.Fake.Guid", "System")]
    [InlineData("Systems.Collections.Bag", "Systems")]
    [InlineData("Shop.Outer+Guid", "Shop")]
    [InlineData("Global", "")]
    public void OutermostNamespace_is_the_first_segment(string type, string expected) =>
        Assert.Equal(expected, SymbolNames.OutermostNamespace(Type(type)));

    [Fact]
    public void Null_is_no_type() => Assert.False(SymbolNames.Is(null, "System.Guid"));

    [Fact]
    public void The_attributes_the_parser_reads_are_all_in_the_runtime_namespace() =>
        Assert.All(
            new[] { KnownAttributes.Event, KnownAttributes.Property, KnownAttributes.Ignore, KnownAttributes.Revenue, KnownAttributes.Flatten, KnownAttributes.Join }.Select(Type),
            attribute => Assert.True(SymbolNames.IsIn(attribute, KnownAttributes.Namespace)));
}
