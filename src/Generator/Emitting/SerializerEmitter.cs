using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Kissmetrics.Typed.Generator.Model;

namespace Kissmetrics.Typed.Generator.Emitting;

/// <summary>
/// Writes the partial type that implements a serializer contract. Every name is UTF-8 text encoded at compile time
/// (a <c>"..."u8</c> literal from C# 11, below that a static property over constant bytes); the code only tests
/// values for null, branches on <c>prefixed</c> and calls the writer. Only constructs of the project's C# version
/// (<see cref="LanguageLevel"/>, down to 7.3) are written.
/// </summary>
internal sealed class SerializerEmitter
{
    private const string Writer = "global::Kissmetrics.Typed.Serialization.KissmetricsWriter";
    private const string Contracts = "global::Kissmetrics.Typed.Serialization.";
    private static readonly string GeneratedCode = GeneratedCodeStamp.Attribute;

    // Private members added to the user's type; the prefix keeps them clear of the user's own names.

    private readonly SourceWriter _out = new();
    private readonly LanguageLevel _language;
    private readonly string _namesClass;

    // Below C# 11: each distinct encoded text, in first-use order, and its property of the names class.
    private readonly Dictionary<string, string> _names = new(System.StringComparer.Ordinal);
    private readonly List<string> _nameOrder = new();
    private int _locals;

    private SerializerEmitter(TypeSpec type, LanguageLevel language)
    {
        _language = language;
        _namesClass = GeneratedMembers.Utf8Class(type.Kind) + type.MemberSuffix;
    }

    public static string Emit(SerializerSpec spec, LanguageLevel language) => new SerializerEmitter(spec.Type, language).EmitType(spec);

    private string EmitType(SerializerSpec spec)
    {
        TypeSpec type = spec.Type;
        _out.WriteFileHeader(_language, "#pragma warning disable CS0618 // members may be obsolete; they are still sent");
        bool hasNamespace = type.Namespace.Length > 0;
        if (hasNamespace)
        {
            _out.OpenBlock("namespace " + type.Namespace);
        }

        foreach (ContainingTypeSpec outer in type.ContainingTypes)
        {
            _out.OpenBlock("partial " + outer.DeclarationKeyword + " " + outer.Name);
        }

        string contract = type.Kind switch
        {
            SpecKind.Event => "IKissmetricsEvent",
            SpecKind.Traits => "IKissmetricsTraits",
            SpecKind.GroupTraits => "IKissmetricsGroupTraits",
            SpecKind.Page => "IKissmetricsPage",
            _ => "IKissmetricsScreen",
        };
        _out.WriteLine("/// <summary>" + Summary(type) + "</summary>");
        _out.OpenBlock("partial " + type.DeclarationKeyword + " " + type.TypeName + " : " + Contracts + contract);
        switch (type.Kind)
        {
            case SpecKind.Event:
                EmitEvent(spec);
                break;
            case SpecKind.Traits:
            case SpecKind.GroupTraits:
                EmitTraits(spec, contract);
                break;
            default:
                EmitView(spec);
                break;
        }

        ValidationEmitter.Emit(_out, spec, Contracts + (type.Kind is SpecKind.Page or SpecKind.Screen ? "IKissmetricsView" : contract), _language);
        EmitNamesClass();

        _out.CloseBlock();
        foreach (ContainingTypeSpec _ in type.ContainingTypes)
        {
            _out.CloseBlock();
        }

        if (hasNamespace)
        {
            _out.CloseBlock();
        }

        return _out.ToString();
    }

