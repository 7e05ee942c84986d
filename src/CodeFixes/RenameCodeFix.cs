using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using Kissmetrics.Typed.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kissmetrics.Typed.CodeFixes;

/// <summary>
/// KM003 and KM011: sends the member under the name the analyzer proposes (leading <c>_</c> removed; <c>,</c> and
/// <c>:</c> turned into spaces, as Kissmetrics would store it) through <c>[KissmetricsProperty("...")]</c>, changing
/// the argument of an existing one. On an event, page or screen name it changes the name itself.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RenameCodeFix)), Shared]
public sealed class RenameCodeFix : KissmetricsCodeFix
{
    private const string PropertyAttribute = "KissmetricsProperty";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.ReservedName.Id,
        DiagnosticDescriptors.Separator.Id);

    /// <inheritdoc />
    protected override PlannedEdit? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(DiagnosticDescriptors.SuggestedNameKey, out string? name) || string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        string equivalenceKey = nameof(RenameCodeFix) + "." + diagnostic.Id;
        LiteralExpressionSyntax literal = SyntaxEdits.StringLiteral(name!);
        SyntaxNode? node = root.FindNode(diagnostic.Location.SourceSpan);
        if (node?.AncestorsAndSelf().OfType<AttributeArgumentSyntax>().FirstOrDefault() is { } argument)
        {
            return new PlannedEdit(argument.Expression, current => literal.WithTriviaFrom(current), "Rename to '" + name + "'", equivalenceKey);
        }

        if (SyntaxEdits.FindMember(root, diagnostic.Location.SourceSpan) is not { } member)
        {
            return null;
        }

        // An existing [KissmetricsProperty("...")] gets the new name as its argument; otherwise one is added.
        INamedTypeSymbol? propertyAttribute = model.Compilation.GetTypeByMetadataName("Kissmetrics.Typed." + PropertyAttribute + "Attribute");
        AttributeSyntax? existing = SyntaxEdits.AttributeLists(member)
            .SelectMany(list => list.Attributes)
            .FirstOrDefault(a => a.ArgumentList?.Arguments.Count > 0 &&
                SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(a, cancellationToken).Symbol?.ContainingType, propertyAttribute));
        string title = "Send as '" + name + "' with [" + PropertyAttribute + "]";
        if (existing is not null)
        {
            return new PlannedEdit(existing.ArgumentList!.Arguments[0].Expression, current => literal.WithTriviaFrom(current), title, equivalenceKey);
        }

        AttributeSyntax attribute = SyntaxFactory.Attribute(
            SyntaxEdits.AttributeName(model, member.SpanStart, PropertyAttribute),
            SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.AttributeArgument(literal))));
        return new PlannedEdit(member, current => SyntaxEdits.AddAttribute(current, attribute), title, equivalenceKey);
    }
}
