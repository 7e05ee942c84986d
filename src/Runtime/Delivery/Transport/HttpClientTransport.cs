using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Kissmetrics.Typed.Delivery.Transport;

/// <summary>
/// Attempts through an <see cref="HttpClient"/>: the transport whenever the user's own client or handler must be
/// honoured (an <see cref="HttpClient"/> given to the client, a customised <c>IHttpClientFactory</c> client) or a
/// proxy is configured. Each attempt builds its <see cref="HttpRequestMessage"/> from the request's bytes (a string
/// and a <see cref="Uri"/> per attempt: the price of going through <see cref="HttpClient"/>) and is bounded by
/// <see cref="KissmetricsOptions.RequestTimeout"/>.
/// </summary>
/// <remarks>
/// An attempt abandoned at shutdown ends as <see cref="AttemptFailure.StoppedInFlight"/> when the tracker may have it and
/// as <see cref="AttemptFailure.Stopped"/> when it cannot. Through the handler of the client's own (see
/// <c>ObserveWrites</c>) that is known: its connections' streams mark the attempt whose bytes they write. Through
/// an <see cref="HttpClient"/> of the user's it is not (a handler of theirs decides when and whether anything is written),
/// so an attempt that <see cref="HttpClient"/> took before the stop and did not answer counts as in flight.
/// </remarks>
internal sealed class HttpClientTransport : IAttemptTransport
{
#if NET
    private static readonly UriCreationOptions s_verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };
#endif
    private static readonly MediaTypeHeaderValue s_form = new("application/x-www-form-urlencoded");

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly string _endpoint;
    private readonly TimeSpan _requestTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _observesWrites;
    private int _inFlight = 1; // the transport's own reference, dropped by DisposeAsync

    /// <summary>The attempt whose request the current flow is sending: the connection stream of <c>ObserveWrites</c> marks it written.</summary>
    private static readonly AsyncLocal<WriteMark?> s_sending = new();

    /// <summary>Creates the transport.</summary>
    /// <param name="http">Sends the requests.</param>
    /// <param name="ownsHttp">Whether disposing the transport disposes <paramref name="http"/>.</param>
    /// <param name="options">Endpoint and RequestTimeout are read once, here.</param>
    /// <param name="timeProvider">Timeouts and <c>Retry-After</c> dates.</param>
    /// <param name="capacity">The most attempts it carries at once.</param>
    /// <param name="observesWrites">The primary handler of <paramref name="http"/> has <c>ObserveWrites</c> as its stream filter, so an attempt stopped in flight is known to have been written or not.</param>
    public HttpClientTransport(HttpClient http, bool ownsHttp, KissmetricsOptions options, TimeProvider timeProvider, int capacity = int.MaxValue, bool observesWrites = false)
    {
        Capacity = capacity;
        _http = http;
        _ownsHttp = ownsHttp;
        _observesWrites = observesWrites;
        _endpoint = OutgoingRequest.UrlPrefix(options.Endpoint);
        _requestTimeout = options.RequestTimeout;
        _timeProvider = timeProvider;
    }

    public string Name => "HttpClient";

    /// <summary>The connections of the client's own handler; unknown (unbounded) for a user's <see cref="HttpClient"/>.</summary>
    public int Capacity { get; }

    public void Send(in OutgoingRequest request, IAttemptSink sink)
    {
        Interlocked.Increment(ref _inFlight);
        OutgoingRequest copy = request;
        // Off the dispatcher's thread, so that a handler answering synchronously never completes inside Send.
        _ = Task.Run(() => SendAsync(copy, sink));
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Leave();
        await _drained.Task.ConfigureAwait(false);
        _stopping.Dispose();
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>The HTTP request for one attempt: GET of the endpoint and the request, or a POST of its query as a form past 2048 bytes.</summary>
    internal HttpRequestMessage CreateMessage(ReadOnlySpan<byte> line)
    {
        string text = Encoding.ASCII.GetString(line);
        if (OutgoingRequest.IsGet(_endpoint.Length, text.Length))
        {
            return new HttpRequestMessage(HttpMethod.Get, Verbatim(_endpoint + text));
        }

        int query = text.IndexOf('?', StringComparison.Ordinal);
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(text, query + 1, text.Length - query - 1));
        content.Headers.ContentType = s_form;
        return new HttpRequestMessage(HttpMethod.Post, Verbatim(_endpoint + text.Substring(0, query))) { Content = content };
    }

    /// <summary>
    /// The address as written. .NET is told not to canonicalise it; netstandard2.0 cannot say so, and needs nothing said:
    /// the path is the endpoint's and the query is percent-encoded RFC 3986 unreserved text, which no Uri rewrites.
    /// </summary>
    private static Uri Verbatim(string address) =>
#if NET
        new(address, in s_verbatim);