    private void EmitEvent(SerializerSpec spec)
    {
        string contract = Contracts + "IKissmetricsEvent";
        _out.WriteLine("/// <summary>The Kissmetrics event name, <c>" + Xml(spec.Type.EventName!) + "</c>, percent-encoded.</summary>");
        _out.WriteLine(GeneratedCode);
        _out.WriteLine("global::System.ReadOnlySpan<byte> " + contract + ".EncodedEventName => " + Utf8(spec.EncodedEventName!) + ";");
        _out.WriteLine();
        _out.WriteLine("/// <summary>Writes the event's properties, named with or without the event prefix.</summary>");
        _out.WriteLine(GeneratedCode);
        bool propertiesPrefixed = HasPrefixedName(spec.Properties);
        _out.OpenBlock("void " + contract + ".WriteProperties(ref " + Writer + " writer, bool prefixed)");
        if (propertiesPrefixed)
        {
            EmitNamingDispatch(GeneratedMembers.PropertiesMethod + spec.Type.MemberSuffix, "ref writer");
        }
        else
        {
            EmitProperties(spec.Properties, "this");
        }

        _out.CloseBlock();
        _out.WriteLine();

        ProductsWrite? products = spec.Products;
        _out.WriteLine("/// <summary>The number of products sent as requests of their own.</summary>");
        _out.WriteLine(GeneratedCode);
        if (products is null)
        {
            _out.WriteLine("int " + contract + ".ProductCount => 0;");
        }
        else
        {
            _out.WriteLine("int " + contract + ".ProductCount => " + NotNull(_language, "this." + Identifier(products.ClrName), products.Collection.TypeName, "products") + " ? " + ProductCount(products, "products") + " : 0;");
        }

        _out.WriteLine();
        _out.WriteLine("/// <summary>Writes the properties of one product of a completed order.</summary>");
        _out.WriteLine(GeneratedCode);
        bool productPrefixed = products is not null && HasPrefixedName(products.Properties);
        _out.OpenBlock("void " + contract + ".WriteProduct(ref " + Writer + " writer, int index, bool prefixed)");
        if (productPrefixed)
        {
            EmitNamingDispatch(GeneratedMembers.ProductMethod + spec.Type.MemberSuffix, "ref writer, index");
        }
        else if (products is not null)
        {
            EmitProduct(products);
        }

        _out.CloseBlock();

        if (propertiesPrefixed)
        {
            _out.WriteLine();
            EmitNamingGeneric(GeneratedMembers.PropertiesMethod + spec.Type.MemberSuffix, "ref " + Writer + " writer");
            EmitProperties(spec.Properties, "this");
            _out.CloseBlock();
        }

        if (productPrefixed)
        {
            _out.WriteLine();
            EmitNamingGeneric(GeneratedMembers.ProductMethod + spec.Type.MemberSuffix, "ref " + Writer + " writer, int index");
            EmitProduct(products!);
            _out.CloseBlock();
        }
    }

    private void EmitProduct(ProductsWrite products)
    {
        _out.OpenBlock("if (" + NotNull(_language, "this." + Identifier(products.ClrName), products.Collection.TypeName, "products") + " && " +
            NotNull(_language, ProductAt(products, "products", "index"), products.Collection.Element!.TypeName, "product") + ")");
        EmitProperties(products.Properties, "product");
        _out.CloseBlock();
    }

    /// <summary>Calls the generic writer of <paramref name="method"/> with the naming <c>prefixed</c> asks for.</summary>
    private void EmitNamingDispatch(string method, string arguments)
    {
        _out.OpenBlock("if (prefixed)");
        _out.WriteLine("this." + method + "<" + Contracts + "PrefixedNames>(" + arguments + ");");
        _out.CloseBlock();
        _out.OpenBlock("else");
        _out.WriteLine("this." + method + "<" + Contracts + "UnprefixedNames>(" + arguments + ");");
        _out.CloseBlock();
    }

