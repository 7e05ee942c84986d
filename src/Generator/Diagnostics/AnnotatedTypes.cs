using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Kissmetrics.Typed.Generator.Model;
using Kissmetrics.Typed.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kissmetrics.Typed.Generator.Diagnostics;

/// <summary>
/// The annotated types of one compilation as the analyzers see them: the attributes the generator is keyed on, the
/// naming policy it reads, and each annotated type run once through the generator's parser and resolver
/// (<see cref="TypeAnalysis"/>), shared by every analyzer of the compilation. The analyzers look at exactly the types
/// the generator emits for, with the same names, and a type is parsed once per compilation however many analyzers
/// report on it.
/// </summary>
/// <remarks>
/// One instance per compilation and naming policy, kept in a <see cref="ConditionalWeakTable{TKey, TValue}"/> keyed on
/// the <see cref="Compilation"/>: it lives as long as the compilation does, and every analyzer started on that
/// compilation (each gets its own <c>CompilationStartAction</c>) finds the same one.
/// </remarks>
internal sealed class AnnotatedTypes
{
    private static readonly (string MetadataName, SpecKind Kind)[] s_kinds =
    {
        (KnownAttributes.Event, SpecKind.Event),
        (KnownAttributes.Traits, SpecKind.Traits),
        (KnownAttributes.GroupTraits, SpecKind.GroupTraits),
        (KnownAttributes.Page, SpecKind.Page),
        (KnownAttributes.Screen, SpecKind.Screen),
    };

    private static readonly ConditionalWeakTable<Compilation, PerCompilation> s_compilations = new();

    private readonly List<(INamedTypeSymbol Attribute, SpecKind Kind)> _attributes;
    private readonly ConcurrentDictionary<INamedTypeSymbol, Lazy<ImmutableArray<TypeAnalysis>>> _analyses = new(SymbolEqualityComparer.Default);
    private int _runs;

    private AnnotatedTypes(List<(INamedTypeSymbol Attribute, SpecKind Kind)> attributes, NamingPolicy policy)
    {
        _attributes = attributes;
        Policy = policy;
    }

    /// <summary>The project's naming policy (<c>build_property.KissmetricsNamingPolicy</c>), as the generator reads it.</summary>
    public NamingPolicy Policy { get; }

    /// <summary>How many times a type was run through the parser and resolver for this compilation (for tests: once per annotated type and attribute).</summary>
    internal int AnalysisRuns => Volatile.Read(ref _runs);

    /// <summary>
    /// The registration every analyzer keyed on the annotated types shares: <paramref name="analyze"/> for every named
    /// type of a compilation that references the runtime's attributes (and for which <paramref name="applies"/>, when
    /// given, holds), with that compilation's shared instance. (Each analyzer still says in its own <c>Initialize</c>
    /// that it skips generated code and runs concurrently: RS1025 and RS1026 look for those calls there.)
    /// </summary>
    public static void RegisterSymbolAction(AnalysisContext context, Action<SymbolAnalysisContext, AnnotatedTypes> analyze, Func<Compilation, bool>? applies = null)
    {
        context.RegisterCompilationStartAction(start =>
        {
            if ((applies is not null && !applies(start.Compilation)) || For(start.Compilation, start.Options) is not { } annotated)
            {
                return;
            }

            start.RegisterSymbolAction(symbol => analyze(symbol, annotated), SymbolKind.NamedType);
        });
    }

    /// <summary>The annotated types of <paramref name="compilation"/>, or <see langword="null"/> when it does not reference the runtime.</summary>
    public static AnnotatedTypes? For(Compilation compilation, AnalyzerOptions options)
    {
        NamingPolicy policy = NamingPolicies.Parse(
            options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(NamingPolicies.BuildProperty, out string? value) ? value : null);
        return Cached(compilation, policy);
    }

    /// <summary>The shared instance for <paramref name="compilation"/> and <paramref name="policy"/> (created on first use); <see langword="null"/> when the compilation does not reference the runtime.</summary>
    internal static AnnotatedTypes? Cached(Compilation compilation, NamingPolicy policy)
    {
        PerCompilation shared = s_compilations.GetValue(compilation, static c => new PerCompilation(c));
        return shared.Attributes.Count == 0 ? null : shared.ByPolicy.GetOrAdd(policy, p => new AnnotatedTypes(shared.Attributes, p));
    }

    /// <summary>Every Kissmetrics attribute on <paramref name="type"/> with the kind it declares.</summary>
    public IEnumerable<(AttributeData Attribute, SpecKind Kind)> Of(INamedTypeSymbol type)
    {
        foreach (AttributeData attribute in type.GetAttributes())
        {
            foreach ((INamedTypeSymbol known, SpecKind kind) in _attributes)
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, known))
                {
                    yield return (attribute, kind);
                }
            }
        }
    }

    /// <summary>
    /// <paramref name="type"/> parsed and resolved as the generator does, once per Kissmetrics attribute it carries (in
    /// the order of <see cref="Of"/>); empty for a type without one. Computed on first request and shared: the result
    /// is read-only.
    /// </summary>
    public ImmutableArray<TypeAnalysis> Analyze(INamedTypeSymbol type)
    {
        if (_analyses.TryGetValue(type, out Lazy<ImmutableArray<TypeAnalysis>>? known))
        {
            return known.Value;
        }

        if (!IsAnnotated(type))
        {
            return ImmutableArray<TypeAnalysis>.Empty; // most types: nothing to parse, nothing to keep
        }

        // Two analyzers may ask at once: the Lazy makes one of them parse and the other wait for its result.
        return _analyses.GetOrAdd(type, t => new Lazy<ImmutableArray<TypeAnalysis>>(() => Run(t), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    private bool IsAnnotated(INamedTypeSymbol type) => Of(type).Any();

    private ImmutableArray<TypeAnalysis> Run(INamedTypeSymbol type)
    {
        ImmutableArray<TypeAnalysis>.Builder analyses = ImmutableArray.CreateBuilder<TypeAnalysis>();
        foreach ((AttributeData attribute, SpecKind kind) in Of(type))
        {
            Interlocked.Increment(ref _runs);
            analyses.Add(TypeAnalysis.Run(type, attribute, kind, Policy));
        }

        return analyses.ToImmutable();
    }

    /// <summary>What one compilation resolves once: its Kissmetrics attributes, and an instance per naming policy asked for.</summary>
    private sealed class PerCompilation
    {
        public PerCompilation(Compilation compilation)
        {
            foreach ((string metadataName, SpecKind kind) in s_kinds)
            {
                if (compilation.GetTypeByMetadataName(metadataName) is { } attribute)
                {
                    Attributes.Add((attribute, kind));
                }
            }
        }

        public List<(INamedTypeSymbol Attribute, SpecKind Kind)> Attributes { get; } = new();

        public ConcurrentDictionary<NamingPolicy, AnnotatedTypes> ByPolicy { get; } = new();
    }
}
