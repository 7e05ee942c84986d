using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Delivery;
using Kissmetrics.Typed.Delivery.Transport;
using Kissmetrics.Typed.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static Kissmetrics.Typed.Tests.Delivery.Transport.TransportTestKit;

namespace Kissmetrics.Typed.Tests.Delivery.Transport;

/// <summary>
/// The socket transport against a scripted raw-socket server: every way a server can answer oddly, stop answering or
/// not be there. In every case each request ends in exactly one completion, none inside <c>Send</c>, none hanging.
/// </summary>
public sealed class SocketTransportFaultTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nGIF";

    [Fact]
    public async Task Chunked_answers_on_one_kept_alive_connection()
    {
        await using var server = ScriptedHttpServer.Start(async connection =>
        {
            while (await connection.ReadRequestAsync() is not null)
            {
                await connection.WriteAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nGIF\r\n0\r\nX-Trailer: yes\r\n\r\n");
            }
        });

        List<AttemptResult> results = await RunAsync(server.BaseAddress, 20, pipelineDepth: 4, maxConnections: 1);
        Assert.All(results, r => Assert.Equal(200, r.StatusCode));
        Assert.Equal(1, server.Accepted);
    }

    [Fact]
    public async Task Continue_before_the_answer_is_skipped_and_headers_split_across_writes_are_joined()
    {
        await using var server = ScriptedHttpServer.Start(async connection =>
        {
            while (await connection.ReadRequestAsync() is not null)
            {
                await connection.WriteSplitAsync("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 503 Service Unavailable\r\nRetry-After: 3\r\nContent-Length: 4\r\n\r\nbusy", size: 7, pauseMilliseconds: 2);
            }
        });

        List<AttemptResult> results = await RunAsync(server.BaseAddress, 3, pipelineDepth: 1, maxConnections: 1);
        Assert.All(results, r =>
        {
            Assert.Equal(503, r.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(3), r.RetryAfter);
            Assert.True(r.IsTransient);
        });
    }

    [Fact]
    public async Task Connection_close_after_every_third_answer_resends_the_rest_without_failing_them()
    {
        await using var server = ScriptedHttpServer.Start(async connection =>
        {
            for (int answered = 1; answered <= 3 && await connection.ReadRequestAsync() is not null; answered++)
            {
                await connection.WriteAsync(answered < 3 ? Ok : "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\nGIF");
            }

            await connection.CloseAsync();
        });

        const int Count = 30;
        List<AttemptResult> results = await RunAsync(server.BaseAddress, Count, pipelineDepth: 32, maxConnections: 1);
        Assert.All(results, r => Assert.Equal(200, r.StatusCode));
        Assert.Equal(Count, server.Requests.Select(r => IndexOf(r.Target)).Distinct().Count());
        Assert.Equal(Count / 3, server.Accepted);
    }

    [Fact]
    public async Task A_server_closing_after_three_answers_without_saying_so_fails_the_unanswered_and_pauses_pipelining()
    {
        await using var server = ScriptedHttpServer.Start(async connection =>
        {
            for (int answered = 0; answered < 3 && await connection.ReadRequestAsync() is not null; answered++)
            {
                await connection.WriteAsync(Ok);
            }

            await connection.CloseAsync();
        });

        var recorder = new AttemptRecorder();
        const int Count = 20;
        await using (SocketTransport transport = NewTransport(Options(server.BaseAddress, maxConnections: 1, pipelineDepth: 32)))
        {
            for (int i = 0; i < Count; i++)
            {
                recorder.Send(transport, Request(i));
            }

            await recorder.WaitForAsync(Count);
            Assert.Equal(1, transport.CurrentPipelineDepth);
        }

        List<AttemptResult> results = recorder.AssertExactlyOnce(Count);
        Assert.All(results, r => Assert.True(r.StatusCode == 200 || r.Failure == AttemptFailure.ConnectionLost, r.Describe()));
        Assert.True(results.Count(r => r.StatusCode == 200) >= 3);
        Assert.Contains(results, r => r.Failure == AttemptFailure.ConnectionLost);
        Assert.All(results.Where(r => r.Failure != AttemptFailure.None), r => Assert.True(r.IsTransient));
    }

    [Fact]
    public async Task A_server_that_does_not_pipeline_is_served_one_request_at_a_time_after_the_first_break()
    {
        // Answers the first request of a connection, then closes (ignoring anything pipelined behind it).
        await using var server = ScriptedHttpServer.Start(async connection =>
        {
            if (await connection.ReadRequestAsync() is not null)
            {
                await connection.WriteAsync(Ok);
            }

            await connection.CloseAsync();
        });

        var recorder = new AttemptRecorder();
        await using (SocketTransport transport = NewTransport(Options(server.BaseAddress, maxConnections: 2, pipelineDepth: 32)))
        {
            for (int i = 0; i < 10; i++)
            {
                recorder.Send(transport, Request(i));
            }

            await recorder.WaitForAsync(10);
            Assert.Equal(1, transport.CurrentPipelineDepth);

            // Now one at a time.
            for (int i = 10; i < 16; i++)
            {
                recorder.Send(transport, Request(i));
            }

            await recorder.WaitForAsync(16);
        }

        // A connection answers its first request; a second written before its close was seen is lost (and retried by
        // the dispatcher), one not yet written moves on: with one request per connection most are answered.
        List<AttemptResult> results = recorder.AssertExactlyOnce(16);
        Assert.All(results, r => Assert.True(r.StatusCode == 200 || r.Failure == AttemptFailure.ConnectionLost, r.Describe()));
        Assert.Equal(200, results[0].StatusCode);
        Assert.True(results.Take(10).Count(r => r.Failure == AttemptFailure.ConnectionLost) >= 1);
        Assert.True(results.Skip(10).Count(r => r.StatusCode == 200) >= 3, string.Join(", ", results.Skip(10).Select(r => r.Describe())));
    }

    [Fact]
    public async Task A_stall_mid_answer_times_out_within_the_bound()
    {
        await using var server = ScriptedHttpServer.Start(async connection =>
        {
            if (await connection.ReadRequestAsync() is not null)
            {
                await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nGIF");
                await connection.StallAsync();
            }
        });

        var recorder = new AttemptRecorder();
        var clock = Stopwatch.StartNew();
        await using (SocketTransport transport = NewTransport(Options(server.BaseAddress, timeoutMilliseconds: 300)))
        {
            recorder.Send(transport, Request(0));
            recorder.Send(transport, Request(1));
            await recorder.WaitForAsync(2, TimeSpan.FromSeconds(8));
        }

        // At least the timeout; at most a few times it (a tick is a quarter of it; the shared machine stalls).
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(290), TimeSpan.FromSeconds(5));
        Assert.All(recorder.AssertExactlyOnce(2), r => Assert.Equal(AttemptFailure.Timeout, r.Failure));
    }

    [Fact]
    public async Task Garbage_is_a_protocol_failure()
    {
        await using var server = ScriptedHttpServer.Start(async connection =>
        {
            if (await connection.ReadRequestAsync() is not null)
            {
                await connection.WriteAsync("SSH-2.0-OpenSSH_9.6\r\n\r\n");
                await connection.StallAsync();
            }
        });

        List<AttemptResult> results = await RunAsync(server.BaseAddress, 1);
        Assert.Equal(AttemptFailure.Protocol, results[0].Failure);
        Assert.True(results[0].IsTransient);
    }

    [Fact]
    public async Task Oversized_headers_are_a_protocol_failure()
    {
        await using var server = ScriptedHttpServer.Start(async connection =>
        {
            if (await connection.ReadRequestAsync() is not null)
            {
                await connection.WriteAsync("HTTP/1.1 200 OK\r\nX-Big: " + new string('a', 20_000) + "\r\nContent-Length: 0\r\n\r\n");
                await connection.StallAsync();
            }
        });

        List<AttemptResult> results = await RunAsync(server.BaseAddress, 1);
        Assert.Equal(AttemptFailure.Protocol, results[0].Failure);
    }

    [Fact]
    public async Task A_reset_is_a_lost_connection()
    {
        await using var server = ScriptedHttpServer.Start(async connection =>
        {
            if (await connection.ReadRequestAsync() is not null)
            {
                connection.Reset();
            }
        });

        List<AttemptResult> results = await RunAsync(server.BaseAddress, 1);
        Assert.Equal(AttemptFailure.ConnectionLost, results[0].Failure);
    }

    [Fact]
    public async Task A_server_that_closes_every_connection_at_once_ends_each_request_once()
    {
        await using var server = ScriptedHttpServer.Start(connection => connection.CloseAsync());

        List<AttemptResult> results = await RunAsync(server.BaseAddress, 5, maxConnections: 2);
        Assert.All(results, r => Assert.Equal(AttemptFailure.ConnectionLost, r.Failure));
    }

    [Fact]
    public async Task A_server_that_is_down_is_a_connect_failure()
    {
        List<AttemptResult> results = await RunAsync(ScriptedHttpServer.DownAddress(), 5);
        Assert.All(results, r => Assert.Equal(AttemptFailure.Connect, r.Failure));
    }

    [Fact]
    public async Task Dispose_stops_outstanding_and_later_requests_without_hanging()
    {
        await using var server = ScriptedHttpServer.Start(async connection =>
        {
            await connection.ReadRequestsAsync(1);
            await connection.StallAsync();
        });

        var recorder = new AttemptRecorder();
        SocketTransport transport = NewTransport(Options(server.BaseAddress, maxConnections: 1, pipelineDepth: 2));
        for (int i = 0; i < 5; i++)
        {
            recorder.Send(transport, Request(i));
        }

        await DeliveryTestKit.WaitUntilAsync(() => server.Requests.Count >= 1, Bound, "the first request");
        var clock = Stopwatch.StartNew();
        await transport.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), clock.Elapsed.ToString());
        recorder.Send(transport, Request(5));
        await recorder.WaitForAsync(6);
        IReadOnlyList<AttemptResult> results = recorder.AssertExactlyOnce(6);
        Assert.All(results, r =>
        {
            Assert.True(r.IsStopped);
            Assert.False(r.IsTransient);
        });
        Assert.Equal(AttemptFailure.StoppedInFlight, results[0].Failure); // written (the server read it), unanswered
        Assert.Equal(AttemptFailure.StoppedInFlight, results[1].Failure); // written behind it (pipelined)
        Assert.All(results.Skip(2), r => Assert.Equal(AttemptFailure.Stopped, r.Failure)); // waiting for the pipeline, then after dispose
        await transport.DisposeAsync(); // twice is fine
    }

    [Fact]
    public async Task An_idle_connection_is_closed_and_the_next_request_opens_another()
    {
        await using var server = ScriptedHttpServer.Start(async connection =>
        {
            while (await connection.ReadRequestAsync() is not null)
            {
                await connection.WriteAsync(Ok);
            }
        });

        var recorder = new AttemptRecorder();
        await using (SocketTransport transport = NewTransport(Options(server.BaseAddress), idle: TimeSpan.FromMilliseconds(150)))
        {
            recorder.Send(transport, Request(0));
            await recorder.WaitForAsync(1);
            await DeliveryTestKit.WaitUntilAsync(() => transport.ConnectionCount == 0, Bound, "the idle connection to close");
            recorder.Send(transport, Request(1));
            await recorder.WaitForAsync(2);
            Assert.Equal(2, transport.ConnectionsOpened);
        }

        Assert.All(recorder.AssertExactlyOnce(2), r => Assert.Equal(200, r.StatusCode));
        Assert.Equal(2, server.Accepted);
    }

    [Fact]
    public async Task A_connection_past_its_lifetime_is_replaced_without_failing_anything()
    {
        await using var server = ScriptedHttpServer.Start(async connection =>
        {
            while (await connection.ReadRequestAsync() is not null)
            {
                await connection.WriteAsync(Ok);
            }
        });

        var recorder = new AttemptRecorder();
        var logger = new CapturingLogger();
        var sent = new List<string>();
        await using (SocketTransport transport = NewTransport(Options(server.BaseAddress, maxConnections: 1), logger, lifetime: TimeSpan.FromMilliseconds(100)))
        {
            for (int i = 0; i < 30; i++)
            {
                sent.Add(DateTime.UtcNow.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture) + " sent " + i);
                recorder.Send(transport, Request(i));
                await Task.Delay(10);
            }

            await recorder.WaitForAsync(30);
            Assert.True(transport.ConnectionsOpened >= 2, transport.ConnectionsOpened.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        string log = string.Join("\n", logger.Messages.Concat(sent).Order());
        Assert.All(recorder.AssertExactlyOnce(30), r => Assert.True(r.StatusCode == 200, r.Describe() + "\n" + log));
    }

    [Fact]
    public async Task Requests_carry_host_and_user_agent_and_never_connection_close()
    {
        await using var server = ScriptedHttpServer.Start(async connection =>
        {
            while (await connection.ReadRequestAsync() is not null)
            {
                await connection.WriteAsync(Ok);
            }
        });

        await RunAsync(server.BaseAddress, 5, maxConnections: 1);
        Assert.Equal(5, server.Requests.Count);
        Assert.All(server.Requests, r =>
        {
            Assert.Equal("GET", r.Method);
            Assert.Equal("127.0.0.1:" + server.BaseAddress.Port, r.Header("Host"));
            Assert.StartsWith("Kissmetrics.Typed/", r.Header("User-Agent"), StringComparison.Ordinal);
            Assert.Null(r.Header("Connection"));
            Assert.Equal(2, r.Headers.Count);
        });
    }

    [Fact]
    public async Task Requests_not_written_when_their_connection_dies_move_to_another()
    {
        // The first connection reads one request and resets; the next ones answer everything.
        await using var server = ScriptedHttpServer.Start(async connection =>
        {
            if (connection.Index == 0)
            {
                await connection.ReadRequestAsync();
                connection.Reset();
                return;
            }

            while (await connection.ReadRequestAsync() is not null)
            {
                await connection.WriteAsync(Ok);
            }
        });

        List<AttemptResult> results = await RunAsync(server.BaseAddress, 5, pipelineDepth: 1, maxConnections: 1);
        Assert.Equal(AttemptFailure.ConnectionLost, results[0].Failure); // written: the server may have processed it
        Assert.All(results.Skip(1), r => Assert.Equal(200, r.StatusCode)); // never written: moved, not failed
        Assert.Equal(2, server.Accepted);
    }

    [Fact]
    public async Task A_tls_handshake_that_never_completes_is_a_connect_failure_within_the_bound()
    {
        await using var server = ScriptedHttpServer.Start(connection => connection.StallAsync());
        var https = new UriBuilder(server.BaseAddress) { Scheme = "https" }.Uri;
        var clock = Stopwatch.StartNew();
        var recorder = new AttemptRecorder();
        await using (SocketTransport transport = NewTransport(Options(https, timeoutMilliseconds: 300)))
        {
            recorder.Send(transport, Request(0));
            recorder.Send(transport, Request(1));
            await recorder.WaitForAsync(2, TimeSpan.FromSeconds(8));
        }

        // At least the timeout; at most a few times it (a tick is a quarter of it; the shared machine stalls).
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(290), TimeSpan.FromSeconds(5));
        Assert.All(recorder.AssertExactlyOnce(2), r => Assert.Equal(AttemptFailure.Connect, r.Failure));
    }

    [Fact]
    public async Task Pipelining_resumes_after_the_pause()
    {
        // The first connection answers one request and closes without saying so; later ones answer everything.
        await using var server = ScriptedHttpServer.Start(async connection =>
        {
            while (await connection.ReadRequestAsync() is not null)
            {
                await connection.WriteAsync(Ok);
                if (connection.Index == 0)
                {
                    await connection.CloseAsync();
                    return;
                }
            }
        });

        var recorder = new AttemptRecorder();
        await using (SocketTransport transport = NewTransport(Options(server.BaseAddress, maxConnections: 1, pipelineDepth: 8), pipeliningPause: TimeSpan.FromMilliseconds(1500)))
        {
            for (int i = 0; i < 8; i++)
            {
                recorder.Send(transport, Request(i));
            }

            await recorder.WaitForAsync(8);
            Assert.Equal(1, transport.CurrentPipelineDepth);
            await DeliveryTestKit.WaitUntilAsync(() => transport.CurrentPipelineDepth == 8, Bound, "pipelining to resume");
            for (int i = 8; i < 40; i++)
            {
                recorder.Send(transport, Request(i));
            }

            await recorder.WaitForAsync(40);
            Assert.True(transport.PeakOutstanding > 1);
        }

        List<AttemptResult> results = recorder.AssertExactlyOnce(40);
        Assert.Equal(200, results[0].StatusCode);
        Assert.All(results.Skip(8), r => Assert.Equal(200, r.StatusCode));
    }

    [Fact]
    public async Task A_sink_may_send_again_from_its_completion()
    {
        await using var server = ScriptedHttpServer.Start(async connection =>
        {
            while (await connection.ReadRequestAsync() is not null)
            {
                await connection.WriteAsync(Ok);
            }
        });

        await using SocketTransport transport = NewTransport(Options(server.BaseAddress));
        var chain = new ChainSink(transport, 200);
        transport.Send(Request(0), chain);
        await chain.Done.Task.WaitAsync(Bound);
        Assert.Equal(200, chain.Answered);
    }

    [Fact]
    public async Task A_reset_right_after_connection_close_still_ends_each_request_once()
    {
        // Answers one request with Connection: close and resets at once: writes behind it fail, and the answer
        // already sent must still be read (or, if the reset destroyed it, the request lost, never counted twice).
        await using var server = ScriptedHttpServer.Start(async connection =>
        {
            if (await connection.ReadRequestAsync() is not null)
            {
                await connection.WriteAsync("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\nGIF");
                connection.Reset();
            }
        });

        List<AttemptResult> results = await RunAsync(server.BaseAddress, 20, pipelineDepth: 32, maxConnections: 2);
        Assert.All(results, r => Assert.True(r.StatusCode == 200 || r.Failure == AttemptFailure.ConnectionLost, r.Describe()));
        Assert.Contains(results, r => r.StatusCode == 200);
    }

    [Fact]
    public async Task An_http10_answer_closes_the_connection_and_the_rest_are_sent_again()
    {
        await using var server = ScriptedHttpServer.Start(async connection =>
        {
            if (await connection.ReadRequestAsync() is not null)
            {
                await connection.WriteAsync("HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nGIF");
                await connection.CloseAsync();
            }
        });

        List<AttemptResult> results = await RunAsync(server.BaseAddress, 6, pipelineDepth: 32, maxConnections: 1);
        Assert.All(results, r => Assert.Equal(200, r.StatusCode));
        Assert.Equal(6, server.Accepted);
    }

    [Fact]
    public async Task Timeouts_and_retry_after_dates_follow_the_time_provider()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var server = ScriptedHttpServer.Start(async connection =>
        {
            if (await connection.ReadRequestAsync() is not null)
            {
                await connection.WriteAsync("HTTP/1.1 429 Too Many Requests\r\nRetry-After: Sun, 01 Mar 2026 12:00:30 GMT\r\nContent-Length: 0\r\n\r\n");
            }

            await connection.ReadRequestAsync(); // the second request: never answered
            await connection.StallAsync();
        });

        var recorder = new AttemptRecorder();
        await using var transport = new SocketTransport(Options(server.BaseAddress, maxConnections: 1, pipelineDepth: 1, timeoutMilliseconds: 10_000), time, NullLogger.Instance);
        recorder.Send(transport, Request(0));
        await recorder.WaitForAsync(1);
        Assert.Equal(429, recorder.Single(0).StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), recorder.Single(0).RetryAfter);

        recorder.Send(transport, Request(1));
        await DeliveryTestKit.WaitUntilAsync(() => server.Requests.Count == 2, Bound, "the second request");
        await Task.Delay(100);
        Assert.Equal(1, recorder.Completed); // real time passes, the fake clock does not: no timeout
        time.Advance(TimeSpan.FromSeconds(11));
        await recorder.WaitForAsync(2);
        Assert.Equal(AttemptFailure.Timeout, recorder.Single(1).Failure);
        recorder.AssertExactlyOnce(2);
    }

    private static async Task<List<AttemptResult>> RunAsync(Uri endpoint, int count, int pipelineDepth = 32, int maxConnections = 2)
    {
        var recorder = new AttemptRecorder();
        var logger = new CapturingLogger();
        await using (SocketTransport transport = NewTransport(Options(endpoint, maxConnections, pipelineDepth), logger))
        {
            for (int i = 0; i < count; i++)
            {
                recorder.Send(transport, Request(i));
            }

            await recorder.WaitForAsync(count);
        }

        logger.AssertNoSecrets();
        return recorder.AssertExactlyOnce(count);
    }

    /// <summary>Sends the next request from inside each completion, as a dispatcher retrying at once would.</summary>
    private sealed class ChainSink : IAttemptSink
    {
        private readonly SocketTransport _transport;
        private readonly int _count;
        private int _answered;

        public ChainSink(SocketTransport transport, int count)
        {
            _transport = transport;
            _count = count;
        }

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Answered => Volatile.Read(ref _answered);

        public void AttemptCompleted(in OutgoingRequest request, in AttemptResult result)
        {
            if (result.StatusCode != 200)
            {
                Done.TrySetException(new InvalidOperationException(result.Describe()));
                return;
            }

            int answered = Interlocked.Increment(ref _answered);
            if (answered == _count)
            {
                Done.TrySetResult();
            }
            else
            {
                _transport.Send(Request(answered), this);
            }
        }
    }
}