    /// <summary>
    /// Opens a private method generic over the naming. <c>TNames</c> is a struct, so the JIT compiles one copy per
    /// naming in which <c>prefixed</c> is a constant: each name below is then a literal of known length, copied
    /// without a branch or a call.
    /// </summary>
    private void EmitNamingGeneric(string method, string parameters)
    {
        _out.WriteLine("/// <summary>Writes with the names <typeparamref name=\"TNames\"/> chooses: one compiled copy per naming.</summary>");
        _out.WriteLine(GeneratedCode);
        _out.OpenBlock("private void " + method + "<TNames>(" + parameters + ") where TNames : struct");
        _out.WriteLine("bool prefixed = typeof(TNames) == typeof(" + Contracts + "PrefixedNames);");
    }

    private static bool HasPrefixedName(IEnumerable<PropertyWrite> properties) =>
        properties.Any(p => p.EncodedPrefixedName is not null || HasPrefixedName(p.Children));

    private void EmitTraits(SerializerSpec spec, string contract)
    {
        _out.WriteLine("/// <summary>Writes the traits as Kissmetrics properties.</summary>");
        _out.WriteLine(GeneratedCode);
        _out.OpenBlock("void " + Contracts + contract + ".WriteProperties(ref " + Writer + " writer)");
        EmitProperties(spec.Properties, "this");
        _out.CloseBlock();
    }

    private void EmitView(SerializerSpec spec)
    {
        string contract = Contracts + "IKissmetricsView";
        _out.WriteLine("/// <summary>The event name under the view's name, percent-encoded; empty when it has none.</summary>");
        _out.WriteLine(GeneratedCode);
        _out.WriteLine("global::System.ReadOnlySpan<byte> " + contract + ".EncodedNamedEventName => " + (spec.EncodedNamedEventName is null ? "default" : Utf8(spec.EncodedNamedEventName)) + ";");
        _out.WriteLine();
        _out.WriteLine("/// <summary>The event name under the view's category, percent-encoded; empty when it has none.</summary>");
        _out.WriteLine(GeneratedCode);
        _out.WriteLine("global::System.ReadOnlySpan<byte> " + contract + ".EncodedCategorizedEventName => " + (spec.EncodedCategorizedEventName is null ? "default" : Utf8(spec.EncodedCategorizedEventName)) + ";");
        _out.WriteLine();
        _out.WriteLine("/// <summary>Writes the view's properties, then its name and category.</summary>");
        _out.WriteLine(GeneratedCode);
        _out.OpenBlock("void " + contract + ".WriteProperties(ref " + Writer + " writer)");
        EmitProperties(spec.Properties, "this");
        foreach (ConstantWrite constant in spec.Constants)
        {
            _out.WriteLine("writer.WriteEncoded(" + Utf8(Internal.PercentEncoding.Encode(constant.WireName)) + ", " + Utf8(Internal.PercentEncoding.Encode(constant.Value)) + ");");
        }

        _out.CloseBlock();
    }

    private void EmitProperties(IEnumerable<PropertyWrite> properties, string owner)
    {
        foreach (PropertyWrite property in properties)
        {
            EmitProperty(property, owner + "." + Identifier(property.ClrName));
        }
    }

    private void EmitProperty(PropertyWrite property, string access)
    {
        ValueSpec value = property.Value;

        // A nested object's own name is never written (its members are, under dotted names): below C# 11 asking for it
        // would add an unused property.
        string name = value.Kind == ValueKind.Object ? string.Empty : NameExpression(property);
        switch (value.Kind)
        {
            case ValueKind.Object:
                string nested = Local(property.ClrName);
                if (value.MayBeNull)
                {
                    _out.OpenBlock("if (" + NotNull(_language, access, value.TypeName, nested) + ")");
                }
                else
                {
                    _out.OpenBlock();
                    _out.WriteLine("var " + nested + " = " + access + ";");
                }

                EmitProperties(property.Children, nested);
                _out.CloseBlock();
                return;

            case ValueKind.Collection:
                EmitCollection(property, access, name);
                return;

            case ValueKind.String:
                _out.WriteLine("writer.WriteString(" + name + ", " + access + ");");
                return;
        }

        string scalar = access;
        bool opened = false;
        if (value.MayBeNull)
        {
            scalar = Local(property.ClrName);
            _out.OpenBlock("if (" + NotNull(_language, access, value.TypeName, scalar) + ")");
            opened = true;
        }

        if (property.WritesBillingAmount && NumberMethod(value.Kind) is { } number)
        {
            // Formatted once, written under both names (Billing Amount only when not zero).
            _out.WriteLine("writer.Write" + number + "(" + name + ", " + Utf8(PropertyWrite.EncodedBillingAmount) + ", " + scalar + ");");
        }
        else
        {
            EmitScalar(value, name, scalar, named: true);
            if (property.WritesBillingAmount)
            {
                _out.OpenBlock("if (" + scalar + " != 0)");
                EmitScalar(value, Utf8(PropertyWrite.EncodedBillingAmount), scalar, named: true);
                _out.CloseBlock();
            }
        }

        if (opened)
        {
            _out.CloseBlock();
        }
    }

