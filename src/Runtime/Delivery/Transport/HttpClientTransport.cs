using System;
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
internal sealed class HttpClientTransport : IAttemptTransport
{
    private static readonly UriCreationOptions s_verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };
    private static readonly MediaTypeHeaderValue s_form = new("application/x-www-form-urlencoded");

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly string _endpoint;
    private readonly TimeSpan _requestTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight = 1; // the transport's own reference, dropped by DisposeAsync

    public HttpClientTransport(HttpClient http, bool ownsHttp, KissmetricsOptions options, TimeProvider timeProvider, int capacity = int.MaxValue)
    {
        Capacity = capacity;
        _http = http;
        _ownsHttp = ownsHttp;
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
            return new HttpRequestMessage(HttpMethod.Get, new Uri(_endpoint + text, in s_verbatim));
        }

        int query = text.IndexOf('?', StringComparison.Ordinal);
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(text, query + 1, text.Length - query - 1));
        content.Headers.ContentType = s_form;
        return new HttpRequestMessage(HttpMethod.Post, new Uri(_endpoint + text.Substring(0, query), in s_verbatim)) { Content = content };
    }

    private async Task SendAsync(OutgoingRequest request, IAttemptSink sink)
    {
        AttemptResult result;
        using var timeout = new CancellationTokenSource(_requestTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stopping.Token);
        try
        {
            using HttpRequestMessage message = CreateMessage(request.Bytes);
            using HttpResponseMessage response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            result = AttemptResult.Answered((int)response.StatusCode, RetryAfter(response));
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
            result = AttemptResult.Failed(AttemptFailure.Stopped);
        }
        catch (OperationCanceledException)
        {
            result = AttemptResult.Failed(AttemptFailure.Timeout); // ours, or the HttpClient's own Timeout
        }
        catch (HttpRequestException exception)
        {
            result = AttemptResult.Failed(exception.HttpRequestError switch
            {
                HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError => AttemptFailure.Connect,
                HttpRequestError.InvalidResponse or HttpRequestError.ResponseEnded when exception.InnerException is not System.IO.IOException => AttemptFailure.Protocol,
                _ => AttemptFailure.ConnectionLost,
            });
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

    private void Leave()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0)
        {
            _drained.TrySetResult();
        }
    }
}
