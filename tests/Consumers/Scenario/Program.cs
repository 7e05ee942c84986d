// Prints the scenario's requests; with "--send <endpoint>" also sends them and prints what was delivered.
using System;
using Kissmetrics.Typed;

namespace Consumer
{
    internal static class Program
    {
        private static int Main(string[] args)
        {
            if (args.Length == 2 && args[0] == "--time")
            {
                Console.WriteLine(Timing.NanosecondsPerEvent(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));
                return 0;
            }

            foreach (string line in Scenario.Format())
            {
                Console.WriteLine(line);
            }

            if (args.Length == 2 && args[0] == "--send")
            {
#if CONSUMER_HOSTED
                KissmetricsClientStatistics statistics = HostedScenario.SendAsync(new Uri(args[1])).GetAwaiter().GetResult();
#else
                KissmetricsClientStatistics statistics = Scenario.SendAsync(new Uri(args[1])).GetAwaiter().GetResult();
#endif
                Console.WriteLine("# delivered " + statistics.Delivered + " of " + Scenario.RequestCount);
                return statistics.Delivered == Scenario.RequestCount ? 0 : 1;
            }

            return 0;
        }
    }
}
