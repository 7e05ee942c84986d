using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kissmetrics.Typed.CodeFixes;

/// <summary>The small syntax edits the fixes share: find the member a diagnostic is on, add an attribute to it.</summary>
internal static class SyntaxEdits
{
    /// <summary>The positional record parameter or the property a member diagnostic is located on.</summary>
    public static SyntaxNode? FindMember(SyntaxNode root, Microsoft.CodeAnalysis.Text.TextSpan span) =>
        root.FindToken(span.Start).Parent?.AncestorsAndSelf().FirstOrDefault(n => n is ParameterSyntax or PropertyDeclarationSyntax);

    /// <summary>The attribute lists of a parameter or property.</summary>
    public static SyntaxList<AttributeListSyntax> AttributeLists(SyntaxNode member) => member switch
    {
        ParameterSyntax parameter => parameter.AttributeLists,
        PropertyDeclarationSyntax property => property.AttributeLists,
        _ => default,
    };

    /// <summary>
    /// The name to write for a runtime attribute at <paramref name="position"/>: the short one when
    /// <c>Kissmetrics.Typed</c> is in scope there, else the qualified one.
    /// </summary>
    public static NameSyntax AttributeName(SemanticModel model, int position, string shortName)
    {
        string metadataName = "Kissmetrics.Typed." + shortName + "Attribute";
        INamedTypeSymbol? expected = model.Compilation.GetTypeByMetadataName(metadataName);
        ITypeSymbol? bound = model.GetSpeculativeTypeInfo(position, SyntaxFactory.ParseTypeName(shortName + "Attribute"), SpeculativeBindingOption.BindAsTypeOrNamespace).Type;
        return expected is not null && SymbolEqualityComparer.Default.Equals(bound, expected)
            ? SyntaxFactory.IdentifierName(shortName)
            : SyntaxFactory.ParseName("Kissmetrics.Typed." + shortName);
    }

    /// <summary>
    /// <paramref name="member"/> with <paramref name="attribute"/> added: into its first attribute list without a
    /// target (<c>[A, New]</c>), or as a new list (on the parameter's line; on its own line above a property).
    /// </summary>
    public static SyntaxNode AddAttribute(SyntaxNode member, AttributeSyntax attribute)
    {
        SyntaxList<AttributeListSyntax> lists = AttributeLists(member);
        AttributeListSyntax? targetless = lists.FirstOrDefault(l => l.Target is null);
        if (targetless is not null)
        {
            var separators = new List<SyntaxToken>(targetless.Attributes.GetSeparators())
            {
                SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space),
            };
            AttributeListSyntax extended = targetless.WithAttributes(SyntaxFactory.SeparatedList(targetless.Attributes.Append(attribute), separators));
            return member.ReplaceNode(targetless, extended);
        }

        SyntaxTriviaList leading = member.GetLeadingTrivia();
        SyntaxNode stripped = member.WithoutLeadingTrivia();
        AttributeListSyntax list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(attribute)).WithLeadingTrivia(leading);
        switch (stripped)
        {
            case ParameterSyntax parameter:
                return parameter.WithAttributeLists(parameter.AttributeLists.Insert(0, list.WithTrailingTrivia(SyntaxFactory.Space)));
            case PropertyDeclarationSyntax property:
                SyntaxTrivia newLine = EndOfLine(member);
                SyntaxTriviaList indentation = leading.Count > 0 && leading.Last().IsKind(SyntaxKind.WhitespaceTrivia)
                    ? SyntaxFactory.TriviaList(leading.Last())
                    : SyntaxFactory.TriviaList();
                property = property.WithAttributeLists(property.AttributeLists.Insert(0, list.WithTrailingTrivia(newLine)));
                // The token after the new list starts the next line, indented like the property was.
                SyntaxToken next = property.AttributeLists[0].GetLastToken().GetNextToken();
                return property.ReplaceToken(next, next.WithLeadingTrivia(indentation));
            default:
                return member;
        }
    }

    /// <summary>The document's line ending (<c>\n</c> when it has none yet).</summary>
    public static SyntaxTrivia EndOfLine(SyntaxNode node)
    {
        foreach (SyntaxTrivia trivia in node.SyntaxTree.GetRoot().DescendantTrivia())
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return trivia;
            }
        }

        return SyntaxFactory.LineFeed;
    }

    /// <summary>A C# string literal of <paramref name="value"/>.</summary>
    public static LiteralExpressionSyntax StringLiteral(string value) =>
        SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(value));
}
