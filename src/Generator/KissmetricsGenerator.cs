using System.Threading;
using Kissmetrics.Typed.Generator.Emitting;
using Kissmetrics.Typed.Generator.Model;
using Kissmetrics.Typed.Generator.Parsing;
using Microsoft.CodeAnalysis;

namespace Kissmetrics.Typed.Generator;

/// <summary>
/// The pipeline only: for each annotated kind, attribute -> <see cref="TypeSpec"/> (Parsing) -> with the naming
/// policy, <see cref="SerializerSpec"/> -> source (Emitting). Invalid shapes give no output: the analyzers
/// report them, so a user sees one KMnnn diagnostic instead of a cascade.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class KissmetricsGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<NamingPolicy> policy = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => NamingPolicies.Parse(options.GlobalOptions.TryGetValue(NamingPolicies.BuildProperty, out string? value) ? value : null))
            .WithTrackingName(TrackingNames.NamingPolicy);

        Register(context, policy, KnownAttributes.Event, SpecKind.Event);
        Register(context, policy, KnownAttributes.Traits, SpecKind.Traits);
        Register(context, policy, KnownAttributes.GroupTraits, SpecKind.GroupTraits);
        Register(context, policy, KnownAttributes.Page, SpecKind.Page);
        Register(context, policy, KnownAttributes.Screen, SpecKind.Screen);
    }

    private static void Register(IncrementalGeneratorInitializationContext context, IncrementalValueProvider<NamingPolicy> policy, string attribute, SpecKind kind)
    {
        IncrementalValuesProvider<SerializerSpec> serializers = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                attribute,
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax,
                (syntax, cancellationToken) => Parse(syntax, kind, cancellationToken))
            .Where(static spec => spec is not null)
            .WithTrackingName(TrackingNames.TypeSpecs)
            .Combine(policy)
            .Select(static (pair, _) => SerializerResolver.Resolve(pair.Left!, pair.Right))
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.Serializers);

        context.RegisterSourceOutput(serializers, static (output, spec) => output.AddSource(spec.HintName, SerializerEmitter.Emit(spec)));
    }

    private static TypeSpec? Parse(GeneratorAttributeSyntaxContext syntax, SpecKind kind, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return syntax.TargetSymbol is INamedTypeSymbol type && syntax.Attributes.Length == 1
            ? TypeSpecParser.Parse(type, kind, syntax.Attributes[0])
            : null;
    }
}
