using System;

namespace Kissmetrics.Typed;

/// <summary>Sets the Kissmetrics property name of a member; without it the member's name (after the naming policy) is used.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class KissmetricsPropertyAttribute : Attribute
{
    /// <summary>Names the property <paramref name="name"/> on the wire.</summary>
    /// <param name="name">The wire name, before any event prefix.</param>
    public KissmetricsPropertyAttribute(string name) => Name = name;

    /// <summary>The wire name, before any event prefix.</summary>
    public string Name { get; }
}
