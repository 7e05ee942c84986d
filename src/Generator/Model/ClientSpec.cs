using System.Linq;

namespace Kissmetrics.Typed.Generator.Model;

/// <summary>
/// A class annotated <c>[KissmetricsClient]</c>: where its typed methods and interface go. <see cref="InterfaceDeclared"/>:
/// the user declares the interface (<c>public partial interface IShopAnalytics;</c>, so other generators such as ASP.NET
/// Core's request delegate generator can name it), and the generated part takes that declaration's accessibility.
/// </summary>
internal sealed record ClientSpec(
    string Namespace,
    string ClassName,
    string Accessibility,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string? NamespaceFilter,
    bool InterfaceDeclared)
{
    /// <summary>How every client's hint name ends (the analyzers tell the generated file from the user's by it).</summary>
    public const string HintSuffix = ".KissmetricsClient.g.cs";

    /// <summary>The hint name of the client's generated file: its namespace, containing types and name.</summary>
    public string HintName =>
        (Namespace.Length == 0 ? string.Empty : Namespace + ".") + string.Concat(ContainingTypes.Select(t => t.Name + ".")) + ClassName + HintSuffix;

    /// <summary>The client's interface: <c>I</c> + the class's name.</summary>
    public string InterfaceName => "I" + ClassName;
}

/// <summary>Everything the typed clients and the plan of one assembly are generated from, and the C# they are written in.</summary>
internal sealed record AssemblySpec(string AssemblyName, EquatableArray<SerializerSpec> Serializers, LanguageLevel Language);

/// <summary>
/// Whether the assembly gets its <c>KissmetricsTrackingPlan</c> class (off with <c>KissmetricsGenerateTrackingPlan=false</c>,
/// as the runtime sets for its own spec events), and whether it goes in the global namespace: a program with top-level
/// statements runs there, so that is the one place its statements can name the plan without a <c>using</c>.
/// </summary>
internal sealed record PlanPlacement(bool Generate, bool GlobalNamespace);
