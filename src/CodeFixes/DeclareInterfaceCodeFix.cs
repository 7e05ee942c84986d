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
/// KM025: declares the typed client's interface right after its class (<c>public partial interface IShopAnalytics;</c>,
/// with the class's accessibility, and <c>{ }</c> instead of <c>;</c> when the class has a body, which C# before 12
/// needs), so that ASP.NET Core's request delegate generator can name it. The edit replaces the class's parent (its
/// namespace, containing type or file), finding the class again by name, so Fix All of two clients in one namespace
/// composes.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DeclareInterfaceCodeFix)), Shared]
public sealed class DeclareInterfaceCodeFix : KissmetricsCodeFix
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.UndeclaredClientInterface.Id);

    /// <inheritdoc />
    protected override PlannedEdit? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        ClassDeclarationSyntax? declaration = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.AncestorsAndSelf().OfType<ClassDeclarationSyntax>().FirstOrDefault();
        if (declaration?.Parent is not { } parent || !HasMembers(parent) || model.GetDeclaredSymbol(declaration, cancellationToken) is not { } type)
        {
            return null;
        }

        string className = declaration.Identifier.ValueText;
        string interfaceName = "I" + type.Name;
        bool semicolonBody = declaration.OpenBraceToken.IsKind(SyntaxKind.None) && declaration.SemicolonToken.IsKind(SyntaxKind.SemicolonToken);
        string text = ClientInterfaceAnalyzer.Declaration(type, interfaceName) + (semicolonBody ? ";" : " { }");
        return new PlannedEdit(
            parent,
            current => Insert(current, className, interfaceName, text),
            "Declare '" + interfaceName + "'",
            nameof(DeclareInterfaceCodeFix));
    }

    private static SyntaxNode Insert(SyntaxNode parent, string className, string interfaceName, string text)
    {
        SyntaxList<MemberDeclarationSyntax> members = Members(parent);
        if (members.OfType<InterfaceDeclarationSyntax>().Any(i => i.Identifier.ValueText == interfaceName))
        {
            return parent; // declared already (the same class reported twice, or a part of it in another list)
        }

        ClassDeclarationSyntax? client = members.OfType<ClassDeclarationSyntax>().FirstOrDefault(c => c.Identifier.ValueText == className && IsClient(c))
            ?? members.OfType<ClassDeclarationSyntax>().FirstOrDefault(c => c.Identifier.ValueText == className);
        if (client is null)
        {
            return parent;
        }

        SyntaxTrivia newLine = SyntaxEdits.EndOfLine(client);
        SyntaxTriviaList leading = client.GetLeadingTrivia();
        SyntaxTriviaList indentation = leading.Count > 0 && leading.Last().IsKind(SyntaxKind.WhitespaceTrivia) ? SyntaxFactory.TriviaList(leading.Last()) : SyntaxFactory.TriviaList();
        SyntaxTriviaList trailing = SyntaxFactory.TriviaList(newLine);
        if (!client.GetTrailingTrivia().Any(SyntaxKind.EndOfLineTrivia))
        {
            // The class ends the file without a line break: so does the declaration after it.
            indentation = indentation.Insert(0, newLine);
            trailing = SyntaxFactory.TriviaList();
        }

        MemberDeclarationSyntax added = SyntaxFactory.ParseMemberDeclaration(text)!
            .WithLeadingTrivia(indentation)
            .WithTrailingTrivia(trailing);
        return WithMembers(parent, members.Insert(members.IndexOf(client) + 1, added));
    }

    private static bool IsClient(ClassDeclarationSyntax declaration) =>
        declaration.AttributeLists.SelectMany(l => l.Attributes).Any(a =>
            (a.Name is QualifiedNameSyntax qualified ? qualified.Right : a.Name) is IdentifierNameSyntax { Identifier.ValueText: "KissmetricsClient" or "KissmetricsClientAttribute" });

    private static bool HasMembers(SyntaxNode node) => node is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax;

    private static SyntaxList<MemberDeclarationSyntax> Members(SyntaxNode node) => node switch
    {
        CompilationUnitSyntax unit => unit.Members,
        BaseNamespaceDeclarationSyntax ns => ns.Members,
        TypeDeclarationSyntax type => type.Members,
        _ => default,
    };

    private static SyntaxNode WithMembers(SyntaxNode node, SyntaxList<MemberDeclarationSyntax> members) => node switch
    {
        CompilationUnitSyntax unit => unit.WithMembers(members),
        BaseNamespaceDeclarationSyntax ns => ns.WithMembers(members),
        TypeDeclarationSyntax type => type.WithMembers(members),
        _ => node,
    };
}