    private void EmitCollection(PropertyWrite property, string access, string name)
    {
        ValueSpec value = property.Value;
        ValueSpec element = value.Element!;
        string items = Local(property.ClrName);
        if (value.MayBeNull)
        {
            _out.OpenBlock("if (" + NotNull(_language, access, value.TypeName, items) + ")");
        }
        else
        {
            _out.OpenBlock();
            _out.WriteLine("var " + items + " = " + access + ";");
        }

        _out.WriteLine("writer.WriteName(" + name + ");");
        switch (value.Shape)
        {
            case CollectionShape.Indexed:
            case CollectionShape.Array:
                EmitIndexedLoop(element, items, value.Shape == CollectionShape.Array ? "Length" : "Count");
                break;
            case CollectionShape.Enumerable:
                // Most instances behind an IEnumerable<T> are lists or arrays: walked by index they allocate nothing.
                string list = Local("list");
                string listType = "global::System.Collections.Generic.IReadOnlyList<" + element.TypeName + (element.IsNullableValueType ? "?" : string.Empty) + ">";
                _out.OpenBlock("if (" + NotNull(_language, Writer + ".AsReadOnlyList(" + items + ")", listType, list) + ")");
                EmitIndexedLoop(element, list, "Count");
                _out.CloseBlock();
                _out.OpenBlock("else");
                EmitForeachLoop(element, items);
                _out.CloseBlock();
                break;
            default:
                EmitForeachLoop(element, items);
                break;
        }

        _out.CloseBlock();
    }

    private void EmitIndexedLoop(ValueSpec element, string items, string count)
    {
        string item = Local("item");
        string index = Local("i");
        _out.OpenBlock("for (int " + index + " = 0; " + index + " < " + items + "." + count + "; " + index + "++)");
        _out.OpenBlock("if (" + index + " > 0)");
        _out.WriteLine("writer.WriteListSeparator();");
        _out.CloseBlock();
        _out.WriteLine("var " + item + " = " + items + "[" + index + "];");
        EmitElement(element, item);
        _out.CloseBlock();
    }

    private void EmitForeachLoop(ValueSpec element, string items)
    {
        string item = Local("item");
        string first = Local("first");
        _out.WriteLine("bool " + first + " = true;");
        _out.OpenBlock("foreach (var " + item + " in " + items + ")");
        _out.OpenBlock("if (!" + first + ")");
        _out.WriteLine("writer.WriteListSeparator();");
        _out.CloseBlock();
        _out.WriteLine(first + " = false;");
        EmitElement(element, item);
        _out.CloseBlock();
    }

    private void EmitElement(ValueSpec element, string item)
    {
        if (element.Kind == ValueKind.String)
        {
            _out.WriteLine("writer.WriteStringValue(" + item + ");");
        }
        else if (element.MayBeNull)
        {
            string present = Local("value");
            _out.OpenBlock("if (" + NotNull(_language, item, element.TypeName, present) + ")");
            EmitScalar(element, name: null, present, named: false);
            _out.CloseBlock();
        }
        else
        {
            EmitScalar(element, name: null, item, named: false);
        }
    }

