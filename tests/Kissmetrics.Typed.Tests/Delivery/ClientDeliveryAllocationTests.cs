using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Tests.Delivery.Transport;
using Kissmetrics.Typed.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Kissmetrics.Typed.Tests.Infrastructure.DeliveryTestKit;

namespace Kissmetrics.Typed.Tests.Delivery;

/// <summary>
/// What a delivered event allocates once the client is warm, through the whole path (call, queue, dispatcher, socket
/// transport, loopback server that allocates nothing), measured over the whole process as a user would see it.
/// </summary>
[Collection(ProcessWideMeasurements.Name)]
public sealed class ClientDeliveryAllocationTests
{
    private const int Events = 10_000;
    private const int Rounds = 5;

    private readonly ITestOutputHelper _output;

    public ClientDeliveryAllocationTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task ASteadyStateDeliveredEventAllocatesUnder64BytesOnTheSocketTransport()
    {
        using CannedHttpServer server = CannedHttpServer.Start();
        KissmetricsOptions options = Options(server.BaseAddress);
        options.Transport = KissmetricsTransport.Sockets;
        options.QueueFullMode = KissmetricsQueueFullMode.Wait;
        options.QueueFullWaitTimeout = TimeSpan.FromMinutes(1);
        await using var client = new KissmetricsClient(options);
        DeliveryEvent[] events = Enumerable.Range(0, Events).Select(i => new DeliveryEvent(i)).ToArray(); // the caller's, not measured

        var perEvent = new double[Rounds];
        await Task.Factory.StartNew(
            () =>
            {
                for (int warm = 0; warm < 3; warm++)
                {
                    Round(client, events);
                }

                for (int round = 0; round < Rounds; round++)
                {
                    long before = GC.GetTotalAllocatedBytes(precise: true);
                    Round(client, events);
                    perEvent[round] = (double)(GC.GetTotalAllocatedBytes(precise: true) - before) / Events;
                    _output.WriteLine($"round {round}: {perEvent[round]:F1} B per delivered event");
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal((3 + Rounds) * Events, client.Statistics.Delivered);
        Assert.Equal(0, client.Statistics.Dropped);
        Array.Sort(perEvent);
        double median = perEvent[Rounds / 2];
        Assert.True(median < 64, $"{median:F1} bytes allocated per delivered event (median of {Rounds} rounds)");
    }

    private static void Round(KissmetricsClient client, DeliveryEvent[] events)
    {
        foreach (DeliveryEvent e in events)
        {
            client.Track("person", e, When);
        }

        client.FlushAsync().Wait(TimeSpan.FromSeconds(60));
    }
}
