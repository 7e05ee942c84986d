using System;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;

namespace Kissmetrics.Typed.Generator.Parsing;

/// <summary>Reads the text of a symbol's XML documentation, so the typed client and the plan carry the record's docs.</summary>
internal static class DocumentationComments
{
    /// <summary>The <c>&lt;summary&gt;</c> text of <paramref name="symbol"/>, on one line; <see langword="null"/> when there is none.</summary>
    public static string? Summary(ISymbol symbol) => Element(symbol, "summary", name: null);

    /// <summary>The <c>&lt;param name="..."&gt;</c> text of a type's positional parameter (records document them on the type).</summary>
    public static string? Parameter(ISymbol type, string parameterName) => Element(type, "param", parameterName);

    private static string? Element(ISymbol symbol, string elementName, string? name)
    {
        string? xml = symbol.GetDocumentationCommentXml(expandIncludes: false);
        if (string.IsNullOrWhiteSpace(xml))
        {
            return null;
        }

        try
        {
            XElement root = XElement.Parse(xml!.Trim().StartsWith("<member", StringComparison.Ordinal) ? xml : "<member>" + xml + "</member>", LoadOptions.None);
            XElement? element = root.Elements(elementName).FirstOrDefault(e => name is null || (string?)e.Attribute("name") == name);
            return element is null ? null : Flatten(element);
        }
        catch (XmlException)
        {
            return null; // malformed docs are the compiler's to report (CS1570), not ours
        }
    }

    // <see cref="T:Ns.Type"/> becomes "Type", <c>x</c> becomes "x"; whitespace collapses to single spaces.
    private static string? Flatten(XElement element)
    {
        var text = new StringBuilder();
        foreach (XNode node in element.Nodes())
        {
            switch (node)
            {
                case XText t:
                    text.Append(t.Value);
                    break;
                case XElement { Name.LocalName: "see" or "seealso" } see:
                    string reference = (string?)see.Attribute("cref") ?? (string?)see.Attribute("langword") ?? (string?)see.Attribute("href") ?? see.Value;
                    int colon = reference.IndexOf(':');
                    reference = colon >= 0 ? reference.Substring(colon + 1) : reference;
                    text.Append(reference.Split('.').Last());
                    break;
                case XElement { Name.LocalName: "paramref" or "typeparamref" } paramRef:
                    text.Append((string?)paramRef.Attribute("name"));
                    break;
                case XElement other:
                    text.Append(Flatten(other));
                    break;
            }
        }

        string collapsed = string.Join(" ", text.ToString().Split(new[] { ' ', '\t', '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries));
        return collapsed.Length == 0 ? null : collapsed;
    }
}