#else
        new(address, UriKind.Absolute);
#endif

#if NET
    /// <summary>
    /// The <see cref="SocketsHttpHandler.PlaintextStreamFilter"/> of the handler the client makes for itself: wraps each
    /// connection's stream (after TLS, so what it sees are request bytes) in one that marks the attempt being sent when
    /// it writes. HTTP/1.1 writes a request on the flow that sends it, so the mark is the attempt's own.
    /// </summary>
    internal static ValueTask<Stream> ObserveWrites(SocketsHttpPlaintextStreamFilterContext context, CancellationToken cancellationToken) =>
        new(new WriteObservingStream(context.PlaintextStream));
#endif

    private async Task SendAsync(OutgoingRequest request, IAttemptSink sink)
    {
        AttemptResult result;
#if NET
        using var timeout = new CancellationTokenSource(_requestTimeout, _timeProvider);
#else
        using CancellationTokenSource timeout = _timeProvider.CreateCancellationTokenSource(_requestTimeout);
#endif
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stopping.Token);
        WriteMark? mark = null;
        bool handedOver = false;
        try
        {
            using HttpRequestMessage message = CreateMessage(request.Bytes);
            if (_observesWrites)
            {
                s_sending.Value = mark = new WriteMark(); // this method's flow only: the caller's is left as it was
            }

            handedOver = !_stopping.IsCancellationRequested; // HttpClient sends nothing for a token already cancelled
            using HttpResponseMessage response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            result = AttemptResult.Answered((int)response.StatusCode, RetryAfter(response));
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
            // Our handler says whether any byte was written; a user's HttpClient cannot say, so what it took is in flight.
            bool written = mark is not null ? mark.Written : handedOver;
            result = AttemptResult.Failed(written ? AttemptFailure.StoppedInFlight : AttemptFailure.Stopped);
        }
        catch (OperationCanceledException)
        {
            result = AttemptResult.Failed(AttemptFailure.Timeout); // ours, or the HttpClient's own Timeout
        }
        catch (HttpRequestException exception)
        {
#if NET
            result = AttemptResult.Failed(exception.HttpRequestError switch
            {
                HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError => AttemptFailure.Connect,
                HttpRequestError.InvalidResponse or HttpRequestError.ResponseEnded when exception.InnerException is not System.IO.IOException => AttemptFailure.Protocol,
                _ => AttemptFailure.ConnectionLost,
            });
#else
            // netstandard2.0 has no HttpRequestError: a socket error or .NET Framework's WebException says the connect
            // failed; anything else is taken as a connection lost (so retried), never as a protocol error.
            result = AttemptResult.Failed(exception.InnerException switch
            {
                SocketException or System.Security.Authentication.AuthenticationException => AttemptFailure.Connect,
                System.Net.WebException { Status: System.Net.WebExceptionStatus.ConnectFailure or System.Net.WebExceptionStatus.NameResolutionFailure or System.Net.WebExceptionStatus.SecureChannelFailure } => AttemptFailure.Connect,
                _ => AttemptFailure.ConnectionLost,
            });
#endif
        }
        catch (Exception exception) when (exception is System.IO.IOException or SocketException)
        {
            result = AttemptResult.Failed(AttemptFailure.ConnectionLost);
        }

        try
        {
            sink.AttemptCompleted(request, result);
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>The wait a <c>Retry-After</c> header asks for, on the client's clock; uncapped (the retry policy caps it).</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        RetryConditionHeaderValue? header = response.Headers.RetryAfter;
        return header?.Delta ?? (header?.Date is { } date ? date - _timeProvider.GetUtcNow() : null);
    }

    /// <summary>Whether a connection wrote any of an attempt's bytes.</summary>
    private sealed class WriteMark
    {
        private volatile bool _written;

        public bool Written => _written;

        public void Set() => _written = true;
    }

#if NET
    /// <summary>A connection's stream, as it was, except that a write marks the attempt being sent (<see cref="s_sending"/>).</summary>
    private sealed class WriteObservingStream : Stream
    {
        private readonly Stream _inner;

        public WriteObservingStream(Stream inner) => _inner = inner;

        public override bool CanRead => _inner.CanRead;

        public override bool CanSeek => false;

        public override bool CanWrite => _inner.CanWrite;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => _inner.Read(buffer);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _inner.ReadAsync(buffer, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count)
        {
            Written();
            _inner.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Written();
            _inner.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Written();
            return _inner.WriteAsync(buffer, offset, count, cancellationToken);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Written();
            return _inner.WriteAsync(buffer, cancellationToken);
        }

        public override void Flush() => _inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync() => _inner.DisposeAsync();

        private static void Written() => s_sending.Value?.Set();
    }
#endif

    private void Leave()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0)
        {
            _drained.TrySetResult();
        }
    }
}
