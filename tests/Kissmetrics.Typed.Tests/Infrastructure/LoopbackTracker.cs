using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Kissmetrics.Typed.Tests.Infrastructure;

/// <summary>One request the tracker received.</summary>
/// <param name="Method">GET or POST.</param>
/// <param name="Path">The path, for example <c>/e</c>.</param>
/// <param name="RawTarget">The request target exactly as sent (path and query, still percent-encoded).</param>
/// <param name="RawQuery">The query without <c>?</c>, still percent-encoded; empty when there is none.</param>
/// <param name="ContentType">The body's content type, if any.</param>
/// <param name="RawBody">The body bytes.</param>
/// <param name="Parameters">The query's parameters then the form body's, decoded (UTF-8; <c>+</c> is not a space).</param>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string RawTarget,
    string RawQuery,
    string? ContentType,
    byte[] RawBody,
    IReadOnlyList<KeyValuePair<string, string>> Parameters)
{
    /// <summary>The body as ASCII text (the client only ever sends percent-encoded bodies).</summary>
    public string BodyText => Encoding.ASCII.GetString(RawBody);

    /// <summary>The parameter names in order.</summary>
    public IReadOnlyList<string> Names => Parameters.Select(p => p.Key).ToArray();

    /// <summary>The value of the only parameter named <paramref name="name"/>.</summary>
    public string this[string name] => Parameters.Single(p => p.Key == name).Value;
}

/// <summary>What the tracker does with one request.</summary>
public abstract record TrackerResponse
{
    /// <summary>Answers with <paramref name="statusCode"/>, and a <c>Retry-After</c> in whole seconds when given.</summary>
    public static TrackerResponse Status(int statusCode, int? retryAfterSeconds = null) => new StatusResponse(statusCode, retryAfterSeconds);

    /// <summary>Never answers: waits until the client gives up (or the tracker is disposed).</summary>
    public static TrackerResponse Hang { get; } = new HangResponse();

    /// <summary>Aborts the connection without an answer.</summary>
    public static TrackerResponse Abort { get; } = new AbortResponse();

    /// <summary>Answers <paramref name="statusCode"/> with a <c>Retry-After</c> HTTP date.</summary>
    public static TrackerResponse StatusRetryAt(int statusCode, DateTimeOffset retryAt) => new RetryAtResponse(statusCode, retryAt);

    /// <summary>Waits for <paramref name="release"/> (or the client giving up), then answers 200.</summary>
    public static TrackerResponse WaitFor(Task release) => new GateResponse(release);

    internal sealed record StatusResponse(int StatusCode, int? RetryAfterSeconds) : TrackerResponse;

    internal sealed record HangResponse : TrackerResponse;

    internal sealed record AbortResponse : TrackerResponse;

    internal sealed record RetryAtResponse(int StatusCode, DateTimeOffset RetryAt) : TrackerResponse;

    internal sealed record GateResponse(Task Release) : TrackerResponse;
}

/// <summary>
/// A real HTTP server standing in for <c>trk.kissmetrics.io</c>: Kestrel on <c>127.0.0.1</c> with a port the OS
/// chooses. It records every request and answers from a script (then 200 with a 1x1 GIF, as Kissmetrics does).
/// It binds the loopback address only.
/// </summary>
public sealed class LoopbackTracker : IAsyncDisposable
{
    /// <summary>How long <see cref="WaitForRequestsAsync"/> waits unless told otherwise.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(15);

    /// <summary>The 1x1 transparent GIF Kissmetrics answers with.</summary>
    public static readonly byte[] Gif = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly List<RecordedRequest> _requests = new();
    private readonly Queue<TrackerResponse> _script = new();
    private readonly List<(int Count, TaskCompletionSource<IReadOnlyList<RecordedRequest>> Done)> _waiters = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private int _concurrent;
    private int _maxConcurrent;

    private LoopbackTracker(WebApplication app) => _app = app;

    /// <summary>The tracker's base address, <c>http://127.0.0.1:&lt;port&gt;/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A snapshot of the requests received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>The most requests the tracker was answering at the same time.</summary>
    public int MaxConcurrentRequests => Volatile.Read(ref _maxConcurrent);

    /// <summary>Answers every request not scripted otherwise with this (default 200 with the GIF).</summary>
    public TrackerResponse? DefaultResponse { get; set; }

