using System.Collections.Immutable;
using Kissmetrics.Typed.Generator.Model;
using Kissmetrics.Typed.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kissmetrics.Typed.Generator.Diagnostics;

/// <summary>
/// KM021: a validation attribute on a sent member (nested members included) that the generator does not compile,
/// read by the same <see cref="ValidationRules"/> the generator uses, so the warning and the generated code agree.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ValidationAttributeAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.UnsupportedValidationAttribute);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        AnnotatedTypes.RegisterSymbolAction(context, Analyze, applies: compilation => compilation.GetTypeByMetadataName(ValidationRules.Namespace + ".ValidationAttribute") is not null);
    }

    private static void Analyze(SymbolAnalysisContext context, AnnotatedTypes annotated)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var sink = DiagnosticSink.For(context);
        foreach (TypeAnalysis analysis in annotated.Analyze(type))
        {
            if (analysis.Spec is not { } spec)
            {
                continue; // an error is reported for the shape; nothing is generated
            }

            foreach (MemberVisit visit in analysis.Visits)
            {
                if (visit.MemberPath != spec.ProductsMember)
                {
                    ValidationRules.Read(visit.Property, visit.Parameter, visit.MemberPath, unsupported =>
                        sink.Report(Diagnostic.Create(DiagnosticDescriptors.UnsupportedValidationAttribute, Where(unsupported.Attribute, type, context), visit.MemberPath, unsupported.AttributeName, unsupported.Reason)));
                    continue;
                }

                // The products member of a completed order is not a property: its products are checked one by one
                // (their members' rules), but a rule on the collection itself has no wire name to report and is not run.
                foreach (AttributeData data in Attributes(visit))
                {
                    if (data.AttributeClass is { } attributeClass && ValidationRules.IsValidationAttribute(attributeClass))
                    {
                        string name = attributeClass.Name.EndsWith("Attribute", System.StringComparison.Ordinal) ? attributeClass.Name.Substring(0, attributeClass.Name.Length - 9) : attributeClass.Name;
                        sink.Report(Diagnostic.Create(DiagnosticDescriptors.UnsupportedValidationAttribute, Where(data, type, context), visit.MemberPath, name, "the products of a completed order are sent one request each: put the rules on the product type's members"));
                    }
                }
            }
        }
    }

    private static Location Where(AttributeData attribute, INamedTypeSymbol type, SymbolAnalysisContext context) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? TypeAnalysis.TypeLocation(type);

    private static System.Collections.Generic.IEnumerable<AttributeData> Attributes(MemberVisit visit)
    {
        foreach (AttributeData data in visit.Property.GetAttributes())
        {
            yield return data;
        }

        if (visit.Parameter is not null)
        {
            foreach (AttributeData data in visit.Parameter.GetAttributes())
            {
                yield return data;
            }
        }
    }
}
