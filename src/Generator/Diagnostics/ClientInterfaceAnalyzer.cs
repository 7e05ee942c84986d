using System;
using System.Collections.Immutable;
using System.Linq;
using Kissmetrics.Typed.Generator.Model;
using Kissmetrics.Typed.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kissmetrics.Typed.Generator.Diagnostics;

/// <summary>
/// KM025: a <c>[KissmetricsClient]</c> class whose interface (<c>I</c> + its name) only the generator declares, in a
/// project where ASP.NET Core's request delegate generator runs. Generators never see each other's output, so the
/// code the request delegate generator writes for <c>app.MapPost("/signup", (IShopAnalytics analytics) => ...)</c>
/// fails with CS0246. A declaration in the user's code is seen by both; the generator fills it.
/// </summary>
/// <remarks>
/// Reported only where <c>build_property.EnableRequestDelegateGenerator</c> is <c>true</c> (the Web SDK sets it under
/// <c>PublishAot</c>; a project may set it itself), not in every Web SDK project: without the request delegate generator
/// minimal APIs bind handlers at run time by reflection, which sees the generated interface, so the warning would ask
/// for a change that fixes nothing. It appears the moment AOT is turned on, on the line to change.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ClientInterfaceAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The MSBuild property, as analyzers see it (a <c>CompilerVisibleProperty</c> of the package's props).</summary>
    public const string RequestDelegateGeneratorProperty = "build_property.EnableRequestDelegateGenerator";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.UndeclaredClientInterface);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName(KnownAttributes.Client) is not { } clientAttribute ||
                !start.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(RequestDelegateGeneratorProperty, out string? value) ||
                !string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            start.RegisterSymbolAction(symbol => Analyze(symbol, clientAttribute), SymbolKind.NamedType);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol clientAttribute)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        // Only a class the generator writes a client for (partial, not generic, ...): the others get KM001 and no interface.
        if (type.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, clientAttribute)) is not { } attribute ||
            ClientSpecParser.Parse(type, attribute) is not { } client ||
            UserDeclaresInterface(type))
        {
            return;
        }

        string interfaceName = client.InterfaceName;
        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.UndeclaredClientInterface,
            TypeAnalysis.TypeLocation(type),
            interfaceName,
            Declaration(type, interfaceName),
            type.Name));
    }

    /// <summary>
    /// Whether a declaration of the interface is in a file other than the generator's output. In a build the
    /// compilation the analyzers see holds the generated file too, so "the interface exists" is always true there.
    /// </summary>
    private static bool UserDeclaresInterface(INamedTypeSymbol type) =>
        ClientSpecParser.DeclaredInterface(type) is { } declared &&
        declared.DeclaringSyntaxReferences.Any(r => !r.SyntaxTree.FilePath.EndsWith(ClientSpec.HintSuffix, StringComparison.Ordinal));

    /// <summary>What the fix adds: the class's accessibility, so the interface is as visible as the class that implements it.</summary>
    internal static string Declaration(INamedTypeSymbol type, string interfaceName)
    {
        string accessibility = SyntaxFacts.GetText(type.DeclaredAccessibility);
        return (accessibility.Length == 0 ? string.Empty : accessibility + " ") + "partial interface " + interfaceName;
    }
}
