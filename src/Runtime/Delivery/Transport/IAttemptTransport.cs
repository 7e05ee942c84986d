using System;
using System.Threading.Tasks;

namespace Kissmetrics.Typed.Delivery.Transport;

/// <summary>Why an attempt got no usable HTTP answer.</summary>
internal enum AttemptFailure
{
    /// <summary>The attempt got an HTTP answer: see <see cref="AttemptResult.StatusCode"/>.</summary>
    None = 0,

    /// <summary>The connection could not be opened (refused, unreachable, DNS, TLS handshake).</summary>
    Connect,

    /// <summary>The connection was reset or closed before the answer was complete.</summary>
    ConnectionLost,

    /// <summary>No complete answer within <see cref="KissmetricsOptions.RequestTimeout"/>.</summary>
    Timeout,

    /// <summary>The server answered something that is not HTTP/1.1 (a garbled status line, bad framing).</summary>
    Protocol,

    /// <summary>
    /// The transport is stopping (the client is being disposed) and the attempt was abandoned before any of its bytes
    /// were written: the tracker cannot have it.
    /// </summary>
    Stopped,

    /// <summary>
    /// The transport is stopping and the attempt was abandoned after its bytes were (at least partly) written, before
    /// its answer: the tracker may or may not have recorded it.
    /// </summary>
    StoppedInFlight,
}

/// <summary>
/// What one attempt to send a request came to: an HTTP status, or a failure without one. A plain value: the fast
/// transport completes hundreds of these a second and allocates nothing for them.
/// </summary>
internal readonly struct AttemptResult
{
    private AttemptResult(int statusCode, AttemptFailure failure, TimeSpan? retryAfter)
    {
        StatusCode = statusCode;
        Failure = failure;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status; 0 when <see cref="Failure"/> is not <see cref="AttemptFailure.None"/>.</summary>
    public int StatusCode { get; }

    /// <summary>Why there is no status, or <see cref="AttemptFailure.None"/>.</summary>
    public AttemptFailure Failure { get; }

    /// <summary>The wait a <c>Retry-After</c> answer asked for (seconds, or an HTTP date less the client's clock), uncapped; <see langword="null"/> when there was none.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>A 2xx answer.</summary>
    public bool IsSuccess => StatusCode is >= 200 and <= 299;

    /// <summary>Worth another attempt: a failure without an answer (not <see cref="IsStopped"/>), 408, 429 or a 5xx.</summary>
    public bool IsTransient => Failure is not AttemptFailure.None and not AttemptFailure.Stopped and not AttemptFailure.StoppedInFlight
        || StatusCode is 408 or 429 or >= 500;

    /// <summary>Abandoned because the transport is stopping (<see cref="AttemptFailure.Stopped"/> or <see cref="AttemptFailure.StoppedInFlight"/>): not failed.</summary>
    public bool IsStopped => Failure is AttemptFailure.Stopped or AttemptFailure.StoppedInFlight;

    /// <summary>An HTTP answer.</summary>
    public static AttemptResult Answered(int statusCode, TimeSpan? retryAfter = null) => new(statusCode, AttemptFailure.None, retryAfter);

    /// <summary>No answer, for <paramref name="failure"/>.</summary>
    public static AttemptResult Failed(AttemptFailure failure) => new(0, failure, null);

    /// <summary>What the log says about a failed attempt: never the URL (it carries the API key) or a payload.</summary>
    public string Describe() => Failure switch
    {
        AttemptFailure.None => "HTTP " + StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AttemptFailure.Connect => "transport error (connect)",
        AttemptFailure.ConnectionLost => "transport error (connection lost)",
        AttemptFailure.Timeout => "timed out",
        AttemptFailure.Protocol => "transport error (not HTTP/1.1)",
        AttemptFailure.StoppedInFlight => "stopped in flight",
        _ => "stopped",
    };
}

/// <summary>Receives the end of attempts started with <see cref="IAttemptTransport.Send"/>.</summary>
internal interface IAttemptSink
{
    /// <summary>
    /// The attempt of <paramref name="request"/> ended with <paramref name="result"/>. Called exactly once per
    /// <see cref="IAttemptTransport.Send"/>, on a transport thread (never inline inside <c>Send</c>); it must not block.
    /// </summary>
    void AttemptCompleted(in OutgoingRequest request, in AttemptResult result);
}

/// <summary>
/// Carries out single attempts: one request, one answer, no retries (the dispatcher decides those). Two
/// implementations: <c>SocketTransport</c> writes the request's bytes as they are to pooled keep-alive HTTP/1.1
/// connections, many in flight at once; <c>HttpClientTransport</c> sends through an <see cref="System.Net.Http.HttpClient"/>
/// (a user's handler, a proxy).
/// </summary>
internal interface IAttemptTransport : IAsyncDisposable
{
    /// <summary>Which transport this is, for the start-up log line: for example <c>sockets (HTTP/1.1)</c> or <c>HttpClient</c>.</summary>
    string Name { get; }

    /// <summary>The most attempts it carries at once (more wait inside it, their timeouts running): the dispatcher's in-flight cap is at most this.</summary>
    int Capacity { get; }

    /// <summary>
    /// Starts one attempt: a GET of <c>Endpoint + request</c>, or a POST of the query as a form when the URL would pass
    /// 2048 bytes. Returns at once; <paramref name="sink"/> hears the end exactly once, within about
    /// <see cref="KissmetricsOptions.RequestTimeout"/>. The transport reads the request's bytes and never keeps them
    /// past that call. After <see cref="IAsyncDisposable.DisposeAsync"/> begins, attempts end with
    /// <see cref="AttemptFailure.StoppedInFlight"/> when any of their bytes were written (the tracker may have them),
    /// and with <see cref="AttemptFailure.Stopped"/> otherwise.
    /// </summary>
    void Send(in OutgoingRequest request, IAttemptSink sink);
}
