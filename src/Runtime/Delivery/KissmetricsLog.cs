using System;
using Microsoft.Extensions.Logging;

namespace Kissmetrics.Typed.Delivery;

/// <summary>
/// Everything the client logs, source-generated. Messages name paths (<c>/e</c>), statuses, counts and file names:
/// never the API key or a request's parameters (the whole query is payload).
/// </summary>
internal static partial class KissmetricsLog
{
    [LoggerMessage(EventId = 1, EventName = "Started", Level = LogLevel.Information,
        Message = "Kissmetrics client started: {Host} over {Transport}, queue {Capacity} ({Mode}), {MinConcurrency}-{MaxConcurrency} requests in flight, spool {Spool}")]
    public static partial void Started(ILogger logger, string host, string transport, int capacity, KissmetricsQueueFullMode mode, int minConcurrency, int maxConcurrency, string spool);

    [LoggerMessage(EventId = 2, EventName = "QueueFull", Level = LogLevel.Warning,
        Message = "Kissmetrics queue full ({Capacity} requests, {Mode}): {Dropped} request(s) dropped since the last report")]
    public static partial void QueueFull(ILogger logger, int capacity, KissmetricsQueueFullMode mode, long dropped);

    [LoggerMessage(EventId = 3, EventName = "Retrying", Level = LogLevel.Debug,
        Message = "Kissmetrics {Path} request failed ({Reason}); attempt {Attempt} in {DelayMilliseconds} ms")]
    public static partial void Retrying(ILogger logger, string path, string reason, int attempt, long delayMilliseconds);

    [LoggerMessage(EventId = 4, EventName = "Rejected", Level = LogLevel.Warning,
        Message = "Kissmetrics answered a {Path} request with HTTP {StatusCode}; not retried, dropped")]
    public static partial void Rejected(ILogger logger, string path, int statusCode);

    [LoggerMessage(EventId = 5, EventName = "GaveUp", Level = LogLevel.Warning,
        Message = "Kissmetrics {Path} request given up after {Attempts} attempt(s) ({Reason}); dropped")]
    public static partial void GaveUp(ILogger logger, string path, int attempts, string reason);

    /// <summary>The shutdown summary when something may be lost: requests dropped, or in flight with an unknown outcome.</summary>
    [LoggerMessage(EventId = 6, EventName = "DroppedAtShutdown", Level = LogLevel.Warning,
        Message = "Kissmetrics client stopped: {Dropped} request(s) unsent, dropped; {InFlight} in flight at shutdown, outcome unknown (sent, no answer yet: the tracker may have recorded them; not sent again); {Kept} kept in the spool for the next start")]
    public static partial void DroppedAtShutdown(ILogger logger, long dropped, long inFlight, long kept);

    /// <summary>The shutdown summary when nothing was dropped or left in flight, but requests wait in the spool.</summary>
    [LoggerMessage(EventId = 7, EventName = "KeptInSpool", Level = LogLevel.Information,
        Message = "Kissmetrics client stopped: {Dropped} request(s) unsent, dropped; {InFlight} in flight at shutdown, outcome unknown; {Kept} kept in the spool for the next start")]
    public static partial void KeptInSpool(ILogger logger, long dropped, long inFlight, long kept);

    [LoggerMessage(EventId = 8, EventName = "CalledAfterDispose", Level = LogLevel.Warning,
        Message = "A Kissmetrics call was made after the client was disposed; ignored (every such call is counted)")]
    public static partial void CalledAfterDispose(ILogger logger);

    [LoggerMessage(EventId = 9, EventName = "SpoolReplayed", Level = LogLevel.Information,
        Message = "Kissmetrics spool {Directory}: {Replayed} request(s) replayed, {Expired} expired, {Corrupted} corrupted line(s) skipped, {Acknowledged} already accounted for before the last stop")]
    public static partial void SpoolReplayed(ILogger logger, string directory, long replayed, long expired, long corrupted, long acknowledged);

    [LoggerMessage(EventId = 10, EventName = "SpoolCorrupted", Level = LogLevel.Warning,
        Message = "Kissmetrics spool file {File}: a corrupted or truncated line was skipped")]
    public static partial void SpoolCorrupted(ILogger logger, string file);

    [LoggerMessage(EventId = 11, EventName = "SpoolEvicted", Level = LogLevel.Warning,
        Message = "Kissmetrics spool over {MaxBytes} bytes: removed its oldest file {File}")]
    public static partial void SpoolEvicted(ILogger logger, long maxBytes, string file);

    [LoggerMessage(EventId = 12, EventName = "SpoolWriteFailed", Level = LogLevel.Error,
        Message = "Kissmetrics spool writes failing: {Count} since the last report ({Total} in all); those requests are kept in memory only")]
    public static partial void SpoolWriteFailed(ILogger logger, long count, long total, Exception exception);

    [LoggerMessage(EventId = 13, EventName = "SenderFailed", Level = LogLevel.Error,
        Message = "Kissmetrics {Path} request failed unexpectedly ({ExceptionType}); dropped")]
    public static partial void SenderFailed(ILogger logger, string path, string exceptionType);

    [LoggerMessage(EventId = 14, EventName = "ValidationFailed", Level = LogLevel.Warning,
        Message = "Kissmetrics '{Name}' broke {Count} validation rule(s), first {WireName} ({Rule}: {RuleMessage}); {Action}")]
    public static partial void ValidationFailed(ILogger logger, string name, int count, string wireName, KissmetricsValidationRule rule, string ruleMessage, string action);

    [LoggerMessage(EventId = 30, EventName = "SpoolUnavailable", Level = LogLevel.Error,
        Message = "Kissmetrics spool unusable: {Cause}; requests are kept in memory only (not durable) and the directory is tried again every {RetrySeconds} s")]
    public static partial void SpoolUnavailable(ILogger logger, string cause, long retrySeconds);

    [LoggerMessage(EventId = 31, EventName = "SpoolAvailable", Level = LogLevel.Information,
        Message = "Kissmetrics spool {Directory} opened: requests are durable again")]
    public static partial void SpoolAvailable(ILogger logger, string directory);

    [LoggerMessage(EventId = 32, EventName = "SpoolWritable", Level = LogLevel.Information,
        Message = "Kissmetrics spool {Directory} writable again after {Count} failed write(s)")]
    public static partial void SpoolWritable(ILogger logger, string directory, long count);

    [LoggerMessage(EventId = 33, EventName = "SpoolDirectoryMadePrivate", Level = LogLevel.Warning,
        Message = "Kissmetrics spool {Directory} was open to other users (mode {Mode}); made private (0700): its files hold the API key")]
    public static partial void SpoolDirectoryMadePrivate(ILogger logger, string directory, string mode);
}
