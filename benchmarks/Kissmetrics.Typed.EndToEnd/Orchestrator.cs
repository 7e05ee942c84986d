using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;

namespace Kissmetrics.Typed.EndToEnd;

/// <summary>The parent: starts the tracker and the contenders, checks what they sent, measures, and reports.</summary>
internal static class Orchestrator
{
    public const string Usage = """
        usage: dotnet run -c Release --project benchmarks/Kissmetrics.Typed.EndToEnd -- <throughput|latency|burst|all> [options]
          --rounds N            throughput rounds (default 3)
          --events N            events per contender and round in throughput (default 200000; --quick 20000)
          --seconds S           latency: seconds offered per delay (default 60; --quick 5)
          --rate R              latency: events per second offered (default 2000)
          --delays 10,50,...    latency: the tracker's answer delays in ms (default 10,50,100,200)
          --burst-events N      burst: Track calls (default 100000)
          --delay-ms D          burst: the tracker's answer delay in ms (default 0)
          --opt Name=Value      a KissmetricsOptions setting of client-tuned (and of the client in latency and burst); repeatable
          --contenders a,b      throughput: which of client-default,client-tuned,handwritten,floor (default all)
          --latency-handwritten latency: also the hand-written loop
          --warmup N            events each contender sends before its timed section (default 5000; --quick 2000)
          --quick               a short run (smoke check)
          --out FILE.md         also write the markdown report there
        """;

    private static readonly string[] s_allContenders = ["client-default", "client-tuned", "handwritten", "floor"];

    public static async Task<int> RunAsync(string[] args)
    {
        Settings settings = Settings.Parse(args);
        var report = new Report(settings, args);
        var problems = new List<string>();
        try
        {
            if (settings.Mode is "throughput" or "all")
            {
                await ThroughputAsync(settings, report, problems).ConfigureAwait(false);
            }

            if (settings.Mode is "latency" or "all")
            {
                await LatencyAsync(settings, report, problems).ConfigureAwait(false);
            }

            if (settings.Mode is "burst" or "all")
            {
                await BurstAsync(settings, report, problems).ConfigureAwait(false);
            }
        }
        finally
        {
            Children.KillAll();
        }

        string markdown = report.Markdown(problems);
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (settings.Out is not null)
        {
            File.WriteAllText(settings.Out, markdown);
            Console.WriteLine("report written to " + settings.Out);
        }

        if (problems.Count > 0)
        {
            Console.Error.WriteLine("FAILED checks:");
            foreach (string problem in problems)
            {
                Console.Error.WriteLine("  " + problem);
            }

            return 1;
        }

        return 0;
    }

    /// <summary>The contender's arguments: kind and options (client-tuned: the same in-flight limit as the others).</summary>
    private static List<string> ContenderArguments(string label, Settings settings, int port)
    {
        var arguments = new List<string> { "--label", label, "--port", port.ToString(CultureInfo.InvariantCulture), "--inflight", "4" };
        switch (label)
        {
            case "client-default":
                arguments.AddRange(["--kind", "client"]);
                break;
            case "client-tuned":
                arguments.AddRange(["--kind", "client",
                    "--opt", "MaxConcurrency=4", "--opt", "MinConcurrency=4", "--opt", "QueueFullMode=Wait", "--opt", "QueueFullWaitTimeout=10m"]);
                foreach (string option in settings.Options)
                {
                    arguments.AddRange(["--opt", option]);
                }

                break;
            case "client":
                arguments.AddRange(["--kind", "client"]);
                foreach (string option in settings.Options)
                {
                    arguments.AddRange(["--opt", option]);
                }

                break;
            case "handwritten":
                arguments.AddRange(["--kind", "handwritten"]);
                break;
            case "floor":
                arguments.AddRange(["--kind", "floor"]);
                break;
            default:
                throw new ArgumentException("unknown contender " + label + " (client-default, client-tuned, handwritten, floor)");
        }

        return arguments;
    }

