using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Kissmetrics.Typed.Delivery;

/// <summary>The outcome of delivering one request, after every attempt.</summary>
internal enum SendOutcome
{
    Delivered,
    Rejected,
    GaveUp,
}

/// <summary>
/// Sends one request: GET, or POST with a form body when the URL would pass 2048 bytes; retried by a Polly
/// pipeline on transport errors, timeouts, 408, 429 and 5xx, honouring <c>Retry-After</c>. Every attempt sends the
/// same bytes, so the original <c>_t</c> lets Kissmetrics drop duplicates.
/// </summary>
internal sealed class HttpSender
{
    /// <summary>The longest URL sent as GET; longer requests are POSTed (mapping.md §2).</summary>
    public const int MaxGetUrlLength = 2048;

    private static readonly TimeSpan s_maxRetryAfter = TimeSpan.FromSeconds(60);
    private static readonly UriCreationOptions s_verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    private readonly HttpClient _http;
    private readonly string _endpoint;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly Action _onRetry;

    public HttpSender(HttpClient http, KissmetricsOptions options, TimeProvider timeProvider, Action onRetry)
    {
        _http = http;
        _endpoint = options.Endpoint.GetLeftPart(UriPartial.Authority) + options.Endpoint.AbsolutePath.TrimEnd('/');
        _onRetry = onRetry;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider };
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = s_maxRetryAfter,
                ShouldHandle = static args => ValueTask.FromResult(IsTransient(args.Outcome)),
                DelayGenerator = static args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    _onRetry();
                    return default;
                },
            });
        }

        _pipeline = builder.AddTimeout(options.RequestTimeout).Build();
    }

    public async Task<(SendOutcome Outcome, HttpStatusCode? Status)> SendAsync(OutgoingRequest request, CancellationToken cancellationToken)
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            using HttpResponseMessage response = await _pipeline.ExecuteAsync(
                static (context, state) => new ValueTask<HttpResponseMessage>(state.Sender.SendOnceAsync(state.Request, context.CancellationToken)),
                context,
                (Sender: this, Request: request)).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return (SendOutcome.Delivered, response.StatusCode);
            }

            return (IsTransientStatus(response.StatusCode) ? SendOutcome.GaveUp : SendOutcome.Rejected, response.StatusCode);
        }
        catch (Exception exception) when ((exception is HttpRequestException or TimeoutRejectedException or TaskCanceledException) && !cancellationToken.IsCancellationRequested)
        {
            return (SendOutcome.GaveUp, null);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(OutgoingRequest request, CancellationToken cancellationToken)
    {
        using HttpRequestMessage message = CreateMessage(request.Bytes);
        return await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    internal HttpRequestMessage CreateMessage(ReadOnlySpan<byte> line)
    {
        string text = Encoding.ASCII.GetString(line);
        if (_endpoint.Length + text.Length <= MaxGetUrlLength)
        {
            return new HttpRequestMessage(HttpMethod.Get, new Uri(_endpoint + text, in s_verbatim));
        }

        int query = text.IndexOf('?', StringComparison.Ordinal);
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(text, query + 1, text.Length - query - 1));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return new HttpRequestMessage(HttpMethod.Post, new Uri(_endpoint + text.Substring(0, query), in s_verbatim)) { Content = content };
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        HttpRequestException or TimeoutRejectedException => true,
        null => outcome.Result is { } response && IsTransientStatus(response.StatusCode),
        _ => false,
    };

    private static bool IsTransientStatus(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        RetryConditionHeaderValue? header = response?.Headers.RetryAfter;
        TimeSpan? wait = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (wait is not { } delay || delay <= TimeSpan.Zero)
        {
            return null; // the backoff decides
        }

        return delay > s_maxRetryAfter ? s_maxRetryAfter : delay;
    }
}
