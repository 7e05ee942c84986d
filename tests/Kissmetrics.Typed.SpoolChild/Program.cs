using System;
using System.Globalization;
using System.Threading;
using Kissmetrics.Typed;

// Usage: Kissmetrics.Typed.SpoolChild <spool directory> <endpoint> <count> [<delivered>]
// Accepts <count> events into the spool, prints "SPOOLED <count>" and waits until it is killed. Without <delivered> the
// endpoint is a tracker that never answers, so nothing is delivered (or given up) before the kill. With it, the child
// sends 4 at a time, waits until <delivered> of them were delivered, prints "DELIVERED <n>" and waits to be killed (the
// tracker answers that many and holds the rest, so they are in flight at the kill).
if (args.Length is not (3 or 4))
{
    Console.Error.WriteLine("usage: Kissmetrics.Typed.SpoolChild <spool directory> <endpoint> <count> [<delivered>]");
    return 2;
}

int count = int.Parse(args[2], CultureInfo.InvariantCulture);
int? delivered = args.Length == 4 ? int.Parse(args[3], CultureInfo.InvariantCulture) : null;
var client = new KissmetricsClient(new KissmetricsOptions
{
    ApiKey = "spool-child-key",
    Endpoint = new Uri(args[1]),
    SpoolDirectory = args[0],
    MaxQueueLength = count + 16,
    MinConcurrency = delivered is null ? 1 : 4,
    MaxConcurrency = delivered is null ? 1 : 4,
    RequestTimeout = TimeSpan.FromMinutes(10),
    MaxRetryDuration = TimeSpan.FromMinutes(10),
});

for (int i = 0; i < count; i++)
{
    client.Track("person-" + i.ToString(CultureInfo.InvariantCulture), new SpoolChildEvent(i), new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(i));
}

Console.Out.WriteLine("SPOOLED " + client.Statistics.Accepted.ToString(CultureInfo.InvariantCulture));
Console.Out.Flush();
if (delivered is { } target)
{
    while (client.Statistics.Delivered < target)
    {
        Thread.Sleep(5);
    }

    Console.Out.WriteLine("DELIVERED " + client.Statistics.Delivered.ToString(CultureInfo.InvariantCulture));
    Console.Out.Flush();
}

Thread.Sleep(Timeout.Infinite);
return 0;

/// <summary>The event the child spools.</summary>
/// <param name="Index">Which of the events it is.</param>
[KissmetricsEvent("Spooled")]
internal sealed partial record SpoolChildEvent(int Index);
