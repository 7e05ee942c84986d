using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Delivery;
using Kissmetrics.Typed.Delivery.Transport;
using Kissmetrics.Typed.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Kissmetrics.Typed.Tests.Delivery.Transport.TransportTestKit;

namespace Kissmetrics.Typed.Tests.Delivery.Transport;

/// <summary>The allocation test measures the whole process: it runs alone, after the parallel tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMeasurements
{
    public const string Name = "Process-wide measurements";
}

/// <summary>What the socket transport allocates per request once warm: the whole process, loopback server included (it allocates nothing).</summary>
[Collection(ProcessWideMeasurements.Name)]
public sealed class SocketTransportAllocationTests
{
    private const int Requests = 10_000;
    private const int Window = 64;
    private const int Rounds = 5;

    private readonly ITestOutputHelper _output;

    public SocketTransportAllocationTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Steady_state_allocates_under_64_bytes_per_request()
    {
        using CannedHttpServer server = CannedHttpServer.Start();
        var sink = new WindowSink(Window);
        OutgoingRequest request = Request(1);
        await using SocketTransport transport = NewTransport(Options(server.BaseAddress, maxConnections: 2, pipelineDepth: 32));

        // Warm-up: connections, pools, queues, JIT and tiering; then measured rounds, on a thread of their own. The
        // measurement is the whole process (as a user would see it), so a round can also catch what the test host
        // allocates meanwhile (a GC allocation-tick listener showed Newtonsoft.Json and xunit message types on other
        // threads): the median of the rounds is asserted, and every round is printed.
        var perRequest = new double[Rounds];
        await Task.Factory.StartNew(
            () =>
            {
                Drive(transport, sink, request, Requests);
                Drive(transport, sink, request, Requests);
                for (int round = 0; round < Rounds; round++)
                {
                    long started = System.Diagnostics.Stopwatch.GetTimestamp();
                    TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
                    long before = GC.GetTotalAllocatedBytes(precise: true);
                    Drive(transport, sink, request, Requests);
                    long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
                    TimeSpan elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                    cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                    perRequest[round] = (double)allocated / Requests;
                    _output.WriteLine($"round {round}: {allocated} bytes for {Requests} requests, {perRequest[round]:F1} B/request; {elapsed.TotalMilliseconds:F0} ms ({Requests / elapsed.TotalSeconds:F0} requests/s), CPU {cpu.TotalMicroseconds / Requests:F1} µs/request (the canned server's included)");
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(60));

        Array.Sort(perRequest);
        double median = perRequest[Rounds / 2];
        _output.WriteLine($"median {median:F1} B/request; {transport.ConnectionsOpened} connection(s), peak {transport.PeakOutstanding} outstanding");
        Assert.Equal((2 + Rounds) * Requests, sink.Answered);
        Assert.Equal(0, sink.Failed);
        Assert.True(median < 64, $"{median:F1} bytes allocated per request (median of {Rounds} rounds)");
    }

    /// <summary>Sends <paramref name="count"/> requests with at most <see cref="Window"/> in flight, then waits for them all.</summary>
    private static void Drive(SocketTransport transport, WindowSink sink, in OutgoingRequest request, int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (!sink.Slots.Wait(TimeSpan.FromSeconds(20)))
            {
                throw new TimeoutException("the transport stopped answering");
            }

            transport.Send(request, sink);
        }

        for (int i = 0; i < Window; i++)
        {
            if (!sink.Slots.Wait(TimeSpan.FromSeconds(20)))
            {
                throw new TimeoutException("the transport stopped answering");
            }
        }

        sink.Slots.Release(Window);
    }

    /// <summary>Counts completions and frees a slot of the window: allocates nothing.</summary>
    private sealed class WindowSink : IAttemptSink
    {
        private int _answered;
        private int _failed;

        public WindowSink(int window) => Slots = new SemaphoreSlim(window, window);

        public SemaphoreSlim Slots { get; }

        public int Answered => Volatile.Read(ref _answered);

        public int Failed => Volatile.Read(ref _failed);

        public void AttemptCompleted(in OutgoingRequest request, in AttemptResult result)
        {
            Interlocked.Increment(ref result.StatusCode == 200 ? ref _answered : ref _failed);
            Slots.Release();
        }
    }
}
