using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
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
public sealed class RenameCodeFix : CodeFixProvider
{
    private const string PropertyAttribute = "KissmetricsProperty";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.ReservedName.Id,
        DiagnosticDescriptors.Separator.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(DiagnosticDescriptors.SuggestedNameKey, out string? name) || string.IsNullOrWhiteSpace(name))
            {
                continue;
            }

            string equivalenceKey = nameof(RenameCodeFix) + "." + diagnostic.Id;
            SyntaxNode? node = root.FindNode(diagnostic.Location.SourceSpan);
            if (node?.AncestorsAndSelf().OfType<AttributeArgumentSyntax>().FirstOrDefault() is { } argument)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Rename to '" + name + "'",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(argument.Expression, SyntaxEdits.StringLiteral(name!).WithTriviaFrom(argument.Expression)))),
                        equivalenceKey),
                    diagnostic);
            }
            else if (SyntaxEdits.FindMember(root, diagnostic.Location.SourceSpan) is { } member)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Send as '" + name + "' with [" + PropertyAttribute + "]",
                        cancellationToken => RenameAsync(context.Document, root, member, name!, cancellationToken),
                        equivalenceKey),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> RenameAsync(Document document, SyntaxNode root, SyntaxNode member, string name, CancellationToken cancellationToken)
    {
        SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null)
        {
            return document;
        }

        INamedTypeSymbol? propertyAttribute = model.Compilation.GetTypeByMetadataName("Kissmetrics.Typed." + PropertyAttribute + "Attribute");
        AttributeSyntax? existing = SyntaxEdits.AttributeLists(member)
            .SelectMany(list => list.Attributes)
            .FirstOrDefault(a => a.ArgumentList?.Arguments.Count > 0 &&
                SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(a, cancellationToken).Symbol?.ContainingType, propertyAttribute));
        if (existing is not null)
        {
            ExpressionSyntax old = existing.ArgumentList!.Arguments[0].Expression;
            return document.WithSyntaxRoot(root.ReplaceNode(old, SyntaxEdits.StringLiteral(name).WithTriviaFrom(old)));
        }

        AttributeSyntax attribute = SyntaxFactory.Attribute(
            SyntaxEdits.AttributeName(model, member.SpanStart, PropertyAttribute),
            SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.AttributeArgument(SyntaxEdits.StringLiteral(name)))));
        return document.WithSyntaxRoot(root.ReplaceNode(member, SyntaxEdits.AddAttribute(member, attribute)));
    }
}
