using System;
using System.Collections.Generic;
using System.Linq;
using Kissmetrics.Typed.Generator.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace Kissmetrics.Typed.Generator.Emitting;

/// <summary>
/// Writes a typed tracking client: for every annotated type a method named after it, taking the record's positional
/// parameters (and an overload taking the record), and an interface with the same methods so app code can mock it.
/// </summary>
internal sealed class ClientEmitter
{
    private const string Client = "global::Kissmetrics.Typed.IKissmetricsClient";
    private const string Timestamp = "global::System.DateTimeOffset? timestamp = null";
    private static readonly string GeneratedCode = GeneratedCodeStamp.Attribute;
    private static readonly HashSet<string> s_reserved = new(StringComparer.Ordinal) { "person", "groupId", "anonymousId", "timestamp" };

    private readonly SourceWriter _out = new();
    private readonly LanguageLevel _language;

    private ClientEmitter(LanguageLevel language) => _language = language;

    /// <summary>The annotated types a client covers, in a stable order.</summary>
    public static IEnumerable<SerializerSpec> Covered(ClientSpec client, EquatableArray<SerializerSpec> serializers) => serializers
        .Where(s => client.NamespaceFilter is null || s.Type.Namespace == client.NamespaceFilter || s.Type.Namespace.StartsWith(client.NamespaceFilter + ".", StringComparison.Ordinal))
        .Where(s => s.Type.TypeName != client.ClassName && s.Type.TypeName != "I" + client.ClassName && s.Type.TypeName != "Alias")
        .OrderBy(s => s.Type.TypeName, StringComparer.Ordinal)
        .ThenBy(s => s.Type.Shape.FullTypeName, StringComparer.Ordinal)
        .ThenBy(s => s.Type.Kind);

    public static string Emit(ClientSpec client, EquatableArray<SerializerSpec> serializers, LanguageLevel language) => new ClientEmitter(language).EmitClient(client, serializers);

    private string EmitClient(ClientSpec client, EquatableArray<SerializerSpec> serializers)
    {
        List<Method> methods = Covered(client, serializers).SelectMany(Methods).Append(Alias).ToList();
        string interfaceName = client.InterfaceName;

        _out.WriteFileHeader(_language);
        if (client.Namespace.Length > 0)
        {
            _out.OpenBlock("namespace " + client.Namespace);
        }

        foreach (ContainingTypeSpec outer in client.ContainingTypes)
        {
            _out.OpenBlock("partial " + outer.DeclarationKeyword + " " + outer.Name);
        }

        _out.WriteLine("/// <summary>The tracking calls of <see cref=\"" + client.ClassName + "\"/>: one method per Kissmetrics event, traits, page and screen type; mock it in tests.</summary>");
        _out.WriteLine(GeneratedCode);
        // A part of the user's own declaration says no accessibility: theirs holds, and can never conflict (CS0262).
        _out.OpenBlock((client.InterfaceDeclared ? string.Empty : client.Accessibility + " ") + "partial interface " + interfaceName);
        foreach (Method method in methods)
        {
            WriteDocs(method);
            _out.WriteLine("void " + method.Signature + ";");
            _out.WriteLine();
        }

        _out.CloseBlock();
        _out.WriteLine();

        _out.WriteLine("/// <summary>Typed tracking calls, generated from the annotated types; every call queues at once and never waits on the network.</summary>");
        _out.OpenBlock("partial class " + client.ClassName + " : " + interfaceName);
        _out.WriteLine("private readonly " + Client + " _kissmetrics;");
        _out.WriteLine();
        _out.WriteLine("/// <summary>Creates the typed client over <paramref name=\"client\"/>, which does the sending.</summary>");
        _out.WriteLine("/// <param name=\"client\">The Kissmetrics client, for example the one registered by <c>AddKissmetrics</c>.</param>");
        _out.WriteLine("/// <exception cref=\"global::System.ArgumentNullException\"><paramref name=\"client\"/> is null.</exception>");
        _out.WriteLine(GeneratedCode);
        _out.OpenBlock("public " + client.ClassName + "(" + Client + " client)");
        _out.WriteLine("_kissmetrics = client ?? throw new global::System.ArgumentNullException(nameof(client));");
        _out.CloseBlock();
        foreach (Method method in methods)
        {
            _out.WriteLine();
            _out.WriteLine("/// <inheritdoc />");
            _out.WriteLine(GeneratedCode);
            _out.WriteLine("public void " + method.Signature + " =>");
            _out.WriteLine("    " + method.Body + ";");
        }

        _out.CloseBlock();
        foreach (ContainingTypeSpec _ in client.ContainingTypes)
        {
            _out.CloseBlock();
        }

        if (client.Namespace.Length > 0)
        {
            _out.CloseBlock();
        }

        return _out.ToString();
    }

    private void WriteDocs(Method method)
    {
        _out.WriteLine("/// <summary>" + method.Summary + "</summary>");
        foreach ((string name, string text) in method.ParameterDocs)
        {
            _out.WriteLine("/// <param name=\"" + name + "\">" + text + "</param>");
        }
    }

