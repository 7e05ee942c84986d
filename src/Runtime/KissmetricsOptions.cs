using System;
using System.Collections.Generic;
using System.IO;
using static System.FormattableString;

namespace Kissmetrics.Typed;

/// <summary>
/// Settings of a <see cref="KissmetricsClient"/> and of <see cref="KissmetricsFormatter"/>. Bindable from
/// configuration (section <c>Kissmetrics</c>): Segment lets its users flip the mapping settings without touching
/// code, and so do these. The delivery settings and their defaults are described in <c>docs/delivery.md</c>.
/// </summary>
public sealed class KissmetricsOptions
{
    /// <summary>The configuration section <c>services.AddKissmetrics()</c> binds by default: <c>Kissmetrics</c>.</summary>
    public const string SectionName = "Kissmetrics";

    /// <summary>The default tracking endpoint, <c>https://trk.kissmetrics.io</c>.</summary>
    public static readonly Uri DefaultEndpoint = new("https://trk.kissmetrics.io");

    /// <summary>The Kissmetrics API key, sent as <c>_k</c> on every request. Required. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The tracking endpoint; requests go to its <c>/e</c>, <c>/s</c> and <c>/a</c> paths.</summary>
    public Uri Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>Whether track properties are sent as <c>&lt;event name&gt; - &lt;property&gt;</c>. Default <see langword="true"/>.</summary>
    public bool PrefixProperties { get; set; } = true;

    /// <summary>Whether a page or screen with a name may be sent under its name. Default <see langword="true"/>.</summary>
    public bool TrackNamedPages { get; set; } = true;

    /// <summary>Whether a page or screen with a category may be sent under its category. Default <see langword="true"/>.</summary>
    public bool TrackCategorizedPages { get; set; } = true;

    /// <summary>The most requests the client holds in memory; what happens beyond is <see cref="QueueFullMode"/>. Default 10,000.</summary>
    public int MaxQueueLength { get; set; } = 10_000;

    /// <summary>
    /// What a call does when the queue is full. Default <see cref="KissmetricsQueueFullMode.DropNewest"/>; every drop is
    /// counted. With a <see cref="SpoolDirectory"/> a request that does not fit waits in the spool instead, whatever the
    /// mode; the mode applies only when the spool cannot take it (a failed write, or its overflow index full).
    /// </summary>
    public KissmetricsQueueFullMode QueueFullMode { get; set; } = KissmetricsQueueFullMode.DropNewest;

    /// <summary>With <see cref="KissmetricsQueueFullMode.Wait"/>, how long a call may block for room before its request is dropped. Default 100 ms.</summary>
    public TimeSpan QueueFullWaitTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The most requests in flight at once: the cap of the adaptive limit, which starts at <see cref="MinConcurrency"/>,
    /// grows while a backlog builds and answers keep their latency, and backs off on errors, 429 and timeouts.
    /// Default 512 (enough for 2,000 requests a second to a tracker 100 ms away, with room to spare).
    /// </summary>
    public int MaxConcurrency { get; set; } = 512;

    /// <summary>The floor of the adaptive in-flight limit, and where it starts; a floor above <see cref="MaxConcurrency"/> is the cap (so <c>MaxConcurrency = 1</c> alone means one at a time). Default 4.</summary>
    public int MinConcurrency { get; set; } = 4;

    /// <summary>
    /// The most keep-alive connections the client opens to the tracker. With the socket transport each connection
    /// carries up to <see cref="PipelineDepth"/> requests at once; with the <c>HttpClient</c> transport one. The in-flight
    /// cap is at most what the connections carry (<c>MaxConnections * PipelineDepth</c>, or <c>MaxConnections</c>). Default 16.
    /// </summary>
    public int MaxConnections { get; set; } = 16;

    /// <summary>
    /// How many requests the socket transport may have outstanding on one connection (HTTP/1.1 pipelining); 1 sends
    /// the next request only after the answer to the last. A connection that breaks while pipelining falls back to 1
    /// for a while. Default 32.
    /// </summary>
    public int PipelineDepth { get; set; } = 32;

    /// <summary>Which way requests leave the process. Default <see cref="KissmetricsTransport.Auto"/>: see <c>docs/delivery.md</c>.</summary>
    public KissmetricsTransport Transport { get; set; } = KissmetricsTransport.Auto;

