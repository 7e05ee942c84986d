using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Tests.Infrastructure;
using Xunit;
using static Kissmetrics.Typed.Tests.Infrastructure.DeliveryTestKit;

namespace Kissmetrics.Typed.Tests.Delivery;

/// <summary><see cref="KissmetricsClient"/> end to end against a real HTTP server on loopback.</summary>
public sealed class ClientLoopbackTests
{
    private const string ApiKey = "test-key";
    private static readonly DateTimeOffset s_when = new(2014, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan s_testTimeout = TimeSpan.FromSeconds(20);

    private static KissmetricsOptions Options(LoopbackTracker tracker) => new()
    {
        ApiKey = ApiKey,
        Endpoint = tracker.BaseAddress,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        RequestTimeout = TimeSpan.FromSeconds(5),
        ShutdownTimeout = TimeSpan.FromSeconds(10),
    };

    private static HttpClient NewHttpClient() => new(new SocketsHttpHandler { UseProxy = false });

    private static async Task FlushAsync(KissmetricsClient client)
    {
        using var timeout = new CancellationTokenSource(s_testTimeout);
        await client.FlushAsync(timeout.Token);
    }

    private static KeyValuePair<string, string> P(string name, string value) => new(name, value);

    [Fact]
    public async Task TrackSendsAGetToEWithControlParametersFirst()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        using HttpClient http = NewHttpClient();
        await using var client = NewClient(Options(tracker), http);

        client.Track("bob+1@example.com", new HandWrittenEvent("Pro & Co = 100% #1 é😀\n"), s_when);
        await FlushAsync(client);

        RecordedRequest request = Assert.Single(await tracker.WaitForRequestsAsync(1));
        Assert.Equal("GET", request.Method);
        Assert.Equal("/e", request.Path);
        Assert.Empty(request.RawBody);
        Assert.Equal(
            new[]
            {
                P("_k", ApiKey),
                P("_p", "bob+1@example.com"),
                P("_n", "Signed Up"),
                P("_t", "1388534400"),
                P("_d", "1"),
                P("Signed Up - Plan", "Pro & Co = 100% #1 é😀\n"),
            },
            request.Parameters);
        Assert.Equal(
            "/e?_k=test-key&_p=bob%2B1%40example.com&_n=Signed%20Up&_t=1388534400&_d=1&Signed%20Up%20-%20Plan=Pro%20%26%20Co%20%3D%20100%25%20%231%20%C3%A9%F0%9F%98%80%0A",
            request.RawTarget);
        Assert.Equal(1, client.Statistics.Delivered);
    }

    [Fact]
    public async Task UnprefixedPropertiesAndTheCurrentTime()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = Options(tracker);
        options.PrefixProperties = false;
        await using var client = NewClient(options, http);

        long before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        client.Track("bob", new HandWrittenEvent("Pro"));
        long after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await FlushAsync(client);

        RecordedRequest request = Assert.Single(await tracker.WaitForRequestsAsync(1));
        Assert.Equal(new[] { "_k", "_p", "_n", "_t", "_d", "Plan" }, request.Names);
        Assert.Equal("Pro", request["Plan"]);
        long sent = long.Parse(request["_t"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(sent, before, after);
    }

    [Fact]
    public async Task NullPropertyIsLeftOut()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        using HttpClient http = NewHttpClient();
        await using var client = NewClient(Options(tracker), http);

        client.Track("bob", new HandWrittenEvent(null), s_when);
        await FlushAsync(client);

        RecordedRequest request = Assert.Single(await tracker.WaitForRequestsAsync(1));
        Assert.Equal(new[] { "_k", "_p", "_n", "_t", "_d" }, request.Names);
    }

    [Fact]
    public async Task AVeryLongRequestIsPostedAsAForm()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        using HttpClient http = NewHttpClient();
        await using var client = NewClient(Options(tracker), http);
        string plan = string.Concat(Enumerable.Repeat("aé &+😀", 430)); // 3,010 UTF-16 units

        client.Track("bob", new HandWrittenEvent(plan), s_when);
        await FlushAsync(client);

