using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Kissmetrics.Typed.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Kissmetrics.Typed.Generator.Diagnostics;

/// <summary>
/// KM020 (off by default): an event type is declared but never tracked anywhere in the compilation. Counted from
/// operations, not text: an event is tracked when user code creates one (<c>new SignedUp(...)</c>, <c>new(...)</c>),
/// calls a method with a parameter of its type (<c>client.Track(person, e)</c> through a helper, the typed client's
/// record overload), or calls a generated typed-client method whose body creates one (directly, or through the
/// generated interface it implements, as app code does with a mock). Generated code alone never counts: the typed
/// client creates every event, so its methods count only where user code calls them.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EventCoverageAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.NeverTracked);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        // Generated code is analyzed only to learn which events each generated typed-client method creates.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName(KnownAttributes.Event) is not { } eventAttribute)
            {
                return;
            }

            var declared = new ConcurrentDictionary<INamedTypeSymbol, bool>(SymbolEqualityComparer.Default);
            var tracked = new ConcurrentDictionary<ITypeSymbol, bool>(SymbolEqualityComparer.Default);
            var called = new ConcurrentDictionary<IMethodSymbol, bool>(SymbolEqualityComparer.Default);
            var generatedCreations = new ConcurrentBag<(IMethodSymbol Method, ITypeSymbol Event)>();

            start.RegisterSymbolAction(
                symbol =>
                {
                    var type = (INamedTypeSymbol)symbol.Symbol;
                    if (!symbol.IsGeneratedCode && type.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, eventAttribute)))
                    {
                        declared[type] = true;
                    }
                },
                SymbolKind.NamedType);

            start.RegisterOperationAction(
                operation =>
                {
                    var creation = (IObjectCreationOperation)operation.Operation;
                    if (creation.Type is not INamedTypeSymbol created)
                    {
                        return;
                    }

                    if (!operation.IsGeneratedCode)
                    {
                        tracked[created.OriginalDefinition] = true;
                    }
                    else if (operation.ContainingSymbol is IMethodSymbol method)
                    {
                        generatedCreations.Add((method.OriginalDefinition, created.OriginalDefinition));
                    }
                },
                OperationKind.ObjectCreation);

            start.RegisterOperationAction(
                operation =>
                {
                    if (operation.IsGeneratedCode)
                    {
                        return;
                    }

                    IMethodSymbol method = ((IInvocationOperation)operation.Operation).TargetMethod;
                    called[method.OriginalDefinition] = true;
                    foreach (IParameterSymbol parameter in method.Parameters)
                    {
                        tracked[parameter.Type.OriginalDefinition] = true;
                    }
                },
                OperationKind.Invocation);

            start.RegisterCompilationEndAction(end =>
            {
                foreach ((IMethodSymbol method, ITypeSymbol created) in generatedCreations)
                {
                    if (called.ContainsKey(method) || ImplementedInterfaceMethods(method).Any(called.ContainsKey))
                    {
                        tracked[created] = true;
                    }
                }

                foreach (INamedTypeSymbol type in declared.Keys
                    .Where(t => !tracked.ContainsKey(t))
                    .OrderBy(t => t.ToDisplayString(), System.StringComparer.Ordinal))
                {
                    string name = type.GetAttributes()
                        .Where(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, eventAttribute))
                        .Select(a => a.ConstructorArguments.Length == 1 ? a.ConstructorArguments[0].Value as string : null)
                        .FirstOrDefault() ?? string.Empty;
                    end.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.NeverTracked,
                        TypeAnalysis.TypeLocation(type),
                        type.ToDisplayString(TypeAnalysis.TypeNameFormat),
                        name));
                }
            });
        });
    }

    /// <summary>The interface methods <paramref name="method"/> implements (the generated <c>IShopAnalytics</c>'s, for a typed-client method).</summary>
    private static IEnumerable<IMethodSymbol> ImplementedInterfaceMethods(IMethodSymbol method)
    {
        INamedTypeSymbol type = method.ContainingType;
        foreach (INamedTypeSymbol @interface in type.AllInterfaces)
        {
            foreach (IMethodSymbol member in @interface.GetMembers(method.Name).OfType<IMethodSymbol>())
            {
                if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), method))
                {
                    yield return member.OriginalDefinition;
                }
            }
        }
    }
}
