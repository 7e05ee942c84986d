using System;

namespace Kissmetrics.Typed;

/// <summary>
/// Declares a Kissmetrics track event. The annotated <c>partial</c> record, class or struct gets a generated
/// serializer whose property names (<c>Signed Up - Plan</c>, <c>Address.City</c>, <c>Billing Amount</c>) are
/// computed at compile time.
/// </summary>
/// <example><code>[KissmetricsEvent("Signed Up")] public partial record SignedUp(string Plan);</code></example>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false, AllowMultiple = false)]
public sealed class KissmetricsEventAttribute : Attribute
{
    /// <summary>Declares an event named <paramref name="name"/>.</summary>
    /// <param name="name">The Kissmetrics event name, sent unchanged as <c>_n</c>.</param>
    public KissmetricsEventAttribute(string name) => Name = name;

    /// <summary>The Kissmetrics event name.</summary>
    public string Name { get; }
}