    private IEnumerable<Method> Methods(SerializerSpec serializer)
    {
        TypeSpec type = serializer.Type;
        TypeShape shape = type.Shape;
        string what = type.Kind switch
        {
            SpecKind.Event => "Tracks <c>" + Xml(type.EventName!) + "</c>.",
            SpecKind.Traits => "Identifies the person with these traits.",
            SpecKind.GroupTraits => "Sets the traits of the person's group.",
            SpecKind.Page => "Records a view of the page <c>" + Xml(type.PageName ?? type.PageCategory!) + "</c>.",
            _ => "Records a view of the screen <c>" + Xml(type.PageName ?? type.PageCategory!) + "</c>.",
        };
        string summary = what + (shape.Summary is null ? string.Empty : " " + Xml(shape.Summary));

        var leading = new List<(string Declaration, string Name, string Doc)> { ("string person", "person", "The person (<c>_p</c>).") };
        if (type.Kind == SpecKind.GroupTraits)
        {
            leading.Add(("string groupId", "groupId", "The group's id, sent as <c>Group - id</c>."));
        }

        var trailing = new List<(string Declaration, string Name, string Doc)>();
        if (type.Kind == SpecKind.Traits)
        {
            // Below C# 8 a string is nullable without saying so.
            trailing.Add(((_language.NullableReferenceTypes ? "string?" : "string") + " anonymousId = null", "anonymousId", "The id the person had before they were known; aliased to <paramref name=\"person\"/> when given."));
        }

        trailing.Add((Timestamp, "timestamp", "When it happened; the current time when omitted."));

        string call = type.Kind switch
        {
            SpecKind.Event => "Track(person, {0}, timestamp)",
            SpecKind.Traits => "Identify(person, {0}, anonymousId, timestamp)",
            SpecKind.GroupTraits => "Group(person, groupId, {0}, timestamp)",
            SpecKind.Page => "Page(person, {0}, timestamp)",
            _ => "Screen(person, {0}, timestamp)",
        };

        if (shape.IsPositional || shape.HasParameterlessConstructor)
        {
            // A record by its constructor; a class or struct with properties by an object initializer of those it can set.
            var parameters = shape.IsPositional ? shape.Parameters.ToList() : shape.Settable.ToList();
            var own = parameters.Select(p => (Spec: p, Name: ParameterName(p.Name))).ToList();
            IEnumerable<(string Declaration, string Name, string Doc)> middle = own.Select(p => (
                p.Spec.TypeName + " " + p.Name + (p.Spec.DefaultValue is null ? string.Empty : " = " + p.Spec.DefaultValue),
                p.Name.TrimStart('@'),
                p.Spec.Summary is null ? (shape.IsPositional ? "The record's <c>" : "Sets <c>") + p.Spec.Name + "</c>." : Xml(p.Spec.Summary)));
            var all = leading.Concat(middle).Concat(trailing).ToList();

            // An optional record parameter before a required one is impossible in C#; ours all come after the record's.
            string construct = shape.IsPositional
                ? "new " + shape.FullTypeName + "(" + string.Join(", ", own.Select(p => p.Name)) + ")"
                : own.Count == 0
                    ? "new " + shape.FullTypeName + "()"
                    : "new " + shape.FullTypeName + " { " + string.Join(", ", own.Select(p => SerializerEmitter.Identifier(p.Spec.Name) + " = " + p.Name)) + " }";
            yield return new Method(
                type.TypeName + "(" + string.Join(", ", all.Select(p => p.Declaration)) + ")",
                "_kissmetrics." + string.Format(call, construct),
                summary,
                all.Select(p => (p.Name, p.Doc)).ToList());
        }

        string recordName = type.Kind switch
        {
            SpecKind.Event => "@event",
            SpecKind.Page => "page",
            SpecKind.Screen => "screen",
            _ => "traits",
        };
        var withRecord = leading.Concat(new[] { (Declaration: shape.FullTypeName + " " + recordName, Name: recordName.TrimStart('@'), Doc: "The record to send.") }).Concat(trailing).ToList();
        yield return new Method(
            type.TypeName + "(" + string.Join(", ", withRecord.Select(p => p.Declaration)) + ")",
            "_kissmetrics." + string.Format(call, recordName),
            summary,
            withRecord.Select(p => (p.Name, p.Doc)).ToList());
    }

    // Alias has no record, but every call of the app should go through one mockable interface.
    private static Method Alias => new(
        "Alias(string previousId, string newId)",
        "_kissmetrics.Alias(previousId, newId)",
        "Joins two identities of one person (<c>/a</c>).",
        new[] { ("previousId", "The identity used so far (<c>_p</c>)."), ("newId", "The new identity (<c>_n</c>).") });

    /// <summary>A record parameter as a method parameter: camelCase, a keyword escaped, our own names avoided.</summary>
    private static string ParameterName(string name)
    {
        string camel = name.Length > 0 && char.IsUpper(name[0]) ? char.ToLowerInvariant(name[0]) + name.Substring(1) : name;
        if (s_reserved.Contains(camel))
        {
            camel += "Value";
        }

        return SerializerEmitter.Identifier(camel);
    }

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private sealed class Method
    {
        public Method(string signature, string body, string summary, IReadOnlyList<(string Name, string Doc)> parameterDocs)
        {
            Signature = signature;
            Body = body;
            Summary = summary;
            ParameterDocs = parameterDocs;
        }

        public string Signature { get; }

        public string Body { get; }

        public string Summary { get; }

        public IReadOnlyList<(string Name, string Doc)> ParameterDocs { get; }
    }
}
