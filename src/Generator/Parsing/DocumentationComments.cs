using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;

namespace Kissmetrics.Typed.Generator.Parsing;

/// <summary>
/// The text of one symbol's XML documentation, so the typed client and the plan carry the record's docs. The XML is read
/// and parsed once per symbol (a record documents every positional parameter on the type, so the type's docs are asked
/// for once per parameter): a parse costs an <c>XmlReader</c> and a tree, and the annotated types of a project all carry
/// at least the summary of their generated partial declaration wherever the generator's output is in the compilation.
/// </summary>
internal sealed class DocumentationComments
{
    /// <summary>No documentation: what a symbol without docs has, and what the parser uses when docs are not wanted.</summary>
    public static DocumentationComments None { get; } = new(summary: null, parameters: null);

    private readonly string? _summary;
    private readonly Dictionary<string, string?>? _parameters;

    private DocumentationComments(string? summary, Dictionary<string, string?>? parameters)
    {
        _summary = summary;
        _parameters = parameters;
    }

    /// <summary>The <c>&lt;summary&gt;</c> text, on one line; <see langword="null"/> when there is none.</summary>
    public string? Summary => _summary;

    /// <summary>The <c>&lt;param name="..."&gt;</c> text of a positional parameter (records document them on the type).</summary>
    public string? Parameter(string parameterName) =>
        _parameters is not null && _parameters.TryGetValue(parameterName, out string? text) ? text : null;

    /// <summary>Reads and parses the documentation of <paramref name="symbol"/> once.</summary>
    public static DocumentationComments Of(ISymbol symbol)
    {
        string? xml = symbol.GetDocumentationCommentXml(expandIncludes: false);
        if (string.IsNullOrWhiteSpace(xml))
        {
            return None;
        }

        try
        {
            XElement root = XElement.Parse(xml!.Trim().StartsWith("<member", StringComparison.Ordinal) ? xml : "<member>" + xml + "</member>", LoadOptions.None);
            XElement? summary = root.Elements("summary").FirstOrDefault();
            Dictionary<string, string?>? parameters = null;
            foreach (XElement parameter in root.Elements("param"))
            {
                if ((string?)parameter.Attribute("name") is not { } name)
                {
                    continue;
                }

                // The first element of a name wins.
                parameters ??= new Dictionary<string, string?>(StringComparer.Ordinal);
                if (!parameters.ContainsKey(name))
                {
                    parameters.Add(name, Flatten(parameter));
                }
            }

            return summary is null && parameters is null ? None : new DocumentationComments(summary is null ? null : Flatten(summary), parameters);
        }
        catch (XmlException)
        {
            return None; // malformed docs are the compiler's to report (CS1570), not ours
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
