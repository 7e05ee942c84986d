using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;

namespace Kissmetrics.Typed.CodeFixes;

/// <summary>
/// KM008, KM009, KM010: says the mapping is intended by adding <c>[KissmetricsFlatten]</c>, <c>[KissmetricsJoin]</c>
/// or <c>[KissmetricsRevenue]</c> to the member (to a positional record parameter without a target).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AcknowledgeCodeFix)), Shared]
public sealed class AcknowledgeCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.Flattened.Id,
        DiagnosticDescriptors.Joined.Id,
        DiagnosticDescriptors.ImplicitRevenue.Id);

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
            string? attribute = AttributeFor(diagnostic.Id);
            SyntaxNode? member = SyntaxEdits.FindMember(root, diagnostic.Location.SourceSpan);
            if (attribute is null || member is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Add [" + attribute + "]",
                    cancellationToken => AddAsync(context.Document, root, member, attribute, cancellationToken),
                    equivalenceKey: nameof(AcknowledgeCodeFix) + "." + attribute),
                diagnostic);
        }
    }

    private static string? AttributeFor(string id) =>
        id == DiagnosticDescriptors.Flattened.Id ? "KissmetricsFlatten" :
        id == DiagnosticDescriptors.Joined.Id ? "KissmetricsJoin" :
        id == DiagnosticDescriptors.ImplicitRevenue.Id ? "KissmetricsRevenue" :
        null;

    private static async Task<Document> AddAsync(Document document, SyntaxNode root, SyntaxNode member, string attribute, CancellationToken cancellationToken)
    {
        SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null)
        {
            return document;
        }

        var syntax = SyntaxFactory.Attribute(SyntaxEdits.AttributeName(model, member.SpanStart, attribute));
        return document.WithSyntaxRoot(root.ReplaceNode(member, SyntaxEdits.AddAttribute(member, syntax)));
    }
}
