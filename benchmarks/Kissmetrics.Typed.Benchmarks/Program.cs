using System;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Kissmetrics.Typed.Benchmarks;

// dotnet run -c Release --project benchmarks/Kissmetrics.Typed.Benchmarks            all serializer benchmarks
// dotnet run -c Release --project benchmarks/Kissmetrics.Typed.Benchmarks -- print   what each event sends
// dotnet run -c Release --project benchmarks/Kissmetrics.Typed.Benchmarks -- scale   the generator on 1,000 event types
// dotnet run -c Release --project benchmarks/Kissmetrics.Typed.Benchmarks -- profile [seconds] [small|ten|order]
//                                                                                     a steady loop, to run under perf
// dotnet run -c Release --project benchmarks/Kissmetrics.Typed.Benchmarks -- compare <build folder> <build folder> [...]
//                                                                                     builds side by side in one process (A/B)
if (args.Length > 0 && args[0] == "scale")
{
    return Kissmetrics.Typed.Benchmarks.Scale.GeneratorScale.Run(args.Skip(1).ToArray());
}

if (args.Length > 0 && args[0] == "profile")
{
    // A steady loop of the 10-property event for a profiler: DOTNET_PerfMapEnabled=1 perf record -g -- dotnet ... profile
    return Profile.Run(args.Skip(1).ToArray());
}

if (args.Length > 0 && args[0] == "compare")
{
    return Compare.Run(args.Skip(1).ToArray());
}

if (args.Length > 0 && args[0] == "print")
{
    Console.WriteLine(Encoding.UTF8.GetString(TrackBenchmarks<SignedUp>.Ours(Samples.SignedUp)));
    Console.WriteLine(Encoding.UTF8.GetString(TrackBenchmarks<SubscriptionStarted>.Ours(Samples.SubscriptionStarted)));
    Console.WriteLine(Encoding.UTF8.GetString(TrackBenchmarks<OrderCompleted>.Ours(Samples.OrderCompleted)));
    return 0;
}

// In process (no second build of this project and the generator: that alone takes minutes on a 2-core shared
// machine), one launch, few iterations: the whole run fits in a few minutes.
IConfig config = DefaultConfig.Instance
    .AddJob(Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithLaunchCount(1)
        .WithWarmupCount(3)
        .WithIterationCount(9)
        .WithId("Quick")
        .AsDefault())
    .AddColumn(StatisticColumn.Median, new FloorRatioColumn())
    .WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));

string[] benchmarkArgs = args.Length == 0 ? ["--filter", "*"] : args;
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(benchmarkArgs, config);
return 0;