    /// <summary>
    /// Each contender sends the same fixed events (fixed ids, times and <c>_t</c>); what the tracker recorded must be
    /// byte for byte what <c>KissmetricsFormatter.WriteTrack</c> writes for them. Fails the run otherwise.
    /// </summary>
    private static async Task CheckBytesAsync(TrackerProcess tracker, IEnumerable<string> labels, Settings settings, Report report)
    {
        string[] expected = ExpectedCheckRequests();
        foreach (string label in labels)
        {
            tracker.Reset(record: true);
            List<string> arguments = ContenderArguments(label, settings, tracker.Port);
            arguments.AddRange(["--phase", "check"]);
            await Children.RunContenderAsync(arguments, TimeSpan.FromSeconds(120), label + " (byte check)").ConfigureAwait(false);
            string[] recorded = tracker.Recorded();
            if (!recorded.SequenceEqual(expected, StringComparer.Ordinal))
            {
                throw new BenchmarkFailedException(label + " did not send the expected bytes:\n" + Difference(expected, recorded));
            }

            Console.WriteLine($"  byte check: {label,-15} sent the {expected.Length} expected requests byte for byte ({expected[0].Length} bytes each)");
        }

        tracker.Reset();
        report.CheckedRequest = expected[0];
    }

    private static string[] ExpectedCheckRequests()
    {
        var options = new KissmetricsOptions { ApiKey = BenchData.ApiKey };
        var expected = new string[BenchData.CheckEvents];
        var buffer = new ArrayBufferWriter<byte>(1024);
        for (int i = 0; i < expected.Length; i++)
        {
            buffer.ResetWrittenCount();
            KissmetricsFormatter.WriteTrack(buffer, options, BenchData.Person, BenchData.Event(i, BenchData.CheckTrackedUs + i), BenchData.CheckTimestamp);
            expected[i] = "GET " + Encoding.ASCII.GetString(buffer.WrittenSpan).TrimEnd('\n');
        }

        Array.Sort(expected, StringComparer.Ordinal);
        return expected;
    }

