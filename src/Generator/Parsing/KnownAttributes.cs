namespace Kissmetrics.Typed.Generator.Parsing;

/// <summary>Metadata names of the runtime's attributes.</summary>
internal static class KnownAttributes
{
    /// <summary>The namespace of every attribute of the runtime.</summary>
    public const string Namespace = "Kissmetrics.Typed";

    public const string Event = "Kissmetrics.Typed.KissmetricsEventAttribute";
    public const string Client = "Kissmetrics.Typed.KissmetricsClientAttribute";
    public const string Traits = "Kissmetrics.Typed.KissmetricsTraitsAttribute";
    public const string GroupTraits = "Kissmetrics.Typed.KissmetricsGroupTraitsAttribute";
    public const string Page = "Kissmetrics.Typed.KissmetricsPageAttribute";
    public const string Screen = "Kissmetrics.Typed.KissmetricsScreenAttribute";
    public const string Property = "Kissmetrics.Typed.KissmetricsPropertyAttribute";
    public const string Ignore = "Kissmetrics.Typed.KissmetricsIgnoreAttribute";
    public const string Revenue = "Kissmetrics.Typed.KissmetricsRevenueAttribute";
    public const string Flatten = "Kissmetrics.Typed.KissmetricsFlattenAttribute";
    public const string Join = "Kissmetrics.Typed.KissmetricsJoinAttribute";
    public const string EnumMember = "System.Runtime.Serialization.EnumMemberAttribute";
}