    /// <summary>
    /// The most bytes of requests the client holds in memory (queued or waiting to retry), besides <see cref="MaxQueueLength"/>;
    /// what happens beyond is <see cref="QueueFullMode"/>. Default 32 MiB.
    /// </summary>
    public long MaxQueueBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>
    /// How long a request may wait for a sender when traffic is light. Senders are woken at once when a backlog builds
    /// (64 requests, or 16 per sender) and by <c>FlushAsync</c>; otherwise the first request of a quiet spell wakes them after
    /// this delay, so a call costs no thread wake-up. Default 20 ms; <see cref="TimeSpan.Zero"/> wakes a sender for every request.
    /// </summary>
    public TimeSpan SendDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How long one HTTP attempt may take before it is abandoned (and retried). Default 10 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many times a request is tried in all before it is given up and counted as dropped. Default 15: with the
    /// default backoff (500 ms doubling, at most 30 s) that outlasts <see cref="MaxRetryDuration"/> (2 minutes), so at
    /// defaults a request rides out an outage of up to that long (5 attempts gave up after about 8 s).
    /// </summary>
    public int MaxAttempts { get; set; } = 15;

    /// <summary>The first retry delay; later ones grow exponentially with jitter. Default 500 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between two attempts, whether from the backoff or from a <c>Retry-After</c> answer. Default 30 seconds.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest time one request may spend in attempts and waits before it is given up. Default 2 minutes.</summary>
    public TimeSpan MaxRetryDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long <c>DisposeAsync</c> waits for queued requests to be sent before it stops. Default 10 seconds.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Opt-in durability: a directory (yours, not a shared temp folder) where every accepted request is appended before
    /// the call returns, acknowledged when it ends (so a restart after a crash sends again only what was in flight),
    /// replayed when a client starts on the same directory, and deleted once delivered. The directory is made private
    /// (<c>0700</c>, files <c>0600</c>) and lines are authenticated with a key kept in it. A request that does not fit in
    /// memory (the queue full) is kept on disk only and sent as the queue drains, instead of being dropped
    /// (<see cref="KissmetricsClientStatistics.SpooledOverflow"/>). A directory that cannot be used (read-only, missing,
    /// not private) does not stop the client: it runs from memory, logs the cause and tries again every 30 seconds; only
    /// a directory another client holds throws <see cref="KissmetricsConfigurationException"/>.
    /// <see langword="null"/> (the default) keeps requests in memory.
    /// </summary>
    public string? SpoolDirectory { get; set; }

    /// <summary>The most bytes the spool keeps; beyond it the oldest spooled requests are dropped (and counted). Default 100 MiB.</summary>
    public long SpoolMaxBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Spooled requests older than this are dropped (and counted) instead of replayed. Default 7 days.</summary>
    public TimeSpan SpoolMaxAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Whether calls are checked against the DataAnnotations attributes of their types (<c>docs/validation.md</c>) before they
    /// are queued. Default <see cref="KissmetricsValidationMode.Report"/> when <c>DOTNET_ENVIRONMENT</c> or
    /// <c>ASPNETCORE_ENVIRONMENT</c> is <c>Development</c> when the options are created, <see cref="KissmetricsValidationMode.Off"/> otherwise.
    /// </summary>
    public KissmetricsValidationMode Validation { get; set; } = DefaultValidationMode();

    /// <summary>
    /// Receives each violation when <see cref="Validation"/> is on: the type, event, member path, wire name, rule and a
    /// message, never the value (which may be personal data). Called on the caller's thread; it should not throw.
    /// </summary>
    public Action<KissmetricsViolation>? OnViolation { get; set; }

    // The key is on every request: it is percent-encoded once per key, not once per call. Options are mutable and
    // may be shared between threads, so the cache is one immutable object swapped whole, checked against the
    // current key by reference.
    private EncodedApiKey? _encodedApiKey;

    /// <summary>What is said when the key is missing or blank, by <see cref="Validate"/> and by a call.</summary>
    internal const string ApiKeyRequired = "KissmetricsOptions.ApiKey is required: set it in code or in the 'Kissmetrics:ApiKey' configuration key.";

    /// <summary>The API key as it is sent after <c>_k=</c>, percent-encoded; encoded again only when <see cref="ApiKey"/> changes.</summary>
    /// <exception cref="KissmetricsConfigurationException"><see cref="ApiKey"/> is missing or blank.</exception>
    internal ReadOnlySpan<byte> GetEncodedApiKey()
    {
        string? key = ApiKey;
        EncodedApiKey? cached = _encodedApiKey;
        if (cached is null || !ReferenceEquals(cached.Key, key))
        {
            cached = _encodedApiKey = EncodedApiKey.Create(key);
        }

        return cached.Bytes;
    }

