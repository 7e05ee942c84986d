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

/// <summary>
/// Sends one request: GET, or POST with a form body when the URL would pass 2048 bytes. A Polly pipeline retries
/// transport errors, attempt timeouts, 408, 429 and 5xx with exponential backoff and jitter, honouring <c>Retry-After</c>
/// (capped at <see cref="KissmetricsOptions.MaxRetryDelay"/>), within <see cref="KissmetricsOptions.MaxAttempts"/> and
/// <see cref="KissmetricsOptions.MaxRetryDuration"/>. Every attempt sends the same bytes, so the original <c>_t</c> lets
/// Kissmetrics drop duplicates.
/// </summary>
internal sealed class HttpSender : IRequestTransport
{
    private static readonly UriCreationOptions s_verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };
    private static readonly MediaTypeHeaderValue s_form = new("application/x-www-form-urlencoded");
    private static readonly ResiliencePropertyKey<Attempt> s_attemptKey = new("Kissmetrics.Typed.Attempt");

    private readonly HttpClient _http;
    private readonly string _endpoint;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _maxRetryDelay;
    private readonly DeliveryTelemetry _telemetry;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public HttpSender(HttpClient http, KissmetricsOptions options, TimeProvider timeProvider, DeliveryTelemetry telemetry)
    {
        _http = http;
        _endpoint = options.Endpoint.GetLeftPart(UriPartial.Authority) + options.Endpoint.AbsolutePath.TrimEnd('/');
        _timeProvider = timeProvider;
        _maxRetryDelay = options.MaxRetryDelay;
        _telemetry = telemetry;

        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider };
        builder.AddTimeout(options.MaxRetryDuration); // every attempt and wait of one request
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = static args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    Attempt attempt = args.Context.Properties.GetValue(s_attemptKey, null!);
                    _telemetry.Retrying(attempt.PathForLog, args.AttemptNumber + 1, StatusOf(args.Outcome), FailureOf(args.Outcome.Exception), args.RetryDelay);
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            });
        }

        _pipeline = builder.AddTimeout(options.RequestTimeout).Build(); // one attempt
    }

    public async Task<SendResult> SendAsync(OutgoingRequest request, CancellationToken cancellationToken)
    {
        var attempt = new Attempt(this, request);
        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(s_attemptKey, attempt);
        try
        {
            using HttpResponseMessage response = await _pipeline.ExecuteAsync(
                static (context, attempt) => new ValueTask<HttpResponseMessage>(attempt.SendOnceAsync(context.CancellationToken)),
                context,
                attempt).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new SendResult(SendOutcome.Delivered, status, attempt.Count, null);
            }

            return IsTransientStatus(response.StatusCode)
                ? new SendResult(SendOutcome.GaveUp, status, attempt.Count, "HTTP " + status.ToString(System.Globalization.CultureInfo.InvariantCulture))
                : new SendResult(SendOutcome.Rejected, status, attempt.Count, "HTTP " + status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && exception is HttpRequestException or TimeoutRejectedException or OperationCanceledException or System.IO.IOException)
        {
            return new SendResult(SendOutcome.GaveUp, 0, attempt.Count, FailureOf(exception));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>The HTTP request for one attempt: the same bytes every time.</summary>
    internal HttpRequestMessage CreateMessage(ReadOnlySpan<byte> line)
    {
        string text = Encoding.ASCII.GetString(line);
        if (_endpoint.Length + text.Length <= OutgoingRequest.MaxGetUrlLength)
        {
            return new HttpRequestMessage(HttpMethod.Get, new Uri(_endpoint + text, in s_verbatim));
        }

        int query = text.IndexOf('?', StringComparison.Ordinal);
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(text, query + 1, text.Length - query - 1));
        content.Headers.ContentType = s_form;
        return new HttpRequestMessage(HttpMethod.Post, new Uri(_endpoint + text.Substring(0, query), in s_verbatim)) { Content = content };
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken) => outcome.Exception switch
    {
        null => outcome.Result is { } response && IsTransientStatus(response.StatusCode),
        HttpRequestException or TimeoutRejectedException or System.IO.IOException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested, // HttpClient.Timeout of a caller's client
        _ => false,
    };

    private static bool IsTransientStatus(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static int StatusOf(Outcome<HttpResponseMessage> outcome) => outcome.Result is { } response ? (int)response.StatusCode : 0;

    /// <summary>Why an attempt failed, without the URL (it carries the API key) or the exception's message.</summary>
    private static string? FailureOf(Exception? exception) => exception switch
    {
        null => null,
        HttpRequestException http => "transport error (" + http.HttpRequestError.ToString() + ")",
        TimeoutRejectedException => "timed out",
        OperationCanceledException => "canceled by HttpClient.Timeout",
        _ => exception.GetType().Name,
    };

    /// <summary>The wait a <c>Retry-After</c> header asks for, capped; <see langword="null"/> lets the backoff decide.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        RetryConditionHeaderValue? header = response?.Headers.RetryAfter;
        TimeSpan? wait = header?.Delta ?? (header?.Date is { } date ? date - _timeProvider.GetUtcNow() : null);
        if (wait is not { } delay || delay <= TimeSpan.Zero)
        {
            return null;
        }

        return delay > _maxRetryDelay ? _maxRetryDelay : delay;
    }

    /// <summary>One request across its attempts: the message is rebuilt from the same bytes each time.</summary>
    private sealed class Attempt
    {
        private readonly HttpSender _sender;
        private readonly OutgoingRequest _request;

        public Attempt(HttpSender sender, OutgoingRequest request)
        {
            _sender = sender;
            _request = request;
        }

        public int Count { get; private set; }

        public string PathForLog => _request.PathForLog;

        public async Task<HttpResponseMessage> SendOnceAsync(CancellationToken cancellationToken)
        {
            Count++;
            using HttpRequestMessage message = _sender.CreateMessage(_request.Bytes);
            return await _sender._http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
    }
}
