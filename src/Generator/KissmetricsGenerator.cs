using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Kissmetrics.Typed.Generator.Emitting;
using Kissmetrics.Typed.Generator.Model;
using Kissmetrics.Typed.Generator.Parsing;
using Microsoft.CodeAnalysis;

namespace Kissmetrics.Typed.Generator;

/// <summary>
/// The pipeline only: for each annotated kind, attribute -> <see cref="TypeSpec"/> (Parsing) -> with the naming
/// policy, <see cref="SerializerSpec"/> -> source (Emitting). All serializers of the assembly then feed the tracking
/// plan and every <c>[KissmetricsClient]</c> class. Invalid shapes give no output: the analyzers report them, so a
/// user sees one KMnnn diagnostic instead of a cascade.
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

        IncrementalValueProvider<ImmutableArray<SerializerSpec>> events = Register(context, policy, KnownAttributes.Event, SpecKind.Event);
        IncrementalValueProvider<ImmutableArray<SerializerSpec>> traits = Register(context, policy, KnownAttributes.Traits, SpecKind.Traits);
        IncrementalValueProvider<ImmutableArray<SerializerSpec>> groups = Register(context, policy, KnownAttributes.GroupTraits, SpecKind.GroupTraits);
        IncrementalValueProvider<ImmutableArray<SerializerSpec>> pages = Register(context, policy, KnownAttributes.Page, SpecKind.Page);
        IncrementalValueProvider<ImmutableArray<SerializerSpec>> screens = Register(context, policy, KnownAttributes.Screen, SpecKind.Screen);

        // The assembly name is the one fact taken from the compilation: it names the plan's namespace.
        IncrementalValueProvider<AssemblySpec> assembly = context.CompilationProvider
            .Select(static (compilation, _) => compilation.AssemblyName ?? "Assembly")
            .Combine(events.Combine(traits).Combine(groups).Combine(pages).Combine(screens))
            .Select(static (pair, _) =>
            {
                ((((ImmutableArray<SerializerSpec> e, ImmutableArray<SerializerSpec> t), ImmutableArray<SerializerSpec> g), ImmutableArray<SerializerSpec> p), ImmutableArray<SerializerSpec> s) = pair.Right;
                return new AssemblySpec(pair.Left, e.Concat(t).Concat(g).Concat(p).Concat(s).ToEquatableArray());
            })
            .WithTrackingName(TrackingNames.Assembly);

        context.RegisterSourceOutput(assembly, static (output, spec) =>
        {
            if (spec.Serializers.Count > 0)
            {
                output.AddSource(PlanEmitter.HintName, PlanEmitter.Emit(spec));
            }
        });

        IncrementalValuesProvider<ClientSpec> clients = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownAttributes.Client,
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
                static (syntax, _) => syntax.TargetSymbol is INamedTypeSymbol type && syntax.Attributes.Length == 1 ? ClientSpecParser.Parse(type, syntax.Attributes[0]) : null)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.Clients);

        context.RegisterSourceOutput(clients.Combine(assembly), static (output, pair) =>
            output.AddSource(ClientEmitter.HintName(pair.Left), ClientEmitter.Emit(pair.Left, pair.Right.Serializers)));
    }

    private static IncrementalValueProvider<ImmutableArray<SerializerSpec>> Register(IncrementalGeneratorInitializationContext context, IncrementalValueProvider<NamingPolicy> policy, string attribute, SpecKind kind)
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
        return serializers.Collect();
    }

    private static TypeSpec? Parse(GeneratorAttributeSyntaxContext syntax, SpecKind kind, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return syntax.TargetSymbol is INamedTypeSymbol type && syntax.Attributes.Length == 1
            ? TypeSpecParser.Parse(type, kind, syntax.Attributes[0])
            : null;
    }
}
