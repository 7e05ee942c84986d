using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Kissmetrics.Typed.Generator.Tests.Infrastructure;

/// <summary>
/// What a test needs to drive Fix All by hand, as <c>dotnet format</c> does: a one-document workspace compiled like
/// <see cref="TestCompilation"/>, and a diagnostic provider that hands over diagnostics computed beforehand.
/// </summary>
public static class FixAllHarness
{
    /// <summary>A project <c>Shop</c> with one document <c>Shop.cs</c> holding <paramref name="source"/>.</summary>
    public static Document CreateDocument(string source)
    {
        var workspace = new AdhocWorkspace();
        ProjectId projectId = ProjectId.CreateNewId();
        Solution solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(projectId, VersionStamp.Default, "Shop", "Shop", LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: TestCompilation.ParseOptions(),
                metadataReferences: TestCompilation.References))
            .AddDocument(DocumentId.CreateNewId(projectId), "Shop.cs", SourceText.From(source));
        return solution.Projects.Single().Documents.Single();
    }

    /// <summary>Hands Fix All the given diagnostics for the document and the solution (the project has none of its own).</summary>
    public sealed class FixedDiagnostics : FixAllContext.DiagnosticProvider
    {
        private readonly ImmutableArray<Diagnostic> _diagnostics;

        /// <summary>Serves <paramref name="diagnostics"/>.</summary>
        public FixedDiagnostics(ImmutableArray<Diagnostic> diagnostics) => _diagnostics = diagnostics;

        /// <inheritdoc />
        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);

        /// <inheritdoc />
        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(ImmutableArray<Diagnostic>.Empty);

        /// <inheritdoc />
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);
    }
}
