using System;

namespace Kissmetrics.Typed;

/// <summary>
/// Declares a mobile screen view, sent as the event <c>Viewed &lt;name or category&gt; Screen</c> with every property
/// prefixed <c>Screen - </c>. A name, a category or both must be given.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false, AllowMultiple = false)]
public sealed class KissmetricsScreenAttribute : Attribute
{
    /// <summary>Declares a screen known only by its <see cref="Category"/>.</summary>
    public KissmetricsScreenAttribute()
    {
    }

    /// <summary>Declares a screen named <paramref name="name"/>.</summary>
    /// <param name="name">The screen's name, used in the event name when <c>TrackNamedPages</c> is on.</param>
    public KissmetricsScreenAttribute(string name) => Name = name;

    /// <summary>The screen's name, or <see langword="null"/>.</summary>
    public string? Name { get; }

    /// <summary>The screen's category, used in the event name when there is no name (or named screens are not tracked).</summary>
    public string? Category { get; set; }
}
