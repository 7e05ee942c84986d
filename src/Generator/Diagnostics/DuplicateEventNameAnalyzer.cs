using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Kissmetrics.Typed.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kissmetrics.Typed.Generator.Diagnostics;

/// <summary>
/// KM013: two event types of one compilation send the same event name, ignoring case. The only rule that needs
/// the whole compilation: event types are collected by a symbol action and compared when the compilation ends.
/// Every declaration after the first (in source order) is reported, naming the first.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DuplicateEventNameAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.DuplicateEventName);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName(KnownAttributes.Event) is not { } eventAttribute)
            {
                return;
            }

            var events = new ConcurrentBag<EventDeclaration>();
            start.RegisterSymbolAction(
                symbol =>
                {
                    var type = (INamedTypeSymbol)symbol.Symbol;
                    foreach (AttributeData attribute in type.GetAttributes())
                    {
                        if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, eventAttribute) &&
                            attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string name &&
                            !string.IsNullOrWhiteSpace(name))
                        {
                            Location location = TypeAnalysis.ArgumentLocation(attribute, AttributeArgument.Name, symbol.CancellationToken) ?? TypeAnalysis.TypeLocation(type);
                            events.Add(new EventDeclaration(type, name, location));
                        }
                    }
                },
                SymbolKind.NamedType);

            start.RegisterCompilationEndAction(end =>
            {
                foreach (IGrouping<string, EventDeclaration> group in events.GroupBy(e => e.Name, StringComparer.OrdinalIgnoreCase))
                {
                    EventDeclaration[] ordered = group
                        .OrderBy(e => e.Location.SourceTree?.FilePath ?? string.Empty, StringComparer.Ordinal)
                        .ThenBy(e => e.Location.SourceSpan.Start)
                        .ToArray();
                    for (int i = 1; i < ordered.Length; i++)
                    {
                        end.ReportDiagnostic(Diagnostic.Create(
                            DiagnosticDescriptors.DuplicateEventName,
                            ordered[i].Location,
                            ordered[i].Type.ToDisplayString(TypeAnalysis.TypeNameFormat),
                            ordered[i].Name,
                            ordered[0].Type.ToDisplayString(TypeAnalysis.TypeNameFormat)));
                    }
                }
            });
        });
    }

    private sealed class EventDeclaration
    {
        public EventDeclaration(INamedTypeSymbol type, string name, Location location)
        {
            Type = type;
            Name = name;
            Location = location;
        }

        public INamedTypeSymbol Type { get; }

        public string Name { get; }

        public Location Location { get; }
    }
}
