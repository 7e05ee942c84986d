using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using Kissmetrics.Typed.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kissmetrics.Typed.CodeFixes;

/// <summary>
/// KM008, KM009, KM010: says the mapping is intended by adding <c>[KissmetricsFlatten]</c>, <c>[KissmetricsJoin]</c>
/// or <c>[KissmetricsRevenue]</c> to the member (to a positional record parameter without a target).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AcknowledgeCodeFix)), Shared]
public sealed class AcknowledgeCodeFix : KissmetricsCodeFix
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.Flattened.Id,
        DiagnosticDescriptors.Joined.Id,
        DiagnosticDescriptors.ImplicitRevenue.Id);

    /// <inheritdoc />
    protected override PlannedEdit? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        string? attribute = AttributeFor(diagnostic.Id);
        SyntaxNode? member = SyntaxEdits.FindMember(root, diagnostic.Location.SourceSpan);
        if (attribute is null || member is null)
        {
            return null;
        }

        AttributeSyntax syntax = SyntaxFactory.Attribute(SyntaxEdits.AttributeName(model, member.SpanStart, attribute));
        return new PlannedEdit(
            member,
            current => SyntaxEdits.AddAttribute(current, syntax),
            "Add [" + attribute + "]",
            nameof(AcknowledgeCodeFix) + "." + attribute);
    }

    private static string? AttributeFor(string id) =>
        id == DiagnosticDescriptors.Flattened.Id ? "KissmetricsFlatten" :
        id == DiagnosticDescriptors.Joined.Id ? "KissmetricsJoin" :
        id == DiagnosticDescriptors.ImplicitRevenue.Id ? "KissmetricsRevenue" :
        null;
}