    /// <summary>Starts a tracker on <c>127.0.0.1</c>, on a port the OS chooses (or on <paramref name="port"/>, to bring a stopped tracker back).</summary>
    public static async Task<LoopbackTracker> StartAsync(int port = 0)
    {
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.Limits.MaxRequestBodySize = 1024 * 1024;
        });
        WebApplication app = builder.Build();
        var tracker = new LoopbackTracker(app);
        app.Run(tracker.HandleAsync);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);

        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        var baseAddress = new Uri(address.TrimEnd('/') + "/");
        if (!IPAddress.TryParse(baseAddress.Host, out IPAddress? ip) || !IPAddress.IsLoopback(ip))
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"The tracker must listen on loopback only, not {address}.");
        }

        tracker.BaseAddress = baseAddress;
        return tracker;
    }

    /// <summary>Queues answers for the next requests, in order; once they are used up the tracker answers 200.</summary>
    public void Enqueue(params TrackerResponse[] responses)
    {
        lock (_gate)
        {
            foreach (TrackerResponse response in responses)
            {
                _script.Enqueue(response);
            }
        }
    }

    /// <summary>Completes with the first <paramref name="count"/> requests once they have arrived; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<RecordedRequest>> WaitForRequestsAsync(int count, TimeSpan? timeout = null)
    {
        TaskCompletionSource<IReadOnlyList<RecordedRequest>> done;
        lock (_gate)
        {
            if (_requests.Count >= count)
            {
                return _requests.Take(count).ToArray();
            }

            done = new TaskCompletionSource<IReadOnlyList<RecordedRequest>>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
        }

        try
        {
            return await done.Task.WaitAsync(timeout ?? DefaultWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                _waiters.Remove((count, done));
                throw new TimeoutException($"Expected {count} request(s) within {timeout ?? DefaultWait}; {_requests.Count} arrived.");
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        using (var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try
            {
                await _app.StopAsync(stopTimeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>Decodes <c>a=1&amp;b=%20</c> into ordered pairs: <c>%XX</c> as UTF-8 bytes, <c>+</c> kept as it is.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> DecodeParameters(string encoded)
    {
        var parameters = new List<KeyValuePair<string, string>>();
        foreach (string pair in encoded.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string name = equals < 0 ? pair : pair.Substring(0, equals);
            string value = equals < 0 ? string.Empty : pair.Substring(equals + 1);
            parameters.Add(new(PercentDecode(name), PercentDecode(value)));
        }

        return parameters;
    }

    private static string PercentDecode(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '%')
            {
                if (i + 2 >= text.Length || !Uri.IsHexDigit(text[i + 1]) || !Uri.IsHexDigit(text[i + 2]))
                {
                    throw new FormatException($"Malformed percent-encoding in '{text}'.");
                }

                bytes.Add((byte)((Uri.FromHex(text[i + 1]) << 4) | Uri.FromHex(text[i + 2])));
                i += 2;
            }
            else if (c > 0x7F)
            {
                throw new FormatException($"Raw non-ASCII character in '{text}'.");
            }
            else
            {
                bytes.Add((byte)c);
            }
        }

        return s_strictUtf8.GetString(bytes.ToArray());
    }

    private async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        byte[] body;
        using (var memory = new MemoryStream())
        {
            await request.Body.CopyToAsync(memory, context.RequestAborted).ConfigureAwait(false);
            body = memory.ToArray();
        }

        string rawTarget = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        string rawQuery = request.QueryString.HasValue ? request.QueryString.Value!.Substring(1) : string.Empty;
        var parameters = new List<KeyValuePair<string, string>>(DecodeParameters(rawQuery));
        if (request.ContentType is { } contentType && contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            parameters.AddRange(DecodeParameters(Encoding.ASCII.GetString(body)));
        }

        int concurrent = Interlocked.Increment(ref _concurrent);
        int max;
        while (concurrent > (max = Volatile.Read(ref _maxConcurrent)) && Interlocked.CompareExchange(ref _maxConcurrent, concurrent, max) != max)
        {
        }

        try
        {
            await RespondAsync(context, request, rawTarget, rawQuery, body, parameters).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _concurrent);
        }
    }

    private async Task RespondAsync(HttpContext context, HttpRequest request, string rawTarget, string rawQuery, byte[] body, List<KeyValuePair<string, string>> parameters)
    {
        var recorded = new RecordedRequest(request.Method, request.Path.Value ?? string.Empty, rawTarget, rawQuery, request.ContentType, body, parameters);
        TrackerResponse? scripted;
        lock (_gate)
        {
            _requests.Add(recorded);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Count <= _requests.Count)
                {
                    _waiters[i].Done.TrySetResult(_requests.Take(_waiters[i].Count).ToArray());
                    _waiters.RemoveAt(i);
                }
            }

            if (!_script.TryDequeue(out scripted))
            {
                scripted = DefaultResponse;
            }
        }

        switch (scripted)
        {
            case TrackerResponse.HangResponse:
                using (var hang = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token))
                {
                    try
                    {
                        await Task.Delay(Timeout.InfiniteTimeSpan, hang.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }

                context.Abort();
                return;

            case TrackerResponse.AbortResponse:
                context.Abort();
                return;

            case TrackerResponse.RetryAtResponse retryAt:
                context.Response.StatusCode = retryAt.StatusCode;
                context.Response.Headers.RetryAfter = retryAt.RetryAt.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                return;

            case TrackerResponse.GateResponse gate:
                try
                {
                    await gate.Release.WaitAsync(context.RequestAborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                context.Response.StatusCode = StatusCodes.Status200OK;
                return;

            case TrackerResponse.StatusResponse { StatusCode: not 200 } status:
                context.Response.StatusCode = status.StatusCode;
                if (status.RetryAfterSeconds is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                return;

            default:
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "image/gif";
                context.Response.ContentLength = Gif.Length;
                await context.Response.Body.WriteAsync(Gif, context.RequestAborted).ConfigureAwait(false);
                return;
        }
    }
}
