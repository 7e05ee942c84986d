using System;
using System.Buffers;
using System.Diagnostics;
using System.Globalization;

namespace Kissmetrics.Typed.Benchmarks;

/// <summary>Runs the generated serializer in a loop for a while and prints the time per call (for perf and the like).</summary>
public static class Profile
{
    public static int Run(string[] args)
    {
        double seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        string shape = args.Length > 1 ? args[1] : "ten";
        var buffer = new ArrayBufferWriter<byte>(8192);
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long calls = shape switch
        {
            "small" => Loop(buffer, Samples.SignedUp, seconds),
            "order" => Loop(buffer, Samples.OrderCompleted, seconds),
            _ => Loop(buffer, Samples.SubscriptionStarted, seconds),
        };
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine($"{shape}: {calls} calls, {seconds * 1e9 / calls:0.0} ns wall clock and {cpu.TotalMilliseconds * 1e6 / calls:0.0} ns CPU per call, {buffer.WrittenCount} bytes");
        return 0;
    }

    private static long Loop<TEvent>(ArrayBufferWriter<byte> buffer, TEvent @event, double seconds)
        where TEvent : Serialization.IKissmetricsEvent
    {
        var clock = Stopwatch.StartNew();
        long calls = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            for (int i = 0; i < 1000; i++)
            {
                buffer.ResetWrittenCount();
                KissmetricsFormatter.WriteTrack(buffer, Samples.Options, Samples.Person, @event, Samples.Timestamp);
            }

            calls += 1000;
        }

        return calls;
    }
}