    /// <summary>One scalar: <c>writer.WriteInt64(name, value)</c>, or <c>writer.WriteInt64Value(value)</c> inside a list.</summary>
    /// <summary>The writer method of a number kind (those that have a formatted-once revenue overload); null for the others.</summary>
    private static string? NumberMethod(ValueKind kind) => kind switch
    {
        ValueKind.Int64 => "Int64",
        ValueKind.UInt64 => "UInt64",
        ValueKind.Double => "Double",
        ValueKind.Single => "Single",
        ValueKind.Decimal => "Decimal",
        _ => null,
    };

    private void EmitScalar(ValueSpec value, string? name, string access, bool named)
    {
        string method = value.Kind switch
        {
            ValueKind.Boolean => "Boolean",
            ValueKind.Int64 => "Int64",
            ValueKind.UInt64 => "UInt64",
            ValueKind.Double => "Double",
            ValueKind.Single => "Single",
            ValueKind.Decimal => "Decimal",
            ValueKind.DateTime => "DateTime",
            ValueKind.DateTimeOffset => "DateTimeOffset",
            ValueKind.DateOnly => "DateOnly",
            ValueKind.Guid => "Guid",
            ValueKind.String => "String",
            _ => "Enum",
        };

        if (value.Kind == ValueKind.Enum)
        {
            EmitEnum(value, name, access, named);
            return;
        }

        _out.WriteLine(named
            ? "writer.Write" + method + "(" + name + ", " + access + ");"
            : "writer.Write" + method + "Value(" + access + ");");
    }

    private void EmitEnum(ValueSpec value, string? name, string access, bool named)
    {
        _out.OpenBlock("switch (" + access + ")");
        foreach (EnumMemberSpec member in value.EnumMembers)
        {
            _out.WriteLine("case " + value.TypeName + "." + Identifier(member.ClrName) + ":");
            string literal = Utf8(Internal.PercentEncoding.Encode(member.WireValue));
            _out.WriteLine("    " + (named ? "writer.WriteEncoded(" + name + ", " + literal + ");" : "writer.WriteEncodedValue(" + literal + ");"));
            _out.WriteLine("    break;");
        }

        // A value no member names (a cast integer, a flags combination) is sent as its number; (long) would make a large ulong negative.
        string number = value.IsUnsignedEnum ? "UInt64" : "Int64";
        string cast = value.IsUnsignedEnum ? "(ulong)" : "(long)";
        _out.WriteLine("default:");
        _out.WriteLine("    " + (named ? "writer.Write" + number + "(" + name + ", " + cast + access + ");" : "writer.Write" + number + "Value(" + cast + access + ");"));
        _out.WriteLine("    break;");
        _out.CloseBlock();
    }

    private string NameExpression(PropertyWrite property) =>
        property.EncodedPrefixedName is { } prefixed
            ? "prefixed ? " + Utf8(prefixed) + " : " + Utf8(property.EncodedName)
            : Utf8(property.EncodedName);

    /// <summary>How many products <paramref name="collection"/> (a local holding the products) has, without allocating where the type allows.</summary>
    internal static string ProductCount(ProductsWrite products, string collection)
    {
        if (!HasCountProperty(products.Collection))
        {
            return "global::System.Linq.Enumerable.Count(" + collection + ")";
        }

        return collection + "." + (products.Collection.Shape == CollectionShape.Array ? "Length" : "Count");
    }

    /// <summary>The product at <paramref name="index"/> of <paramref name="collection"/> (a local holding the products).</summary>
    internal static string ProductAt(ProductsWrite products, string collection, string index) =>
        HasCountProperty(products.Collection)
            ? collection + "[" + index + "]"
            : "global::System.Linq.Enumerable.ElementAt(" + collection + ", " + index + ")";