        RecordedRequest request = Assert.Single(await tracker.WaitForRequestsAsync(1));
        Assert.Equal("POST", request.Method);
        Assert.Equal("/e", request.Path);
        Assert.Equal(string.Empty, request.RawQuery);
        Assert.StartsWith("application/x-www-form-urlencoded", request.ContentType, StringComparison.Ordinal);
        Assert.StartsWith("_k=test-key&_p=bob&_n=Signed%20Up&_t=1388534400&_d=1&Signed%20Up%20-%20Plan=", request.BodyText, StringComparison.Ordinal);
        Assert.Equal(
            new[] { P("_k", ApiKey), P("_p", "bob"), P("_n", "Signed Up"), P("_t", "1388534400"), P("_d", "1"), P("Signed Up - Plan", plan) },
            request.Parameters);
    }

    [Fact]
    public async Task UrlsUpTo2048BytesAreGetAndLongerOnesPost()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = Options(tracker);
        await using var client = NewClient(options, http);

        // The URL is the endpoint's authority followed by the formatted line.
        string authority = tracker.BaseAddress.GetLeftPart(UriPartial.Authority);
        int fixedLength = authority.Length + KissmetricsFormatter.FormatTrack(options, "bob", new HandWrittenEvent(string.Empty), s_when).Single().Length;
        string fits = new('p', 2048 - fixedLength);
        string tooLong = fits + "p";
        Assert.Equal(2048, authority.Length + KissmetricsFormatter.FormatTrack(options, "bob", new HandWrittenEvent(fits), s_when).Single().Length);

        client.Track("bob", new HandWrittenEvent(fits), s_when);
        client.Track("bob", new HandWrittenEvent(tooLong), s_when);
        await FlushAsync(client);

        IReadOnlyList<RecordedRequest> requests = await tracker.WaitForRequestsAsync(2);
        RecordedRequest get = requests.Single(r => r["Signed Up - Plan"] == fits);
        RecordedRequest post = requests.Single(r => r["Signed Up - Plan"] == tooLong);
        Assert.Equal("GET", get.Method);
        Assert.Equal(2048, authority.Length + get.RawTarget.Length);
        Assert.Equal("POST", post.Method);
    }

    [Fact]
    public async Task AliasSendsOnlyKeyAndBothIdentities()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        using HttpClient http = NewHttpClient();
        await using var client = NewClient(Options(tracker), http);

        client.Alias("anonymous id", "user@example.com");
        await FlushAsync(client);

        RecordedRequest request = Assert.Single(await tracker.WaitForRequestsAsync(1));
        Assert.Equal("GET", request.Method);
        Assert.Equal("/a", request.Path);
        Assert.Equal(new[] { P("_k", ApiKey), P("_p", "anonymous id"), P("_n", "user@example.com") }, request.Parameters);
    }

    [Fact]
    public async Task ServiceUnavailableIsRetriedWithTheSameBytes()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.Enqueue(TrackerResponse.Status(503), TrackerResponse.Status(503), TrackerResponse.Status(200));
        using HttpClient http = NewHttpClient();
        await using var client = NewClient(Options(tracker), http);

        client.Track("bob", new HandWrittenEvent("Pro"), s_when);
        await FlushAsync(client);

        IReadOnlyList<RecordedRequest> requests = tracker.Requests;
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(requests[0].RawTarget, r.RawTarget));
        Assert.All(requests, r => Assert.Equal("GET", r.Method));
        Assert.Equal(1, client.Statistics.Delivered);
        Assert.Equal(2, client.Statistics.Retried);
        Assert.Equal(0, client.Statistics.GaveUp);
    }

    [Fact]
    public async Task PostedRequestsAreRetriedWithTheSameBody()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.Enqueue(TrackerResponse.Status(500), TrackerResponse.Abort);
        using HttpClient http = NewHttpClient();
        await using var client = NewClient(Options(tracker), http);

        client.Track("bob", new HandWrittenEvent(new string('x', 3_000)), s_when);
        await FlushAsync(client);

        IReadOnlyList<RecordedRequest> requests = tracker.Requests;
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal("POST", r.Method));
        Assert.All(requests, r => Assert.Equal(requests[0].RawBody, r.RawBody));
        Assert.Equal(1, client.Statistics.Delivered);
        Assert.Equal(2, client.Statistics.Retried);
    }

    [Fact]
    public async Task RetryAfterIsHonoured()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.Enqueue(TrackerResponse.Status(429, retryAfterSeconds: 1));
        using HttpClient http = NewHttpClient();
        await using var client = NewClient(Options(tracker), http);

        var clock = Stopwatch.StartNew();
        client.Track("bob", new HandWrittenEvent("Pro"), s_when);
        await FlushAsync(client);
        clock.Stop();

        Assert.Equal(2, tracker.Requests.Count);
        Assert.Equal(1, client.Statistics.Delivered);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {clock.Elapsed}, before the 1 s Retry-After");
    }

    [Fact]
    public async Task BadRequestIsTriedOnceAndCountedAsRejected()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.Enqueue(TrackerResponse.Status(400), TrackerResponse.Status(400), TrackerResponse.Status(400));
        using HttpClient http = NewHttpClient();
        await using var client = NewClient(Options(tracker), http);

        client.Track("bob", new HandWrittenEvent("Pro"), s_when);
        await FlushAsync(client);

        Assert.Single(tracker.Requests);
        KissmetricsClientStatistics statistics = client.Statistics;
        Assert.Equal(1, statistics.Rejected);
        Assert.Equal(0, statistics.Retried);
        Assert.Equal(0, statistics.Delivered);
    }

    [Fact]
    public async Task PersistentServerErrorsAreGivenUpAfterMaxAttempts()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.Enqueue(Enumerable.Repeat(TrackerResponse.Status(500), 10).ToArray());
        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = Options(tracker);
        options.MaxAttempts = 3;
        await using var client = NewClient(options, http);

        client.Track("bob", new HandWrittenEvent("Pro"), s_when);
        await FlushAsync(client);

        Assert.Equal(3, tracker.Requests.Count);
        Assert.Equal(1, client.Statistics.GaveUp);
        Assert.Equal(2, client.Statistics.Retried);
        Assert.Equal(0, client.Statistics.Delivered);
    }

    [Fact]
    public async Task AHangingAttemptTimesOutAndIsRetried()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.Enqueue(TrackerResponse.Hang);
        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = Options(tracker);
        options.RequestTimeout = TimeSpan.FromSeconds(1);
        await using var client = NewClient(options, http);

        client.Track("bob", new HandWrittenEvent("Pro"), s_when);
        await FlushAsync(client);

        IReadOnlyList<RecordedRequest> requests = tracker.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal(requests[0].RawTarget, requests[1].RawTarget);
        Assert.Equal(1, client.Statistics.Delivered);
        Assert.Equal(1, client.Statistics.Retried);
    }

    [Fact]
    public async Task AnUnreachableTrackerIsGivenUp()
    {
        Uri closed;
        await using (LoopbackTracker gone = await LoopbackTracker.StartAsync())
        {
            closed = gone.BaseAddress;
        }

        using HttpClient http = NewHttpClient();
        var options = new KissmetricsOptions
        {
            ApiKey = ApiKey,
            Endpoint = closed,
            MaxAttempts = 2,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            RequestTimeout = TimeSpan.FromSeconds(5),
        };
        await using var client = NewClient(options, http);

        client.Track("bob", new HandWrittenEvent("Pro"), s_when);
        await FlushAsync(client);

        Assert.Equal(1, client.Statistics.GaveUp);
        Assert.Equal(1, client.Statistics.Retried);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task NullOrEmptyPersonThrows(string? person)
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        using HttpClient http = NewHttpClient();
        await using var client = NewClient(Options(tracker), http);

        Assert.Throws<ArgumentException>(() => client.Track(person!, new HandWrittenEvent("Pro"), s_when));
        Assert.Throws<ArgumentException>(() => client.Alias(person!, "new"));
        Assert.Throws<ArgumentException>(() => client.Alias("old", person!));
        await FlushAsync(client);

        Assert.Equal(0, client.Statistics.Accepted);
        Assert.Empty(tracker.Requests);
    }

    [Fact]
    public async Task DisposeDrainsTheQueue()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        using HttpClient http = NewHttpClient();
        var client = NewClient(Options(tracker), http);

        for (int i = 0; i < 100; i++)
        {
            client.Track("person-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), new HandWrittenEvent("Pro"), s_when);
        }

        await client.DisposeAsync().AsTask().WaitAsync(s_testTimeout);

        IReadOnlyList<RecordedRequest> requests = tracker.Requests;
        Assert.Equal(100, requests.Count);
        Assert.Equal(
            Enumerable.Range(0, 100).Select(i => "person-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).OrderBy(p => p, StringComparer.Ordinal),
            requests.Select(r => r["_p"]).OrderBy(p => p, StringComparer.Ordinal));
        Assert.Equal(100, client.Statistics.Delivered);
        Assert.Equal(0, client.Statistics.GaveUp);
    }

    [Fact]
    public async Task CallsAfterDisposeAreCountedAndNotSent()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        using HttpClient http = NewHttpClient();
        var client = NewClient(Options(tracker), http);
        await client.DisposeAsync().AsTask().WaitAsync(s_testTimeout);

        client.Track("bob", new HandWrittenEvent("Pro"), s_when);
        client.Alias("a", "b");
        await client.FlushAsync().WaitAsync(s_testTimeout);
        await client.DisposeAsync().AsTask().WaitAsync(s_testTimeout);

        Assert.Equal(2, client.Statistics.DroppedAfterDispose);
        Assert.Equal(0, client.Statistics.Accepted);
        Assert.Empty(tracker.Requests);
    }

    [Fact]
    public async Task OptionsOnlyConstructorSendsToTheEndpoint()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        await using var client = new KissmetricsClient(Options(tracker));

        client.Alias("a", "b");
        await FlushAsync(client);

        RecordedRequest request = Assert.Single(await tracker.WaitForRequestsAsync(1));
        Assert.Equal("/a", request.Path);
        Assert.Equal(1, client.Statistics.Delivered);
    }

    [Fact]
    public async Task AnEndpointWithAPathIsKept()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = Options(tracker);
        options.Endpoint = new Uri(tracker.BaseAddress, "tracking/");
        await using var client = NewClient(options, http);

        client.Track("bob", new HandWrittenEvent("Pro"), s_when);
        await FlushAsync(client);

        RecordedRequest request = Assert.Single(await tracker.WaitForRequestsAsync(1));
        Assert.Equal("/tracking/e", request.Path);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void MissingApiKeyIsAConfigurationError(string? apiKey)
    {
        var options = new KissmetricsOptions { ApiKey = apiKey };
        using HttpClient http = NewHttpClient();
        Assert.Throws<KissmetricsConfigurationException>(() => NewClient(options, http));
        Assert.Throws<KissmetricsConfigurationException>(() => new KissmetricsClient(options));
    }
}
