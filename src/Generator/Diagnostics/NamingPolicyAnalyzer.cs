using System.Collections.Immutable;
using Kissmetrics.Typed.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kissmetrics.Typed.Generator.Diagnostics;

/// <summary>
/// KM024: the MSBuild property <c>KissmetricsNamingPolicy</c> holds a value <see cref="NamingPolicies.TryParse"/> does
/// not know. The generator then sends names as declared (it never reports), so without this warning a typo such as
/// <c>snake-cse</c> would silently change every property name. Reported once per project, without a location (the
/// value lives in the project file, which no compiler location can point at), and only where the runtime is
/// referenced, since nothing else reads the property.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NamingPolicyAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.UnknownNamingPolicy);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationAction(compilation =>
        {
            if (compilation.Compilation.GetTypeByMetadataName(KnownAttributes.Event) is null ||
                !compilation.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(NamingPolicies.BuildProperty, out string? value) ||
                NamingPolicies.TryParse(value, out _))
            {
                return;
            }

            compilation.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnknownNamingPolicy, Location.None, value.Trim(), NamingPolicies.AcceptedValues));
        });
    }
}
