using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;

namespace Kissmetrics.Typed.CodeFixes;

/// <summary>
/// What every fix of this package shares: a diagnostic is turned into one <see cref="PlannedEdit"/> (a node of the
/// document as it is, and a pure function from the current version of that node to its replacement), and the same
/// plan serves the single fix and Fix All.
/// </summary>
/// <remarks>
/// Why not <see cref="WellKnownFixAllProviders.BatchFixer"/>: it keeps only the fixes whose equivalence key equals the
/// one of the action Fix All was started from, and a fixer that serves several ids (KM008/KM009/KM010 add different
/// attributes) has one key per id. <c>dotnet format --diagnostics KM008 KM009 KM010</c> starts Fix All from whichever
/// diagnostic it meets first, so it fixed a random subset and printed "didn't return a Fix All action" for the rest.
/// It also merges text changes computed one by one, which drops one of two edits to the same member. Here Fix All
/// fixes every diagnostic of the ids it is given, whatever action it started from, applying all edits of a document
/// to one syntax editor in document order: deterministic, and edits to the same member compose.
/// </remarks>
public abstract class KissmetricsCodeFix : CodeFixProvider
{
    /// <summary>
    /// The edit that fixes <paramref name="diagnostic"/>, or <see langword="null"/> when there is none. Everything that
    /// needs the semantic model is read here, from the document as it is; <see cref="PlannedEdit.Apply"/> only rewrites.
    /// </summary>
    protected abstract PlannedEdit? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken);

    /// <inheritdoc />
    public sealed override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(
        FixDocumentAsync,
        ImmutableArray.Create(FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution));

    /// <inheritdoc />
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (Plan(root, model, diagnostic, context.CancellationToken) is not { } edit)
            {
                continue;
            }

            Document document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create(
                    edit.Title,
                    _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(edit.Target, edit.Apply(edit.Target)))),
                    edit.EquivalenceKey),
                diagnostic);
        }
    }

    private async Task<Document?> FixDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || diagnostics.IsEmpty)
        {
            return document;
        }

        DocumentEditor editor = await DocumentEditor.CreateAsync(document, context.CancellationToken).ConfigureAwait(false);
        bool changed = false;
        foreach (Diagnostic diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal))
        {
            if (Plan(root, model, diagnostic, context.CancellationToken) is { } edit)
            {
                // The editor hands over the node as the earlier edits left it, so two fixes of one member compose.
                editor.ReplaceNode(edit.Target, (current, _) => edit.Apply(current));
                changed = true;
            }
        }

        return changed ? editor.GetChangedDocument() : document;
    }
}

/// <summary>One fix: the node it replaces, how, and the action's title and equivalence key.</summary>
public sealed class PlannedEdit
{
    /// <summary>Creates the edit.</summary>
    /// <param name="target">The node of the unchanged document that is replaced.</param>
    /// <param name="apply">From the current version of <paramref name="target"/> to its replacement; no semantic model.</param>
    /// <param name="title">The code action's title.</param>
    /// <param name="equivalenceKey">The code action's equivalence key.</param>
    public PlannedEdit(SyntaxNode target, Func<SyntaxNode, SyntaxNode> apply, string title, string equivalenceKey)
    {
        Target = target;
        Apply = apply;
        Title = title;
        EquivalenceKey = equivalenceKey;
    }

    /// <summary>The node of the unchanged document that is replaced.</summary>
    public SyntaxNode Target { get; }

    /// <summary>From the current version of <see cref="Target"/> to its replacement.</summary>
    public Func<SyntaxNode, SyntaxNode> Apply { get; }

    /// <summary>The code action's title.</summary>
    public string Title { get; }

    /// <summary>The code action's equivalence key.</summary>
    public string EquivalenceKey { get; }
}
