using System;
using Microsoft.Extensions.Logging;

namespace Kissmetrics.Typed.Delivery;

/// <summary>
/// What the socket transport logs: connections opening, closing and failing, and pipelining paused and resumed. Hosts,
/// ports, numbers and reasons only: never a request's target (its query carries the API key and the payload).
/// </summary>
internal static partial class KissmetricsLog
{
    [LoggerMessage(EventId = 20, EventName = "ConnectionOpened", Level = LogLevel.Debug,
        Message = "Kissmetrics connection {ConnectionId} opened to {Host}:{Port} ({Security})")]
    public static partial void ConnectionOpened(ILogger logger, int connectionId, string host, int port, string security);

    [LoggerMessage(EventId = 21, EventName = "ConnectionClosed", Level = LogLevel.Debug,
        Message = "Kissmetrics connection {ConnectionId} closed ({Reason}) after {Answered} answer(s), {Outstanding} written request(s) unanswered")]
    public static partial void ConnectionClosed(ILogger logger, int connectionId, string reason, long answered, int outstanding);

    [LoggerMessage(EventId = 22, EventName = "ConnectionFailed", Level = LogLevel.Debug,
        Message = "Kissmetrics connection {ConnectionId} to {Host}:{Port} could not be opened ({ExceptionType}); {Waiting} request(s) failed")]
    public static partial void ConnectionFailed(ILogger logger, int connectionId, string host, int port, string exceptionType, int waiting, Exception? exception);

    [LoggerMessage(EventId = 23, EventName = "PipeliningPaused", Level = LogLevel.Debug,
        Message = "Kissmetrics connection {ConnectionId} broke with {Outstanding} pipelined request(s) unanswered; one request per connection for {Seconds} s")]
    public static partial void PipeliningPaused(ILogger logger, int connectionId, int outstanding, double seconds);

    [LoggerMessage(EventId = 24, EventName = "PipeliningResumed", Level = LogLevel.Debug,
        Message = "Kissmetrics pipelining resumed (up to {Depth} request(s) per connection)")]
    public static partial void PipeliningResumed(ILogger logger, int depth);

    [LoggerMessage(EventId = 25, EventName = "AttemptSinkFailed", Level = LogLevel.Error,
        Message = "The Kissmetrics attempt sink threw {ExceptionType}; the transport carries on")]
    public static partial void AttemptSinkFailed(ILogger logger, string exceptionType, Exception exception);
}
