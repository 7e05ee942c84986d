using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Security;
using System.Threading.Tasks;
using Kissmetrics.Typed.Delivery;
using Kissmetrics.Typed.Delivery.Transport;
using Kissmetrics.Typed.Tests.Infrastructure;
using Xunit;
using static Kissmetrics.Typed.Tests.Delivery.Transport.TransportTestKit;

namespace Kissmetrics.Typed.Tests.Delivery.Transport;

/// <summary>The socket transport against Kestrel, plain and TLS: the same requests on the wire as the HttpClient path, pipelined.</summary>
public sealed class SocketTransportKestrelTests
{
    /// <summary>A GET, a GET just at 2048 bytes of URL, a POST just past, and a long POST (past the transport's pooled frame size).</summary>
    private static IEnumerable<OutgoingRequest> Mixed(Uri endpoint)
    {
        int baseLength = Request(0).Length + endpoint.GetLeftPart(UriPartial.Authority).Length + endpoint.AbsolutePath.TrimEnd('/').Length;
        int room = OutgoingRequest.MaxGetUrlLength - baseLength - "&pad=".Length; // i=1 is as long as i=0: exactly 2048 bytes of URL
        yield return Request(0);
        yield return Request(1, padding: room);
        yield return Request(2, padding: room + 1);
        yield return Request(3, padding: 10_000, path: "/s");
    }

    [Fact]
    public async Task Get_and_post_arrive_as_the_HttpClient_transport_sends_them()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        Uri endpoint = new(tracker.BaseAddress, "base/");
        KissmetricsOptions options = Options(endpoint);
        OutgoingRequest[] requests = Mixed(endpoint).ToArray();

        // What the HttpClient path sends for the same lines.
        using (var http = DeliveryTestKit.NewHttpClient())
        {
            var sender = new HttpClientTransport(http, ownsHttp: false, options, TimeProvider.System);
            foreach (OutgoingRequest request in requests)
            {
                using HttpRequestMessage message = sender.CreateMessage(request.Bytes);
                using HttpResponseMessage response = await http.SendAsync(message);
                Assert.Equal(200, (int)response.StatusCode);
            }
        }

        IReadOnlyList<RecordedRequest> expected = await tracker.WaitForRequestsAsync(requests.Length);
        Assert.Equal(["GET", "GET", "POST", "POST"], expected.Select(r => r.Method));

        var logger = new CapturingLogger();
        var recorder = new AttemptRecorder();
        await using (SocketTransport transport = NewTransport(options, logger))
        {
            foreach (OutgoingRequest request in requests)
            {
                recorder.Send(transport, request);
            }

            await recorder.WaitForAsync(requests.Length);
        }

        Assert.All(recorder.AssertExactlyOnce(requests.Length), r => Assert.Equal(200, r.StatusCode));
        IReadOnlyList<RecordedRequest> actual = (await tracker.WaitForRequestsAsync(requests.Length * 2)).Skip(requests.Length).OrderBy(r => IndexOf(r.RawTarget + "&" + r.BodyText)).ToArray();
        for (int i = 0; i < requests.Length; i++)
        {
            Assert.Equal(expected[i].Method, actual[i].Method);
            Assert.Equal(expected[i].RawTarget, actual[i].RawTarget);
            Assert.Equal(expected[i].ContentType, actual[i].ContentType);
            Assert.Equal(expected[i].RawBody, actual[i].RawBody);
        }

