using System;
using System.Threading.Tasks;
using Kissmetrics.Typed.EndToEnd;

// The end-to-end delivery benchmark: per delivered event, contenders and tracker in separate processes.
//
//   dotnet run -c Release --project benchmarks/Kissmetrics.Typed.EndToEnd -- <mode> [options]
//
// modes: throughput | latency | burst | all       (docs/benchmarks.md, "End to end, per delivered event")
// options: --rounds 3 --events N --seconds S --rate R --delays 10,50,100,200 --burst-events N --delay-ms D (burst)
//          --opt Name=Value (KissmetricsOptions of client-tuned, and of the client in latency and burst; repeatable)
//          --contenders client-default,client-tuned,handwritten,floor --latency-handwritten --quick --out FILE.md
//
// Hidden subcommands (what the parent spawns): __tracker, __contender.
try
{
    if (args.Length > 0 && args[0] == "__tracker")
    {
        return Tracker.Run(args[1..]);
    }

    if (args.Length > 0 && args[0] == "__contender")
    {
        return await ContenderMain.RunAsync(args[1..]).ConfigureAwait(false);
    }

    return await Orchestrator.RunAsync(args).ConfigureAwait(false);
}
catch (BenchmarkFailedException failure)
{
    Console.Error.WriteLine();
    Console.Error.WriteLine("FAILED: " + failure.Message);
    return 2;
}
catch (ArgumentException bad) when (args.Length == 0 || !args[0].StartsWith("__", StringComparison.Ordinal))
{
    Console.Error.WriteLine(bad.Message);
    Console.Error.WriteLine(Orchestrator.Usage);
    return 64;
}