    private static string Difference(string[] expected, string[] recorded)
    {
        if (expected.Length != recorded.Length)
        {
            return $"  expected {expected.Length} requests, the tracker recorded {recorded.Length}:\n  " + string.Join("\n  ", recorded.Take(10));
        }

        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] != recorded[i])
            {
                int at = 0;
                while (at < expected[i].Length && at < recorded[i].Length && expected[i][at] == recorded[i][at])
                {
                    at++;
                }

                return $"  first difference at character {at}:\n  expected: ...{Around(expected[i], at)}\n  received: ...{Around(recorded[i], at)}";
            }
        }

        return "  (no difference found)";
    }

    private static string Around(string text, int at) => text.Substring(Math.Max(0, at - 40), Math.Min(text.Length - Math.Max(0, at - 40), 100));

    private static async Task ThroughputAsync(Settings settings, Report report, List<string> problems)
    {
        Console.WriteLine($"== throughput: {settings.Events:N0} events per contender, 4 in flight, tracker on loopback with no delay, {settings.Rounds} round(s)");
        report.Load("throughput start");
        using TrackerProcess tracker = await TrackerProcess.StartAsync(0).ConfigureAwait(false);
        await CheckBytesAsync(tracker, settings.Contenders, settings, report).ConfigureAwait(false);
        Console.WriteLine($"  {"round",5} {"contender",-15} {"CPU µs/ev",10} {"events/s",10} {"B/ev",8} {"received",9} {"dup",5} {"dropped",9} {"peak WS MB",10} {"conns",5} {"in flight",9} {"tracker µs/ev",13} {"ctx sw/ev",9}");
        for (int round = 1; round <= settings.Rounds; round++)
        {
            IEnumerable<string> order = round % 2 == 1 ? settings.Contenders : settings.Contenders.AsEnumerable().Reverse();
            foreach (string label in order)
            {
                List<string> arguments = ContenderArguments(label, settings, tracker.Port);
                arguments.AddRange(["--phase", "run", "--events", settings.Events.ToString(CultureInfo.InvariantCulture),
                    "--warmup", settings.Warmup.ToString(CultureInfo.InvariantCulture), "--flush-timeout", "300"]);
                TimeSpan timeout = TimeSpan.FromSeconds(120 + (settings.Events / 1_000.0));
                JsonElement result = await Children.RunContenderAsync(arguments, timeout, label).ConfigureAwait(false);
                Measurement m = Measurement.From(label, round, result, tracker.Stats());
                m.Verify(problems);
                report.Throughput.Add(m);
                Console.WriteLine($"  {round,5} {label,-15} {m.CpuUsPerEvent,10:F1} {m.EventsPerSecond,10:N0} {m.BytesPerEvent,8:N0} {m.Received,9:N0} {m.Tracker.Duplicates,5:N0} {m.Dropped,9:N0} {m.PeakWorkingSetMB,10:F0} {m.Tracker.PeakConnections,5} {m.Tracker.PeakInFlight,9} {m.TrackerCpuUsPerEvent,13:F1} {m.SwitchesPerEvent,9:F2}");
            }

            foreach (string ratio in report.RoundRatios(round))
            {
                Console.WriteLine("        " + ratio);
            }
        }

        report.Load("throughput end");
    }

    private static async Task LatencyAsync(Settings settings, Report report, List<string> problems)
    {
        string[] labels = settings.LatencyHandwritten ? ["client", "handwritten"] : ["client"];
        Console.WriteLine($"== latency: {settings.Rate:N0} events/s offered from one thread for {settings.Seconds:N0} s, the client at defaults{(settings.Options.Count > 0 ? " with " + string.Join(", ", settings.Options) : string.Empty)}; tracker answering after {string.Join(", ", settings.Delays)} ms");
        report.Load("latency start");
        Console.WriteLine($"  {"delay",5} {"contender",-12} {"offered",9} {"in window/s",11} {"received",9} {"dropped",9} {"p50 ms",8} {"p99 ms",8} {"max ms",8} {"CPU µs/ev",10} {"peak WS MB",10} {"flush s",8} {"conns",5} {"in flight",9} {"ctx sw/ev",9}");
        foreach (int delay in settings.Delays)
        {
            using TrackerProcess tracker = await TrackerProcess.StartAsync(delay).ConfigureAwait(false);
            await CheckBytesAsync(tracker, labels, settings, report).ConfigureAwait(false);
            foreach (string label in labels)
            {
                List<string> arguments = ContenderArguments(label, settings, tracker.Port);
                double flushTimeout = Math.Max(60, settings.Seconds);
                arguments.AddRange(["--phase", "paced", "--rate", settings.Rate.ToString(CultureInfo.InvariantCulture),
                    "--seconds", settings.Seconds.ToString(CultureInfo.InvariantCulture), "--warmup", "1000",
                    "--flush-timeout", flushTimeout.ToString(CultureInfo.InvariantCulture)]);
                TimeSpan timeout = TimeSpan.FromSeconds(settings.Seconds + flushTimeout + 120);
                JsonElement result = await Children.RunContenderAsync(arguments, timeout, label + " at " + delay.ToString(CultureInfo.InvariantCulture) + " ms").ConfigureAwait(false);
                Measurement m = Measurement.From(label, delay, result, tracker.Stats());
                m.Verify(problems);
                report.Latency.Add(m);
                Console.WriteLine($"  {delay,5} {label,-12} {m.Offered,9:N0} {m.WindowRate,11:N0} {m.Received,9:N0} {m.Dropped,9:N0} {m.Tracker.P50Us / 1000.0,8:F1} {m.Tracker.P99Us / 1000.0,8:F1} {m.Tracker.MaxUs / 1000.0,8:F1} {m.CpuUsPerEvent,10:F1} {m.PeakWorkingSetMB,10:F0} {m.FlushMs / 1000.0,8:F1} {m.Tracker.PeakConnections,5} {m.Tracker.PeakInFlight,9} {m.SwitchesPerEvent,9:F2}");
            }
        }

        report.Load("latency end");
    }

    private static async Task BurstAsync(Settings settings, Report report, List<string> problems)
    {
        Console.WriteLine($"== burst: {settings.BurstEvents:N0} Track calls from one thread as fast as possible, the client at defaults{(settings.Options.Count > 0 ? " with " + string.Join(", ", settings.Options) : string.Empty)}, tracker answering after {settings.BurstDelayMs} ms");
        report.Load("burst start");
        using TrackerProcess tracker = await TrackerProcess.StartAsync(settings.BurstDelayMs).ConfigureAwait(false);
        await CheckBytesAsync(tracker, ["client"], settings, report).ConfigureAwait(false);
        Console.WriteLine($"  {"spool",-8} {"offered",9} {"received",9} {"dup",5} {"dropped",9} {"kept",7} {"overflow",9} {"lost",6} {"peak WS MB",10} {"Track s",8} {"flush s",8}");
        foreach (bool spool in new[] { true, false })
        {
            List<string> arguments = ContenderArguments("client", settings, tracker.Port);
            arguments.AddRange(["--phase", "run", "--events", settings.BurstEvents.ToString(CultureInfo.InvariantCulture), "--warmup", "1000", "--flush-timeout", "120"]);
            if (spool)
            {
                arguments.Add("--spool");
            }

            JsonElement result = await Children.RunContenderAsync(arguments, TimeSpan.FromSeconds(300), "burst" + (spool ? " with a spool" : string.Empty)).ConfigureAwait(false);
            Measurement m = Measurement.From(spool ? "spool" : "no spool", 0, result, tracker.Stats());
            m.Verify(problems);
            report.Burst.Add(m);
            Console.WriteLine($"  {m.Label,-8} {m.Offered,9:N0} {m.Received,9:N0} {m.Tracker.Duplicates,5:N0} {m.Dropped,9:N0} {m.Stat("keptInSpool"),7:N0} {m.Stat("spooledOverflow"),9:N0} {m.Lost,6:N0} {m.PeakWorkingSetMB,10:F0} {(m.WallMs - m.FlushMs) / 1000.0,8:F2} {m.FlushMs / 1000.0,8:F2}");
        }

        report.Load("burst end");
    }

    internal sealed class Settings
    {
        public string Mode { get; private set; } = string.Empty;

        public int Rounds { get; private set; } = 3;

        public int Events { get; private set; }

        public double Seconds { get; private set; }

        public int Rate { get; private set; } = 2_000;

        public int[] Delays { get; private set; } = [10, 50, 100, 200];

        public int BurstEvents { get; private set; }

        public int BurstDelayMs { get; private set; }

        public int Warmup { get; private set; }

        public bool Quick { get; private set; }

        public bool LatencyHandwritten { get; private set; }

        public string? Out { get; private set; }

        public List<string> Options { get; } = [];

        public string[] Contenders { get; private set; } = s_allContenders;

        public static Settings Parse(string[] args)
        {
            if (args.Length == 0 || args[0] is not ("throughput" or "latency" or "burst" or "all"))
            {
                throw new ArgumentException("the first argument is the mode: throughput, latency, burst or all");
            }

            var settings = new Settings { Mode = args[0] };
            int? events = null, warmup = null, burst = null;
            double? seconds = null;
            for (int i = 1; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException(args[i] + " needs a value");
                switch (args[i])
                {
                    case "--rounds": settings.Rounds = Positive(Value()); break;
                    case "--events": events = Positive(Value()); break;
                    case "--seconds": seconds = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--rate": settings.Rate = Positive(Value()); break;
                    case "--delays": settings.Delays = Value().Split(',').Select(d => int.Parse(d, CultureInfo.InvariantCulture)).ToArray(); break;
                    case "--burst-events": burst = Positive(Value()); break;
                    case "--delay-ms": settings.BurstDelayMs = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--warmup": warmup = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--opt": settings.Options.Add(Value()); break;
                    case "--contenders":
                        settings.Contenders = Value().Split(',');
                        foreach (string contender in settings.Contenders)
                        {
                            if (!s_allContenders.Contains(contender))
                            {
                                throw new ArgumentException("unknown contender " + contender);
                            }
                        }

                        break;
                    case "--latency-handwritten": settings.LatencyHandwritten = true; break;
                    case "--quick": settings.Quick = true; break;
                    case "--out": settings.Out = Value(); break;
                    default: throw new ArgumentException("unknown option " + args[i]);
                }
            }

            settings.Events = events ?? (settings.Quick ? 20_000 : 200_000);
            settings.Seconds = seconds ?? (settings.Quick ? 5 : 60);
            settings.Warmup = warmup ?? (settings.Quick ? 2_000 : 5_000);
            settings.BurstEvents = burst ?? 100_000;
            return settings;
        }

        private static int Positive(string value)
        {
            int number = int.Parse(value, CultureInfo.InvariantCulture);
            return number > 0 ? number : throw new ArgumentException("expected a positive number, got " + value);
        }
    }
}

