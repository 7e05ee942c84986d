using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Delivery;
using Kissmetrics.Typed.Delivery.Transport;
using Kissmetrics.Typed.Tests.Infrastructure;
using Xunit;
using static Kissmetrics.Typed.Tests.Delivery.Transport.TransportTestKit;

namespace Kissmetrics.Typed.Tests.Delivery.Transport;

/// <summary>
/// The receive side writing what its answers' sinks queued (<see cref="WriterPlace"/>), in both of a connection's
/// modes (asynchronous loops, and a thread of its own with blocking calls: <see cref="SocketTransport.DedicatedThreads"/>),
/// and the dedicated-thread mode's own failure paths: a blocked read, connect or write is ended by the close.
/// </summary>
public sealed class SocketTransportReceiveWriteTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nGIF";

    [Fact]
    public void Dedicated_threads_only_for_a_small_in_flight_limit()
    {
        var options = Options(new Uri("http://127.0.0.1:9/"));
        Assert.False(NewTransport(options).DedicatedThreads); // the defaults: 512
        options.MaxConcurrency = SocketTransport.DedicatedThreadsUpTo;
        Assert.True(NewTransport(options).DedicatedThreads);
        options.MaxConcurrency = SocketTransport.DedicatedThreadsUpTo + 1;
        Assert.False(NewTransport(options).DedicatedThreads);
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(false, 4)]
    [InlineData(true, 4)]
    public async Task Requests_sent_from_their_predecessors_completions_are_all_answered_in_order_on_the_connections(bool dedicatedThreads, int chains)
    {
        // Each completion sends the next request of its chain (as the dispatcher does at a small in-flight limit):
        // the request lands on the connection that just answered, during its receive batch, and is written from there.
        await using var server = ScriptedHttpServer.Start(async connection =>
        {
            while (await connection.ReadRequestAsync() is not null)
            {
                await connection.WriteAsync(Ok);
            }
        });

        const int PerChain = 300;
        await using SocketTransport transport = NewTransport(Options(server.BaseAddress, maxConnections: chains, pipelineDepth: 1), dedicatedThreads: dedicatedThreads);
        var sinks = Enumerable.Range(0, chains).Select(c => new ChainSink(transport, c * PerChain, PerChain)).ToArray();
        foreach (ChainSink sink in sinks)
        {
            transport.Send(Request(sink.First), sink);
        }

        await Task.WhenAll(sinks.Select(s => s.Done.Task)).WaitAsync(Bound);
        Assert.All(sinks, s => Assert.Equal(PerChain, s.Answered));
        Assert.Equal(chains, server.Accepted);
        Assert.Equal(Enumerable.Range(0, chains * PerChain), server.Requests.Select(r => IndexOf(r.Target)).Order());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pipelined_requests_queued_meanwhile_are_answered_once_each(bool dedicatedThreads)
    {
        // Sends from outside (the send loop's work) race the receive side's writes on one pipelined connection.
        await using var server = ScriptedHttpServer.Start(async connection =>
        {
            while (await connection.ReadRequestAsync() is not null)
            {
                await connection.WriteAsync(Ok);
            }
        });

        const int Count = 2000;
        var recorder = new AttemptRecorder();
        await using (SocketTransport transport = NewTransport(Options(server.BaseAddress, maxConnections: 1, pipelineDepth: 8), dedicatedThreads: dedicatedThreads))
        {
            for (int i = 0; i < Count; i++)
            {
                recorder.Send(transport, Request(i));
                if (i % 64 == 0)
                {
                    await Task.Yield();
                }
            }

            await recorder.WaitForAsync(Count);
        }

        Assert.All(recorder.AssertExactlyOnce(Count), r => Assert.Equal(200, r.StatusCode));
        Assert.Equal(1, server.Accepted);
    }

    [Fact]
    public async Task On_a_dedicated_thread_a_stall_mid_answer_times_out_and_the_blocked_read_ends()
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
        await using (SocketTransport transport = NewTransport(Options(server.BaseAddress, maxConnections: 1, timeoutMilliseconds: 300), dedicatedThreads: true))
        {
            recorder.Send(transport, Request(0));
            await recorder.WaitForAsync(1, TimeSpan.FromSeconds(8));
            Assert.Equal(AttemptFailure.Timeout, recorder.Single(0).Failure);

            // The connection's thread was blocked in its read; the close ended it (dispose waits for it below).
            await DeliveryTestKit.WaitUntilAsync(() => transport.ConnectionCount == 0, Bound, "the connection closed");
        }

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(290), TimeSpan.FromSeconds(5)); // dispose did not wait out its 5 s bound
        recorder.AssertExactlyOnce(1);
    }

    [Fact]
    public async Task On_a_dedicated_thread_dispose_ends_a_blocked_read_at_once()
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = ScriptedHttpServer.Start(async connection =>
        {
            if (await connection.ReadRequestAsync() is not null)
            {
                written.TrySetResult();
                await connection.StallAsync();
            }
        });

        var recorder = new AttemptRecorder();
        SocketTransport transport = NewTransport(Options(server.BaseAddress, maxConnections: 1, timeoutMilliseconds: 60_000), dedicatedThreads: true);
        recorder.Send(transport, Request(0));
        await written.Task.WaitAsync(Bound);
        var clock = Stopwatch.StartNew();
        await transport.DisposeAsync();
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3)); // not the 5 s bound of waiting for the loops
        await recorder.WaitForAsync(1);
        Assert.Equal(AttemptFailure.StoppedInFlight, recorder.Single(0).Failure); // written, never answered: outcome unknown (issue 15, defect 8)
    }

    [Fact]
    public async Task On_a_dedicated_thread_a_refused_connect_fails_the_request()
    {
        var recorder = new AttemptRecorder();
        await using (SocketTransport transport = NewTransport(Options(ScriptedHttpServer.DownAddress()), dedicatedThreads: true))
        {
            recorder.Send(transport, Request(0));
            await recorder.WaitForAsync(1);
        }

        Assert.Equal(AttemptFailure.Connect, recorder.Single(0).Failure);
    }

    [Fact]
    public async Task On_a_dedicated_thread_a_closing_server_has_the_rest_sent_again_on_new_connections()
    {
        await using var server = ScriptedHttpServer.Start(async connection =>
        {
            if (await connection.ReadRequestAsync() is not null)
            {
                await connection.WriteAsync("HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nGIF");
                await connection.CloseAsync();
            }
        });

        var recorder = new AttemptRecorder();
        await using (SocketTransport transport = NewTransport(Options(server.BaseAddress, maxConnections: 1, pipelineDepth: 4), dedicatedThreads: true))
        {
            for (int i = 0; i < 6; i++)
            {
                recorder.Send(transport, Request(i));
            }

            await recorder.WaitForAsync(6);
        }

        Assert.All(recorder.AssertExactlyOnce(6), r => Assert.Equal(200, r.StatusCode));
        Assert.Equal(6, server.Accepted);
    }

    [Fact]
    public async Task On_a_dedicated_thread_sends_to_a_server_that_is_not_reading_return_at_once_and_all_get_through()
    {
        // 100 pipelined POSTs of 40 KB, more than the loopback socket buffers hold while the server reads nothing: the
        // blocking writes wait (on the send loop's pool thread, or the receive thread), never Send.
        const int Count = 100;
        await using var server = ScriptedHttpServer.Start(async connection =>
        {
            if (await connection.ReadRequestAsync() is not null)
            {
                await connection.WriteAsync(Ok);
            }

            await Task.Delay(2000, connection.Stopping);
            while (await connection.ReadRequestAsync() is not null)
            {
                await connection.WriteAsync(Ok);
            }
        });

        var recorder = new AttemptRecorder();
        await using (SocketTransport transport = NewTransport(Options(server.BaseAddress, maxConnections: 1, pipelineDepth: 256, timeoutMilliseconds: 15_000), dedicatedThreads: true))
        {
            recorder.Send(transport, Request(0));
            await recorder.WaitForAsync(1);
            var sending = Stopwatch.StartNew();
            for (int i = 1; i < Count; i++)
            {
                recorder.Send(transport, Request(i, padding: 40_000));
            }

            Assert.InRange(sending.Elapsed, TimeSpan.Zero, TimeSpan.FromMilliseconds(1500)); // a send that waited would take 2 s
            await recorder.WaitForAsync(Count);
        }

        Assert.All(recorder.AssertExactlyOnce(Count), r => Assert.Equal(200, r.StatusCode));
        Assert.Equal(1, server.Accepted);
    }

    [Fact]
    public async Task On_dedicated_threads_requests_over_tls_are_all_answered()
    {
        await using TlsLoopbackServer server = await TlsLoopbackServer.StartAsync();
        string thumbprint = server.Certificate.Thumbprint;
        const int Count = 300;
        await using SocketTransport transport = NewTransport(
            Options(server.BaseAddress, maxConnections: 2, pipelineDepth: 1),
            certificateValidation: (_, certificate, _, _) => certificate?.GetCertHashString() == thumbprint,
            dedicatedThreads: true);
        var sinks = new[] { new ChainSink(transport, 0, Count / 2), new ChainSink(transport, Count / 2, Count / 2) };
        foreach (ChainSink sink in sinks)
        {
            transport.Send(Request(sink.First), sink);
        }

        await Task.WhenAll(sinks.Select(s => s.Done.Task)).WaitAsync(Bound);
        Assert.Equal(Enumerable.Range(0, Count), server.Requests.Select(r => IndexOf(r.RawTarget)).Order());
    }

    /// <summary>Sends the next request of a chain from inside each completion, as the dispatcher does when an answer frees a slot.</summary>
    private sealed class ChainSink : IAttemptSink
    {
        private readonly SocketTransport _transport;
        private readonly int _count;
        private int _answered;

        public ChainSink(SocketTransport transport, int first, int count)
        {
            _transport = transport;
            First = first;
            _count = count;
        }

        public int First { get; }

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
                _transport.Send(Request(First + answered), this);
            }
        }
    }
}
