using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Kissmetrics.Typed.Generator.Model;
using Kissmetrics.Typed.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kissmetrics.Typed.Generator.Diagnostics;

/// <summary>
/// What the mapping does that a user may not expect (warnings, each silenced by saying it is intended):
/// KM008 a nested object is flattened (<c>[KissmetricsFlatten]</c>), KM009 a collection is comma-joined
/// (<c>[KissmetricsJoin]</c>), KM010 a property named <c>revenue</c> is also sent as <c>Billing Amount</c>
/// (<c>[KissmetricsRevenue]</c>). The messages list the names the generator computed.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MappingIntentAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.Flattened,
        DiagnosticDescriptors.Joined,
        DiagnosticDescriptors.ImplicitRevenue);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        AnnotatedTypes.RegisterSymbolAction(context, Analyze);
    }

    private static void Analyze(SymbolAnalysisContext context, AnnotatedTypes annotated)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var sink = DiagnosticSink.For(context);
        foreach (TypeAnalysis analysis in annotated.Analyze(type))
        {
            if (analysis.Serializer is not { } serializer)
            {
                continue;
            }

            ReportFlattened(analysis, serializer.Properties, parentPath: null, sink);
            if (serializer.Products is { } products)
            {
                ReportFlattened(analysis, products.Properties, products.ClrName, sink);
            }

            foreach ((string path, PropertyWrite write) in WireNameAnalyzer.AllNames(serializer))
            {
                if (analysis.Member(path) is not { } member)
                {
                    continue;
                }

                if (write.Value.Kind == ValueKind.Collection && !member.Attributes.IsJoin)
                {
                    sink.Report(Diagnostic.Create(DiagnosticDescriptors.Joined, analysis.MemberLocation(path), path, Sent(write)));
                }

                // The revenue by name only: a marked one is intended, and an order's total copied to revenue is not named so.
                if (write.WritesBillingAmount && !member.Attributes.IsRevenue && WireNames.IsImplicitRevenue(analysis.OwnName(member)))
                {
                    sink.Report(Diagnostic.Create(DiagnosticDescriptors.ImplicitRevenue, analysis.MemberLocation(path), path, Sent(write)));
                }
            }
        }
    }

    /// <summary>KM008 on each object member at this level; its message lists every name it becomes (nested objects included).</summary>
    private static void ReportFlattened(TypeAnalysis analysis, EquatableArray<PropertyWrite> properties, string? parentPath, DiagnosticSink sink)
    {
        foreach (PropertyWrite write in properties)
        {
            string path = parentPath is null ? write.ClrName : parentPath + "." + write.ClrName;
            if (write.Value.Kind != ValueKind.Object || analysis.Member(path) is not { } member || member.Attributes.IsFlatten)
            {
                continue;
            }

            // Quoted like the names of every other message: a wire name may contain spaces, commas and dots.
            List<string> names = SerializerResolver.Leaves(write.Children, path).Select(leaf => "'" + Sent(leaf.Write) + "'").ToList();
            string list = names.Count == 0 ? "no property at all" : string.Join(", ", names);
            sink.Report(Diagnostic.Create(DiagnosticDescriptors.Flattened, analysis.MemberLocation(path), path, list));
        }
    }

    /// <summary>The name as sent with the default options (<c>PrefixProperties</c> on).</summary>
    private static string Sent(PropertyWrite write) => write.PrefixedWireName ?? write.WireName;
}
