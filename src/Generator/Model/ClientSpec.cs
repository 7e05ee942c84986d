namespace Kissmetrics.Typed.Generator.Model;

/// <summary>A class annotated <c>[KissmetricsClient]</c>: where its typed methods and interface go.</summary>
internal sealed record ClientSpec(
    string Namespace,
    string ClassName,
    string Accessibility,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string? NamespaceFilter);

/// <summary>Everything the typed clients and the plan of one assembly are generated from, and the C# they are written in.</summary>
internal sealed record AssemblySpec(string AssemblyName, EquatableArray<SerializerSpec> Serializers, LanguageLevel Language);