/// <summary>One contender's run: what it said about itself and what the tracker counted.</summary>
internal sealed class Measurement
{
    private JsonElement _result;

    public string Label { get; private init; } = string.Empty;

    /// <summary>The round (throughput) or the tracker's delay (latency).</summary>
    public int Key { get; private init; }

    public long Offered { get; private init; }

    public TrackerStats Tracker { get; private init; }

    public double CpuMs { get; private init; }

    public double WallMs { get; private init; }

    public double FlushMs { get; private init; }

    public long AllocatedBytes { get; private init; }

    public long PeakWorkingSet { get; private init; }

    /// <summary>The contender process's context switches in the timed section (voluntary and involuntary).</summary>
    public long ContextSwitches { get; private init; }

    public double SwitchesPerEvent => Received == 0 ? double.NaN : (double)ContextSwitches / Received;

    public bool Flushed { get; private init; }

    public long WindowReceived { get; private init; }

    public double WindowMs { get; private init; }

    public bool IsClient => _result.TryGetProperty("stats", out _);

    public long Received => Tracker.Unique;

    public double CpuUsPerEvent => Received == 0 ? double.NaN : CpuMs * 1000 / Received;

    public double EventsPerSecond => Received / (WallMs / 1000);

    public double BytesPerEvent => Received == 0 ? double.NaN : (double)AllocatedBytes / Received;