    /// <summary>Throws a clear exception when the options cannot work.</summary>
    /// <exception cref="KissmetricsConfigurationException">A required setting is missing or out of range.</exception>
    public void Validate()
    {
        List<string> problems = GetProblems();
        if (problems.Count > 0)
        {
            throw new KissmetricsConfigurationException(string.Join(" ", problems));
        }
    }

    // Values from configuration that could not be set (see DependencyInjection/KissmetricsOptionsBinder): kept here so
    // that validation reports them with every other problem, when the host starts.
    private List<string>? _configurationProblems;

    /// <summary>Records a configuration value that could not be bound, for <see cref="GetProblems"/>.</summary>
    internal void AddConfigurationProblem(string problem) => (_configurationProblems ??= new List<string>()).Add(problem);

    private static readonly char[] s_authorityEnd = { '/', '?', '#' };

    /// <summary>
    /// The endpoint as a validation message echoes it, quoted: the URI without any user name or password in it (an
    /// endpoint is not secret, but credentials written into its URI are), or <c>null</c>.
    /// </summary>
    internal static string DescribeEndpoint(Uri? endpoint)
    {
        if (endpoint is null)
        {
            return "null";
        }

        // Textually, not through Uri.UserInfo: a URI that fails validation (relative, or of another scheme) may not
        // have parsed its authority at all, and its credentials must not be echoed either.
        string text = endpoint.OriginalString;
        int start = text.IndexOf("://", StringComparison.Ordinal);
        start = start < 0 ? 0 : start + 3;
        int end = text.IndexOfAny(s_authorityEnd, start);
        string authority = end < 0 ? text.Substring(start) : text.Substring(start, end - start);
        int at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            text = text.Substring(0, start) + text.Substring(start + at + 1);
        }