        Assert.StartsWith("/base/e?_k=", actual[0].RawTarget, StringComparison.Ordinal);
        Assert.Equal("/base/e", actual[2].RawTarget);
        Assert.Equal("/base/s", actual[3].RawTarget);
        Assert.NotEmpty(logger.Messages);
        logger.AssertNoSecrets();
    }

    [Fact]
    public async Task Get_and_post_arrive_over_tls_with_the_test_certificate()
    {
        await using TlsLoopbackServer server = await TlsLoopbackServer.StartAsync();
        KissmetricsOptions options = Options(server.BaseAddress);
        OutgoingRequest[] requests = Mixed(server.BaseAddress).ToArray();
        string thumbprint = server.Certificate.Thumbprint;
        RemoteCertificateValidationCallback accept = (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == thumbprint;

        var recorder = new AttemptRecorder();
        await using (SocketTransport transport = NewTransport(options, certificateValidation: accept))
        {
            Assert.Contains("TLS", transport.Name, StringComparison.Ordinal);
            foreach (OutgoingRequest request in requests)
            {
                recorder.Send(transport, request);
            }

            await recorder.WaitForAsync(requests.Length);
        }

        Assert.All(recorder.AssertExactlyOnce(requests.Length), r => Assert.Equal(200, r.StatusCode));
        var received = server.Requests.ToArray().OrderBy(r => IndexOf(r.RawTarget + "&" + System.Text.Encoding.ASCII.GetString(r.Body))).ToArray();
        Assert.Equal(requests.Length, received.Length);
        for (int i = 0; i < requests.Length; i++)
        {
            string line = Line(requests[i]);
            if (i < 2)
            {
                Assert.Equal("GET", received[i].Method);
                Assert.Equal(line, received[i].RawTarget);
                Assert.Empty(received[i].Body);
            }
            else
            {
                int query = line.IndexOf('?', StringComparison.Ordinal);
                Assert.Equal("POST", received[i].Method);
                Assert.Equal(line[..query], received[i].RawTarget);
                Assert.Equal("application/x-www-form-urlencoded", received[i].ContentType);
                Assert.Equal(line[(query + 1)..], System.Text.Encoding.ASCII.GetString(received[i].Body));
            }

            Assert.Equal("127.0.0.1:" + server.BaseAddress.Port, received[i].Host);
        }
    }

    [Fact]
    public async Task Five_hundred_requests_pipelined_over_tls_are_all_answered()
    {
        await using TlsLoopbackServer server = await TlsLoopbackServer.StartAsync();
        string thumbprint = server.Certificate.Thumbprint;
        const int Count = 500;
        var recorder = new AttemptRecorder();
        await using (SocketTransport transport = NewTransport(Options(server.BaseAddress, maxConnections: 2, pipelineDepth: 32), certificateValidation: (_, certificate, _, _) => certificate?.GetCertHashString() == thumbprint))
        {
            for (int i = 0; i < Count; i++)
            {
                recorder.Send(transport, Request(i));
            }

            await recorder.WaitForAsync(Count);
            Assert.True(transport.PeakOutstanding > 1, $"peak {transport.PeakOutstanding}");
        }

        Assert.All(recorder.AssertExactlyOnce(Count), r => Assert.Equal(200, r.StatusCode));
        Assert.Equal(Enumerable.Range(0, Count), server.Requests.Select(r => IndexOf(r.RawTarget)).Order());
    }

    [Fact]
    public async Task The_system_validation_rejects_the_self_signed_certificate()
    {
        await using TlsLoopbackServer server = await TlsLoopbackServer.StartAsync();
        var recorder = new AttemptRecorder();
        await using (SocketTransport transport = NewTransport(Options(server.BaseAddress)))
        {
            recorder.Send(transport, Request(0));
            await recorder.WaitForAsync(1);
        }

        Assert.Equal(AttemptFailure.Connect, recorder.Single(0).Failure);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_thousand_pipelined_requests_are_all_answered()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        const int Count = 1000;
        var recorder = new AttemptRecorder();
        await using (SocketTransport transport = NewTransport(Options(tracker.BaseAddress, maxConnections: 2, pipelineDepth: 32)))
        {
            for (int i = 0; i < Count; i++)
            {
                recorder.Send(transport, Request(i));
            }

            await recorder.WaitForAsync(Count);
            Assert.True(transport.ConnectionsOpened <= 2, $"{transport.ConnectionsOpened} connections");
            Assert.True(transport.PeakOutstanding > 1, $"peak {transport.PeakOutstanding}");
        }

        Assert.All(recorder.AssertExactlyOnce(Count), r => Assert.Equal(200, r.StatusCode));
        IReadOnlyList<RecordedRequest> received = await tracker.WaitForRequestsAsync(Count);
        Assert.Equal(Enumerable.Range(0, Count), received.Select(r => IndexOf(r.RawTarget)).Order());
    }

    [Fact]
    public async Task Many_requests_are_outstanding_at_once_on_one_connection()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tracker.DefaultResponse = TrackerResponse.WaitFor(release.Task);
        const int Count = 40;
        var recorder = new AttemptRecorder();
        await using (SocketTransport transport = NewTransport(Options(tracker.BaseAddress, maxConnections: 1, pipelineDepth: 32)))
        {
            for (int i = 0; i < Count; i++)
            {
                recorder.Send(transport, Request(i));
            }

            // Kestrel answers a connection's requests one at a time and the first is held: the rest wait written.
            await DeliveryTestKit.WaitUntilAsync(() => transport.PeakOutstanding >= 32, Bound, "32 requests outstanding");
            Assert.Equal(0, recorder.Completed);
            release.SetResult();
            await recorder.WaitForAsync(Count);
            Assert.Equal(1, transport.ConnectionsOpened);
            Assert.Equal(32, transport.PeakOutstanding);
        }

        Assert.All(recorder.AssertExactlyOnce(Count), r => Assert.Equal(200, r.StatusCode));
    }
}
