using System;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Serialization;

namespace Kissmetrics.Typed;

/// <summary>
/// Sends typed analytics to Kissmetrics. Every call returns at once: the request is serialized on the caller's
/// thread and queued; delivery happens in the background. Register it with <c>services.AddKissmetrics(...)</c>,
/// or create a <see cref="KissmetricsClient"/>.
/// </summary>
public interface IKissmetricsClient : IAsyncDisposable
{
    /// <summary>Records an event (<c>/e</c>), and for a completed order one <c>/s</c> per product.</summary>
    /// <param name="person">The person (<c>_p</c>); must not be null or empty.</param>
    /// <param name="event">The event, a type annotated with <see cref="KissmetricsEventAttribute"/>.</param>
    /// <param name="timestamp">When it happened; the current time when omitted.</param>
    /// <exception cref="ArgumentException"><paramref name="person"/> is null or empty.</exception>
    void Track<TEvent>(string person, TEvent @event, DateTimeOffset? timestamp = null)
        where TEvent : IKissmetricsEvent;

    /// <summary>Sets a person's traits (<c>/s</c>) and, when <paramref name="anonymousId"/> is given, aliases it (<c>/a</c>).</summary>
    /// <param name="person">The person (<c>_p</c>); must not be null or empty.</param>
    /// <param name="traits">The traits, a type annotated with <see cref="KissmetricsTraitsAttribute"/>.</param>
    /// <param name="anonymousId">The id the person had before they were known.</param>
    /// <param name="timestamp">When it happened; the current time when omitted.</param>
    /// <exception cref="ArgumentException"><paramref name="person"/> is null or empty.</exception>
    void Identify<TTraits>(string person, TTraits traits, string? anonymousId = null, DateTimeOffset? timestamp = null)
        where TTraits : IKissmetricsTraits;

    /// <summary>Sets the traits of the person's group as <c>Group - &lt;name&gt;</c> properties (<c>/s</c>).</summary>
    /// <param name="person">The person (<c>_p</c>); must not be null or empty.</param>
    /// <param name="groupId">The group's id; must not be null or empty.</param>
    /// <param name="traits">The traits, a type annotated with <see cref="KissmetricsGroupTraitsAttribute"/>.</param>
    /// <param name="timestamp">When it happened; the current time when omitted.</param>
    /// <exception cref="ArgumentException"><paramref name="person"/> or <paramref name="groupId"/> is null or empty.</exception>
    void Group<TTraits>(string person, string groupId, TTraits traits, DateTimeOffset? timestamp = null)
        where TTraits : IKissmetricsGroupTraits;

    /// <summary>Records a page view as <c>Viewed &lt;name or category&gt; Page</c>.</summary>
    /// <param name="person">The person (<c>_p</c>); must not be null or empty.</param>
    /// <param name="page">The page, a type annotated with <see cref="KissmetricsPageAttribute"/>.</param>
    /// <param name="timestamp">When it happened; the current time when omitted.</param>
    /// <exception cref="ArgumentException"><paramref name="person"/> is null or empty.</exception>
    void Page<TPage>(string person, TPage page, DateTimeOffset? timestamp = null)
        where TPage : IKissmetricsPage;

    /// <summary>Records a screen view as <c>Viewed &lt;name or category&gt; Screen</c>.</summary>
    /// <param name="person">The person (<c>_p</c>); must not be null or empty.</param>
    /// <param name="screen">The screen, a type annotated with <see cref="KissmetricsScreenAttribute"/>.</param>
    /// <param name="timestamp">When it happened; the current time when omitted.</param>
    /// <exception cref="ArgumentException"><paramref name="person"/> is null or empty.</exception>
    void Screen<TScreen>(string person, TScreen screen, DateTimeOffset? timestamp = null)
        where TScreen : IKissmetricsScreen;

    /// <summary>Joins two identities of one person (<c>/a</c>).</summary>
    /// <param name="previousId">The identity used so far; must not be null or empty.</param>
    /// <param name="newId">The new identity; must not be null or empty.</param>
    /// <exception cref="ArgumentException">An identity is null or empty.</exception>
    void Alias(string previousId, string newId);

    /// <summary>Completes when every request accepted before this call was sent or finally given up.</summary>
    /// <param name="cancellationToken">Stops waiting (the requests stay queued).</param>
    Task FlushAsync(CancellationToken cancellationToken = default);
}
