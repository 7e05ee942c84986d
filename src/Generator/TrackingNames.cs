namespace Kissmetrics.Typed.Generator;

/// <summary>The names of the generator's pipeline steps, asserted by the incrementality tests.</summary>
public static class TrackingNames
{
    /// <summary>Attribute + symbol to a policy-independent <c>TypeSpec</c> (one step per annotated kind).</summary>
    public const string TypeSpecs = nameof(TypeSpecs);

    /// <summary>The project's naming policy, read from the <c>KissmetricsNamingPolicy</c> MSBuild property.</summary>
    public const string NamingPolicy = nameof(NamingPolicy);

    /// <summary>The project's C# language version, read from the parse options: what the emitters may write.</summary>
    public const string LanguageVersion = nameof(LanguageVersion);

    /// <summary>A <c>TypeSpec</c> with the naming policy applied: every wire name computed and encoded.</summary>
    public const string Serializers = nameof(Serializers);

    /// <summary>Every serializer of the assembly with its name: what the tracking plan and the typed clients are made from.</summary>
    public const string Assembly = nameof(Assembly);

    /// <summary>Whether and where the tracking plan class goes (the <c>KissmetricsGenerateTrackingPlan</c> switch, top-level statements).</summary>
    public const string PlanPlacement = nameof(PlanPlacement);

    /// <summary>A <c>[KissmetricsClient]</c> class to <c>ClientSpec</c>.</summary>
    public const string Clients = nameof(Clients);
}