    public double TrackerCpuUsPerEvent => Received == 0 ? double.NaN : Tracker.CpuMs * 1000 / Received;

    public double PeakWorkingSetMB => PeakWorkingSet / (1024.0 * 1024);

    public double WindowRate => WindowMs <= 0 ? 0 : WindowReceived / (WindowMs / 1000);

    /// <summary>Counted drops: the client's <c>Statistics.Dropped</c>, the hand-written loop's failed requests.</summary>
    public long Dropped => IsClient ? Stat("dropped") : _result.TryGetProperty("failures", out JsonElement f) ? f.GetInt64() : 0;

    /// <summary>The hand-written loop's requests not answered by the flush deadline.</summary>
    public long Pending => _result.TryGetProperty("pending", out JsonElement p) ? p.GetInt64() : 0;

    /// <summary>Offered, neither received nor counted as dropped nor kept in the spool.</summary>
    public long Lost => Offered - Received - Dropped - Stat("keptInSpool");

    public long Stat(string name) => _result.TryGetProperty("stats", out JsonElement stats) && stats.TryGetProperty(name, out JsonElement value) ? value.GetInt64() : 0;

    public static Measurement From(string label, int key, JsonElement result, TrackerStats tracker) => new()
    {
        _result = result,
        Label = label,
        Key = key,
        Tracker = tracker,
        Offered = result.GetProperty("offered").GetInt64(),
        CpuMs = result.GetProperty("cpuMs").GetDouble(),
        WallMs = result.GetProperty("wallMs").GetDouble(),
        FlushMs = result.GetProperty("flushMs").GetDouble(),
        AllocatedBytes = result.GetProperty("allocatedBytes").GetInt64(),
        ContextSwitches = result.GetProperty("contextSwitches").GetInt64(),
        PeakWorkingSet = result.GetProperty("peakWorkingSet").GetInt64(),
        Flushed = result.GetProperty("flushed").GetBoolean(),
        WindowReceived = result.TryGetProperty("windowReceived", out JsonElement w) ? w.GetInt64() : 0,
        WindowMs = result.TryGetProperty("windowMs", out JsonElement wm) ? wm.GetDouble() : 0,
    };

    /// <summary>The counts must add up: the tracker saw every delivered request, and nothing offered is unaccounted for.</summary>
    public void Verify(List<string> problems)
    {
        string who = Label + " (" + Key.ToString(CultureInfo.InvariantCulture) + ")";
        if (Tracker.WithoutId != 0)
        {
            problems.Add($"{who}: the tracker got {Tracker.WithoutId} requests without a readable event id");
        }

        if (Received > Offered)
        {
            problems.Add($"{who}: the tracker counted {Received} unique events, more than the {Offered} offered");
        }

        if (IsClient)
        {
            long delivered = Stat("delivered");
            if (Received < delivered)
            {
                problems.Add($"{who}: the client counted {delivered} delivered, the tracker received only {Received}: the tracker lost count");
            }

            long accounted = delivered + Stat("dropped") + Stat("keptInSpool");
            if (accounted != Offered)
            {
                problems.Add($"{who}: offered {Offered}, the client accounts for {accounted} (delivered + dropped + kept in spool)");
            }
        }
        else if (Pending > 0 ? Received < Offered - Dropped - Pending : Received != Offered - Dropped)
        {
            problems.Add($"{who}: offered {Offered}, failed {Dropped}, the tracker received {Received}: lost count");
        }
    }
}
