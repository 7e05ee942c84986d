namespace Kissmetrics.Typed.Generator;

/// <summary>The names of the generator's pipeline steps, asserted by the incrementality tests.</summary>
public static class TrackingNames
{
    /// <summary>Attribute + symbol to a policy-independent <c>TypeSpec</c> (one step per annotated kind).</summary>
    public const string TypeSpecs = nameof(TypeSpecs);

    /// <summary>The project's naming policy, read from the <c>KissmetricsNamingPolicy</c> MSBuild property.</summary>
    public const string NamingPolicy = nameof(NamingPolicy);

    /// <summary>A <c>TypeSpec</c> with the naming policy applied: every wire name computed and encoded.</summary>
    public const string Serializers = nameof(Serializers);
}
