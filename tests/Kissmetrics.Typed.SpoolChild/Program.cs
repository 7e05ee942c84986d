using System;
using System.Globalization;
using System.Threading;
using Kissmetrics.Typed;

// Usage: Kissmetrics.Typed.SpoolChild <spool directory> <endpoint> <count>
// Accepts <count> events into the spool, prints "SPOOLED <count>" and waits until it is killed. The endpoint is a
// tracker that never answers, so nothing is delivered (or given up) before the kill.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: Kissmetrics.Typed.SpoolChild <spool directory> <endpoint> <count>");
    return 2;
}

int count = int.Parse(args[2], CultureInfo.InvariantCulture);
var client = new KissmetricsClient(new KissmetricsOptions
{
    ApiKey = "spool-child-key",
    Endpoint = new Uri(args[1]),
    SpoolDirectory = args[0],
    MaxQueueLength = count + 16,
    MaxConcurrency = 1,
    RequestTimeout = TimeSpan.FromMinutes(10),
    MaxRetryDuration = TimeSpan.FromMinutes(10),
});

for (int i = 0; i < count; i++)
{
    client.Track("person-" + i.ToString(CultureInfo.InvariantCulture), new SpoolChildEvent(i), new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(i));
}

Console.Out.WriteLine("SPOOLED " + client.Statistics.Accepted.ToString(CultureInfo.InvariantCulture));
Console.Out.Flush();
Thread.Sleep(Timeout.Infinite);
return 0;

/// <summary>The event the child spools.</summary>
/// <param name="Index">Which of the events it is.</param>
[KissmetricsEvent("Spooled")]
internal sealed partial record SpoolChildEvent(int Index);
