using System;

namespace Kissmetrics.Typed;

/// <summary>
/// Declares a page view, sent as the event <c>Viewed &lt;name or category&gt; Page</c> with every property prefixed
/// <c>Page - </c>. A name, a category or both must be given.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false, AllowMultiple = false)]
public sealed class KissmetricsPageAttribute : Attribute
{
    /// <summary>Declares a page known only by its <see cref="Category"/>.</summary>
    public KissmetricsPageAttribute()
    {
    }

    /// <summary>Declares a page named <paramref name="name"/>.</summary>
    /// <param name="name">The page's name, used in the event name when <c>TrackNamedPages</c> is on.</param>
    public KissmetricsPageAttribute(string name) => Name = name;

    /// <summary>The page's name, or <see langword="null"/>.</summary>
    public string? Name { get; }

    /// <summary>The page's category, used in the event name when there is no name (or named pages are not tracked).</summary>
    public string? Category { get; set; }
}
