using System;

namespace Kissmetrics.Typed;

/// <summary>
/// Settings of a <see cref="KissmetricsClient"/> and of <see cref="KissmetricsFormatter"/>. Bindable from
/// configuration (section <c>Kissmetrics</c>): Segment lets its users flip the mapping settings without touching
/// code, and so do these.
/// </summary>
public sealed class KissmetricsOptions
{
    /// <summary>The default tracking endpoint, <c>https://trk.kissmetrics.io</c>.</summary>
    public static readonly Uri DefaultEndpoint = new("https://trk.kissmetrics.io");

    /// <summary>The Kissmetrics API key, sent as <c>_k</c> on every request. Required.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The tracking endpoint; requests go to its <c>/e</c>, <c>/s</c> and <c>/a</c> paths.</summary>
    public Uri Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>Whether track properties are sent as <c>&lt;event name&gt; - &lt;property&gt;</c>. Default <see langword="true"/>.</summary>
    public bool PrefixProperties { get; set; } = true;

    /// <summary>Whether a page or screen with a name may be sent under its name. Default <see langword="true"/>.</summary>
    public bool TrackNamedPages { get; set; } = true;

    /// <summary>Whether a page or screen with a category may be sent under its category. Default <see langword="true"/>.</summary>
    public bool TrackCategorizedPages { get; set; } = true;

    /// <summary>The most requests the client holds in memory before new requests are dropped (and counted). Default 10,000.</summary>
    public int MaxQueueLength { get; set; } = 10_000;

    /// <summary>How long one HTTP attempt may take before it is abandoned (and retried). Default 10 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many times a request is tried in all before it is given up and counted as dropped. Default 5.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The first retry delay; later ones grow exponentially with jitter. Default 500 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long <c>DisposeAsync</c> waits for queued requests to be sent before it stops. Default 10 seconds.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws a clear exception when the options cannot work.</summary>
    /// <exception cref="KissmetricsConfigurationException">A required setting is missing or out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            throw new KissmetricsConfigurationException("KissmetricsOptions.ApiKey is required: set it in code or in the 'Kissmetrics:ApiKey' configuration key.");
        }

        if (Endpoint is null || !Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttps && Endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new KissmetricsConfigurationException("KissmetricsOptions.Endpoint must be an absolute http or https URI.");
        }

        if (MaxQueueLength < 1)
        {
            throw new KissmetricsConfigurationException("KissmetricsOptions.MaxQueueLength must be at least 1.");
        }

        if (MaxAttempts < 1)
        {
            throw new KissmetricsConfigurationException("KissmetricsOptions.MaxAttempts must be at least 1.");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            throw new KissmetricsConfigurationException("KissmetricsOptions.RequestTimeout must be positive.");
        }
    }
}

/// <summary>Thrown when <see cref="KissmetricsOptions"/> cannot work (for example, no API key).</summary>
public sealed class KissmetricsConfigurationException : Exception
{
    /// <summary>Creates the exception with a message saying what to fix.</summary>
    public KissmetricsConfigurationException(string message)
        : base(message)
    {
    }
}