    private static bool HasCountProperty(ValueSpec collection) => collection.Shape is not (CollectionShape.Foreach or CollectionShape.Enumerable) || collection.TypeName.StartsWith("global::System.Collections.Generic.List<", System.StringComparison.Ordinal);

    private string Local(string hint)
    {
        _locals++;
        string baseName = hint.Length == 0 ? "value" : char.ToLowerInvariant(hint[0]) + hint.Substring(1);
        return "__" + baseName + _locals.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Encoded text as a <c>ReadOnlySpan&lt;byte&gt;</c> expression: a UTF-8 literal from C# 11 (encoded text is ASCII
    /// without quotes or backslashes, so it needs no escaping); below, a property of the names class.
    /// </summary>
    private string Utf8(string encoded)
    {
        if (_language.Utf8Literals)
        {
            return "\"" + encoded + "\"u8";
        }

        if (!_names.TryGetValue(encoded, out string? property))
        {
            property = "N" + _nameOrder.Count.ToString(CultureInfo.InvariantCulture);
            _names.Add(encoded, property);
            _nameOrder.Add(encoded);
        }

        return _namesClass + "." + property;
    }

    /// <summary>
    /// Below C# 11, the texts <see cref="Utf8"/> named, each a static property returning a new array of constants: the
    /// compiler (since C# 7.3) makes that a span over the assembly's static data, so nothing is allocated, as with a
    /// <c>u8</c> literal. Only the property is ever used: a <c>new byte[]</c> at a call site would allocate per call.
    /// </summary>
    private void EmitNamesClass()
    {
        if (_nameOrder.Count == 0)
        {
            return;
        }

        _out.WriteLine();
        _out.WriteLine("/// <summary>The percent-encoded names and values as UTF-8, over static data: nothing is allocated.</summary>");
        _out.WriteLine(GeneratedCode);
        _out.OpenBlock("private static class " + _namesClass);
        foreach (string encoded in _nameOrder)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(encoded);
            string list = string.Join(", ", bytes.Select(b => "0x" + b.ToString("X2", CultureInfo.InvariantCulture)));
            _out.WriteLine("// " + encoded);
            _out.WriteLine("internal static global::System.ReadOnlySpan<byte> " + _names[encoded] + " => new byte[] { " + list + " };");
        }

        _out.CloseBlock();
    }

    /// <summary>
    /// A test that <paramref name="value"/> is not null that also binds it to <paramref name="local"/>: <c>is { } x</c>
    /// from C# 8, below it the type pattern <c>is T x</c> (C# 7.0) with <paramref name="typeName"/>, the value's type
    /// without <c>?</c> (null fails both the same way).
    /// </summary>
    internal static string NotNull(LanguageLevel language, string value, string typeName, string local) =>
        language.PropertyPatterns ? value + " is { } " + local : value + " is " + typeName + " " + local;

    private static string Summary(TypeSpec type) => type.Kind switch
    {
        SpecKind.Event => "Serializes the Kissmetrics event <c>" + Xml(type.EventName!) + "</c>; generated by Kissmetrics.Typed.",
        SpecKind.Traits => "Serializes these traits for Kissmetrics <c>Identify</c>; generated by Kissmetrics.Typed.",
        SpecKind.GroupTraits => "Serializes these group traits for Kissmetrics <c>Group</c>; generated by Kissmetrics.Typed.",
        SpecKind.Page => "Serializes this page view for Kissmetrics; generated by Kissmetrics.Typed.",
        _ => "Serializes this screen view for Kissmetrics; generated by Kissmetrics.Typed.",
    };

    private static string Xml(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            builder.Append(c switch
            {
                '<' => "&lt;",
                '>' => "&gt;",
                '&' => "&amp;",
                '\r' or '\n' => " ",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }

    /// <summary>A member name as C# source: <c>@event</c> for a member named with a keyword.</summary>
    internal static string Identifier(string name) =>
        Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? "@" + name : name;
}