        return "'" + text + "'";
    }

    /// <summary>Every problem with the options, each a sentence saying what to fix; empty when they can work.</summary>
    internal List<string> GetProblems()
    {
        var problems = _configurationProblems is null ? new List<string>() : new List<string>(_configurationProblems);
        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            problems.Add(ApiKeyRequired);
        }

        if (Endpoint is null || !Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttps && Endpoint.Scheme != Uri.UriSchemeHttp))
        {
            problems.Add("KissmetricsOptions.Endpoint is " + DescribeEndpoint(Endpoint) + ", which is not an absolute http or https URI: set it in code or in the 'Kissmetrics:Endpoint' configuration key.");
        }

        if (MaxQueueLength < 1)
        {
            problems.Add("KissmetricsOptions.MaxQueueLength must be at least 1.");
        }

        if (!Enum.IsDefined(QueueFullMode))
        {
            problems.Add("KissmetricsOptions.QueueFullMode must be DropNewest, DropOldest or Wait.");
        }

        if (QueueFullWaitTimeout < TimeSpan.Zero)
        {
            problems.Add("KissmetricsOptions.QueueFullWaitTimeout must not be negative.");
        }

        if (MaxConcurrency < 1 || MaxConcurrency > 4096)
        {
            problems.Add(Invariant($"KissmetricsOptions.MaxConcurrency must be between 1 and 4096 (it is {MaxConcurrency})."));
        }

        if (MinConcurrency < 1)
        {
            problems.Add(Invariant($"KissmetricsOptions.MinConcurrency must be at least 1 (it is {MinConcurrency})."));
        }

        if (MaxConnections < 1 || MaxConnections > 256)
        {
            problems.Add(Invariant($"KissmetricsOptions.MaxConnections must be between 1 and 256 (it is {MaxConnections})."));
        }

        if (PipelineDepth < 1 || PipelineDepth > 256)
        {
            problems.Add(Invariant($"KissmetricsOptions.PipelineDepth must be between 1 and 256 (it is {PipelineDepth})."));
        }

        if (!Enum.IsDefined(Transport))
        {
            problems.Add("KissmetricsOptions.Transport must be Auto, Sockets or HttpClient.");
        }

        if (MaxQueueBytes < 64 * 1024)
        {
            problems.Add(Invariant($"KissmetricsOptions.MaxQueueBytes must be at least 64 KiB (it is {MaxQueueBytes})."));
        }

        if (SendDelay < TimeSpan.Zero || SendDelay > TimeSpan.FromMinutes(1))
        {
            problems.Add("KissmetricsOptions.SendDelay must be between zero and one minute.");
        }

        if (MaxAttempts < 1)
        {
            problems.Add("KissmetricsOptions.MaxAttempts must be at least 1.");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            problems.Add("KissmetricsOptions.RequestTimeout must be positive.");
        }

        if (RetryBaseDelay < TimeSpan.Zero || MaxRetryDelay < TimeSpan.Zero)
        {
            problems.Add("KissmetricsOptions.RetryBaseDelay and MaxRetryDelay must not be negative.");
        }

        if (MaxRetryDuration <= TimeSpan.Zero)
        {
            problems.Add("KissmetricsOptions.MaxRetryDuration must be positive.");
        }

        if (ShutdownTimeout < TimeSpan.Zero)
        {
            problems.Add("KissmetricsOptions.ShutdownTimeout must not be negative.");
        }

        if (!Enum.IsDefined(Validation))
        {
            problems.Add("KissmetricsOptions.Validation must be Off, Report or ReportAndDrop.");
        }

        if (SpoolDirectory is not null)
        {
            if (SpoolDirectory.Trim().Length == 0 || SpoolDirectory.AsSpan().IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            {
                problems.Add("KissmetricsOptions.SpoolDirectory must be a directory path, or null to keep requests in memory only.");
            }

            if (SpoolMaxBytes < 64 * 1024)
            {
                problems.Add("KissmetricsOptions.SpoolMaxBytes must be at least 64 KiB.");
            }

            if (SpoolMaxAge <= TimeSpan.Zero)
            {
                problems.Add("KissmetricsOptions.SpoolMaxAge must be positive.");
            }
        }

        return problems;
    }

    /// <summary><see cref="KissmetricsValidationMode.Report"/> in Development (<c>DOTNET_ENVIRONMENT</c> or <c>ASPNETCORE_ENVIRONMENT</c>), else off.</summary>
    internal static KissmetricsValidationMode DefaultValidationMode() =>
        string.Equals(Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT"), "Development", StringComparison.OrdinalIgnoreCase) ||
        string.Equals(Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT"), "Development", StringComparison.OrdinalIgnoreCase)
            ? KissmetricsValidationMode.Report
            : KissmetricsValidationMode.Off;
}

/// <summary>
/// What a call does when the client's queue already holds <see cref="KissmetricsOptions.MaxQueueLength"/> requests (or
/// <see cref="KissmetricsOptions.MaxQueueBytes"/>). With a <see cref="KissmetricsOptions.SpoolDirectory"/> the request
/// waits in the spool instead, and the mode applies only when the spool cannot take it.
/// </summary>
public enum KissmetricsQueueFullMode
{
    /// <summary>The new request is dropped (and counted); the call returns at once. The default.</summary>
    DropNewest = 0,

    /// <summary>The oldest queued request is dropped (and counted) to make room for the new one.</summary>
    DropOldest = 1,

    /// <summary>The call blocks up to <see cref="KissmetricsOptions.QueueFullWaitTimeout"/> for room, then drops the new request (and counts it).</summary>
    Wait = 2,
}

/// <summary>Which way a <see cref="KissmetricsClient"/> sends its requests.</summary>
public enum KissmetricsTransport
{
    /// <summary>
    /// The socket transport, unless the client was given an <see cref="System.Net.Http.HttpClient"/> (or DI's
    /// <c>IHttpClientFactory</c> client was customised) or a proxy is configured (<c>HTTPS_PROXY</c>, <c>HTTP_PROXY</c>,
    /// <c>ALL_PROXY</c>): then <see cref="HttpClient"/>. The default.
    /// </summary>
    Auto = 0,

    /// <summary>The request's bytes written as they are to pooled keep-alive HTTP/1.1 connections (TLS through <c>SslStream</c>), pipelined.</summary>
    Sockets = 1,

    /// <summary>Through an <see cref="System.Net.Http.HttpClient"/>: one request per connection at a time, every handler and proxy setting honoured.</summary>
    HttpClient = 2,
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

/// <summary>An API key and its percent-encoded bytes.</summary>
internal sealed class EncodedApiKey
{
    private EncodedApiKey(string key, byte[] bytes)
    {
        Key = key;
        Bytes = bytes;
    }

    public string Key { get; }

    public byte[] Bytes { get; }

    public static EncodedApiKey Create(string? key)
    {
        // The same rule as KissmetricsOptions.Validate: a blank key is as useless as a missing one.
        if (key is null || string.IsNullOrWhiteSpace(key)) // netstandard2.0's IsNullOrWhiteSpace carries no nullable annotation
        {
            throw new KissmetricsConfigurationException(KissmetricsOptions.ApiKeyRequired);
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(key.Length * 3);
        var writer = new Serialization.KissmetricsWriter(buffer);
        writer.WriteEncodedText(key);
        writer.Flush();
        return new EncodedApiKey(key, buffer.WrittenSpan.ToArray());
    }
}
