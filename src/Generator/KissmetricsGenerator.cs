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
/// plan (unless switched off; in the global namespace for a program with top-level statements) and every
/// <c>[KissmetricsClient]</c> class. Invalid shapes give no output: the analyzers report them, so a
/// user sees one KMnnn diagnostic instead of a cascade. Every output is written in the C# the project compiles (the
/// <see cref="LanguageLevel"/> of its parse options, down to 7.3); a type whose own declaration needs a newer version
/// (a record under C# 7.3) gives no output at all, and KM023.
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

        // One small equatable value: an edit that keeps the language version leaves everything downstream cached.
        IncrementalValueProvider<LanguageLevel> language = context.ParseOptionsProvider
            .Select(static (options, _) => LanguageLevel.Of(options))
            .WithTrackingName(TrackingNames.LanguageVersion);

        IncrementalValueProvider<ImmutableArray<SerializerSpec>> events = Register(context, policy, language, KnownAttributes.Event, SpecKind.Event);
        IncrementalValueProvider<ImmutableArray<SerializerSpec>> traits = Register(context, policy, language, KnownAttributes.Traits, SpecKind.Traits);
        IncrementalValueProvider<ImmutableArray<SerializerSpec>> groups = Register(context, policy, language, KnownAttributes.GroupTraits, SpecKind.GroupTraits);
        IncrementalValueProvider<ImmutableArray<SerializerSpec>> pages = Register(context, policy, language, KnownAttributes.Page, SpecKind.Page);
        IncrementalValueProvider<ImmutableArray<SerializerSpec>> screens = Register(context, policy, language, KnownAttributes.Screen, SpecKind.Screen);

        // The assembly name is the one fact taken from the compilation: it names the plan's namespace.
        IncrementalValueProvider<AssemblySpec> assembly = context.CompilationProvider
            .Select(static (compilation, _) => compilation.AssemblyName ?? "Assembly")
            .Combine(events.Combine(traits).Combine(groups).Combine(pages).Combine(screens))
            .Combine(language)
            .Select(static (pair, _) =>
            {
                ((((ImmutableArray<SerializerSpec> e, ImmutableArray<SerializerSpec> t), ImmutableArray<SerializerSpec> g), ImmutableArray<SerializerSpec> p), ImmutableArray<SerializerSpec> s) = pair.Left.Right;
                return new AssemblySpec(pair.Left.Left, e.Concat(t).Concat(g).Concat(p).Concat(s).ToEquatableArray(), pair.Right);
            })
            .WithTrackingName(TrackingNames.Assembly);

        // Two small facts: the MSBuild switch, and whether any file has top-level statements (a type test on each node of
        // an edited file; only a bool is kept, so an edit that adds or removes none leaves the plan cached).
        IncrementalValueProvider<bool> generatePlan = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => PlanEmitter.IsEnabled(options.GlobalOptions.TryGetValue(PlanEmitter.BuildProperty, out string? value) ? value : null));
        IncrementalValueProvider<bool> topLevelStatements = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax,
                static (_, _) => true)
            .Collect()
            .Select(static (found, _) => !found.IsEmpty);
        IncrementalValueProvider<PlanPlacement> placement = generatePlan
            .Combine(topLevelStatements)
            .Select(static (pair, _) => new PlanPlacement(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.PlanPlacement);

        context.RegisterSourceOutput(assembly.Combine(placement), static (output, pair) =>
        {
            if (pair.Right.Generate && pair.Left.Serializers.Count > 0)
            {
                output.AddSource(PlanEmitter.HintName, PlanEmitter.Emit(pair.Left, pair.Right.GlobalNamespace));
            }
        });

        IncrementalValuesProvider<ClientSpec> clients = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownAttributes.Client,
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
                static (syntax, _) => syntax.TargetSymbol is INamedTypeSymbol type && FirstApplicationHere(syntax) is { } attribute ? ClientSpecParser.Parse(type, attribute) : null)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.Clients);

        context.RegisterSourceOutput(clients.Combine(assembly), static (output, pair) =>
            output.AddSource(pair.Left.HintName, ClientEmitter.Emit(pair.Left, pair.Right.Serializers, pair.Right.Language)));
    }

    private static IncrementalValueProvider<ImmutableArray<SerializerSpec>> Register(
        IncrementalGeneratorInitializationContext context,
        IncrementalValueProvider<NamingPolicy> policy,
        IncrementalValueProvider<LanguageLevel> language,
        string attribute,
        SpecKind kind)
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

        // A type whose declaration the project's C# rejects (a record under 7.3) is left out of every output, the plan
        // and the clients included: the compiler's error and KM023 are then all the user sees.
        IncrementalValuesProvider<(SerializerSpec Spec, LanguageLevel Language)> emitted = serializers
            .Combine(language)
            .Where(static pair => pair.Left.Type.RequiredLanguageVersion <= pair.Right.Version)
            .Select(static (pair, _) => (pair.Left, pair.Right));

        context.RegisterSourceOutput(emitted, static (output, pair) => output.AddSource(pair.Spec.HintName, SerializerEmitter.Emit(pair.Spec, pair.Language)));
        return emitted.Select(static (pair, _) => pair.Spec).Collect();
    }

    private static TypeSpec? Parse(GeneratorAttributeSyntaxContext syntax, SpecKind kind, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return syntax.TargetSymbol is INamedTypeSymbol type && FirstApplicationHere(syntax) is { } attribute
            ? TypeSpecParser.Parse(type, kind, attribute)
            : null;
    }

    /// <summary>
    /// The type's first application of the attribute when it is on this declaration, else <see langword="null"/>. Two
    /// partial declarations may each carry it (the compiler reports CS0579): the attribute pipeline then yields the type
    /// once per declaration (with one attribute each when they are in different files, both when in one), and two
    /// outputs with one hint name made the generator throw (CS8785), hiding everything else it generates.
    /// </summary>
    private static AttributeData? FirstApplicationHere(GeneratorAttributeSyntaxContext syntax)
    {
        if (syntax.Attributes.IsEmpty)
        {
            return null;
        }

        INamedTypeSymbol? attributeClass = syntax.Attributes[0].AttributeClass;
        foreach (AttributeData applied in syntax.TargetSymbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(applied.AttributeClass, attributeClass))
            {
                return applied.ApplicationSyntaxReference is not { } first
                    || (first.SyntaxTree == syntax.TargetNode.SyntaxTree && syntax.TargetNode.Span.Contains(first.Span))
                    ? applied
                    : null;
            }
        }

        return null;
    }
}
