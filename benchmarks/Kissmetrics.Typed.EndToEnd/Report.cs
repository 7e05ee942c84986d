using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace Kissmetrics.Typed.EndToEnd;

/// <summary>The markdown report: the machine, the command, and a table per mode.</summary>
internal sealed class Report
{
    private readonly Orchestrator.Settings _settings;
    private readonly string _command;
    private readonly DateTime _started = DateTime.UtcNow;
    private readonly List<string> _loads = [];

    public Report(Orchestrator.Settings settings, string[] args)
    {
        _settings = settings;
        _command = "dotnet run -c Release --project benchmarks/Kissmetrics.Typed.EndToEnd -- " + string.Join(' ', args);
    }

    public List<Measurement> Throughput { get; } = [];

    public List<Measurement> Latency { get; } = [];

    public List<Measurement> Burst { get; } = [];

    public string? CheckedRequest { get; set; }

    public void Load(string when)
    {
        string load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        _loads.Add(when + " " + DateTime.UtcNow.ToString("HH:mm", CultureInfo.InvariantCulture) + " UTC: " + load);
    }

    private Measurement? Find(string label, int round) => Throughput.FirstOrDefault(m => m.Label == label && m.Key == round);

    /// <summary>The ratios of one round (client/handwritten CPU, client/floor CPU, client/handwritten events/s), for each client variant.</summary>
    public IEnumerable<string> RoundRatios(int round)
    {
        foreach (string client in new[] { "client-tuned", "client-default" })
        {
            if (Ratios(client, round) is { } r)
            {
                yield return $"{client}: CPU {r.CpuVsHandwritten:F2}x hand-written, {r.CpuVsFloor:F2}x floor; events/s {r.RateVsHandwritten:F2}x hand-written";
            }
        }
    }

    private (double CpuVsHandwritten, double CpuVsFloor, double RateVsHandwritten)? Ratios(string client, int round)
    {
        Measurement? c = Find(client, round);
        Measurement? h = Find("handwritten", round);
        Measurement? f = Find("floor", round);
        if (c is null)
        {
            return null;
        }

        return (h is null ? double.NaN : c.CpuUsPerEvent / h.CpuUsPerEvent,
                f is null ? double.NaN : c.CpuUsPerEvent / f.CpuUsPerEvent,
                h is null ? double.NaN : c.EventsPerSecond / h.EventsPerSecond);
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Where(v => !double.IsNaN(v)).OrderBy(v => v).ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public string Markdown(List<string> problems)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"End-to-end delivery benchmark, {_started:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"* command: `{_command}`");
        md.AppendLine(CultureInfo.InvariantCulture, $"* machine: {Environment.ProcessorCount} cores (`nproc`), {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, SDK {SdkVersion()}; commit {Git()}");
        md.AppendLine(CultureInfo.InvariantCulture, $"* load average (1, 5, 15 min): {string.Join("; ", _loads)}");
        if (CheckedRequest is not null)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"* byte check passed: every contender sent the {BenchData.CheckEvents} fixed requests byte for byte as `KissmetricsFormatter.WriteTrack` writes them ({CheckedRequest.Length - 4} bytes of target each)");
        }

        if (problems.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("**Checks failed:**");
            foreach (string problem in problems)
            {
                md.AppendLine("* " + problem);
            }
        }

        if (Throughput.Count > 0)
        {
            AppendThroughput(md);
        }

        if (Latency.Count > 0)
        {
            AppendLatency(md);
        }

        if (Burst.Count > 0)
        {
            AppendBurst(md);
        }

        return md.ToString();
    }

    private void AppendThroughput(StringBuilder md)
    {
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Throughput: {_settings.Events:N0} events per contender and round, tracker on loopback answering at once, 4 in flight (client-default: the client's defaults). Medians of {_settings.Rounds} round(s):");
        md.AppendLine();
        md.AppendLine("| contender | CPU µs / delivered event | events/s | bytes allocated / event | received | duplicated | dropped (counted) | peak working set | context switches / event | tracker: connections, most in flight, its CPU µs / event |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (string label in _settings.Contenders)
        {
            Measurement[] runs = Throughput.Where(m => m.Label == label).ToArray();
            if (runs.Length == 0)
            {
                continue;
            }

            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {label} | {Median(runs.Select(m => m.CpuUsPerEvent)):F1} | {Median(runs.Select(m => m.EventsPerSecond)):N0} | {Median(runs.Select(m => m.BytesPerEvent)):N0} | {Median(runs.Select(m => (double)m.Received)):N0} | {Median(runs.Select(m => (double)m.Tracker.Duplicates)):N0} | {Median(runs.Select(m => (double)m.Dropped)):N0} | {Median(runs.Select(m => m.PeakWorkingSetMB)):F0} MB | {Median(runs.Select(m => m.SwitchesPerEvent)):F2} | {Median(runs.Select(m => (double)m.Tracker.PeakConnections)):F0}, {Median(runs.Select(m => (double)m.Tracker.PeakInFlight)):F0}, {Median(runs.Select(m => m.TrackerCpuUsPerEvent)):F1} |");
        }

        md.AppendLine();
        md.AppendLine("Each round (CPU µs per delivered event / events/s):");
        md.AppendLine();
        md.Append("| round |");
        foreach (string label in _settings.Contenders)
        {
            md.Append(CultureInfo.InvariantCulture, $" {label} |");
        }

        md.AppendLine(" client-tuned / hand-written CPU | client-tuned / floor CPU | client-tuned / hand-written events/s |");
        md.Append("|---:|");
        md.Append(string.Concat(Enumerable.Repeat("---:|", _settings.Contenders.Length + 3)));
        md.AppendLine();
        var ratios = new List<(double, double, double)>();
        for (int round = 1; round <= _settings.Rounds; round++)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {round} |");
            foreach (string label in _settings.Contenders)
            {
                Measurement? m = Find(label, round);
                md.Append(m is null ? " - |" : string.Create(CultureInfo.InvariantCulture, $" {m.CpuUsPerEvent:F1} / {m.EventsPerSecond:N0} |"));
            }

            if (Ratios("client-tuned", round) is { } r)
            {
                ratios.Add(r);
                md.AppendLine(CultureInfo.InvariantCulture, $" {r.CpuVsHandwritten:F2}x | {r.CpuVsFloor:F2}x | {r.RateVsHandwritten:F2}x |");
            }
            else
            {
                md.AppendLine(" - | - | - |");
            }
        }

        if (ratios.Count > 0)
        {
            md.Append("| median |");
            md.Append(string.Concat(Enumerable.Repeat(" |", _settings.Contenders.Length)));
            md.AppendLine(CultureInfo.InvariantCulture, $" {Median(ratios.Select(r => r.Item1)):F2}x | {Median(ratios.Select(r => r.Item2)):F2}x | {Median(ratios.Select(r => r.Item3)):F2}x |");
        }

        Measurement[] defaults = Throughput.Where(m => m.Label == "client-default").ToArray();
        if (defaults.Length > 0)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture,
                $"client-default's `Statistics` per round (delivered / dropped queue full / other drops): {string.Join("; ", defaults.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Stat("delivered"):N0} / {m.Stat("droppedQueueFull"):N0} / {m.Stat("dropped") - m.Stat("droppedQueueFull"):N0}")))}.");
        }
    }

    private void AppendLatency(StringBuilder md)
    {
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Latency: {_settings.Rate:N0} events/s offered from one thread (paced) for {_settings.Seconds:N0} s, then FlushAsync; the client at defaults{(_settings.Options.Count > 0 ? " with " + string.Join(", ", _settings.Options) : string.Empty)}. *Sustained* is what the tracker had received by the end of the offered window, per second of it; the delay is from `Track` to the tracker writing the answer.");
        md.AppendLine();
        md.AppendLine("| tracker delay | contender | offered | sustained delivered/s | received in all | dropped (counted) | Track-to-delivered p50 | p99 | max | CPU µs / event | context switches / event | peak working set | connections, most in flight | flush |");
        md.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (Measurement m in Latency)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {m.Key} ms | {(m.Label == "client" ? "client (defaults)" : m.Label)} | {m.Offered:N0} | {m.WindowRate:N0} | {m.Received:N0}{(m.Pending > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({m.Pending:N0} still waiting at the flush deadline)") : string.Empty)} | {m.Dropped:N0} | {m.Tracker.P50Us / 1000.0:N1} ms | {m.Tracker.P99Us / 1000.0:N1} ms | {m.Tracker.MaxUs / 1000.0:N1} ms | {m.CpuUsPerEvent:F1} | {m.SwitchesPerEvent:F2} | {m.PeakWorkingSetMB:F0} MB | {m.Tracker.PeakConnections}, {m.Tracker.PeakInFlight} | {m.FlushMs / 1000:F1} s{(m.Flushed ? string.Empty : " (timed out)")} |");
        }
    }

    private void AppendBurst(StringBuilder md)
    {
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Burst: {_settings.BurstEvents:N0} `Track` calls from one thread as fast as possible, the client at defaults{(_settings.Options.Count > 0 ? " with " + string.Join(", ", _settings.Options) : string.Empty)}, then FlushAsync; tracker answering after {_settings.BurstDelayMs} ms. *Lost* = offered - received - counted drops - kept in the spool.");
        md.AppendLine();
        md.AppendLine("| | offered | received | duplicated | dropped (counted) | of which queue full | kept in spool | overflowed to the spool | lost | peak working set | Track loop | flush | connections, most in flight |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (Measurement m in Burst)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {(m.Label == "spool" ? "with a spool" : "without a spool")} | {m.Offered:N0} | {m.Received:N0} | {m.Tracker.Duplicates:N0} | {m.Dropped:N0} | {m.Stat("droppedQueueFull"):N0} | {m.Stat("keptInSpool"):N0} | {m.Stat("spooledOverflow"):N0} | {m.Lost:N0} | {m.PeakWorkingSetMB:F0} MB | {(m.WallMs - m.FlushMs) / 1000:F2} s | {m.FlushMs / 1000:F2} s | {m.Tracker.PeakConnections}, {m.Tracker.PeakInFlight} |");
        }
    }

    private static string SdkVersion() => Run("dotnet", "--version") ?? "n/a";

    private static string Git() => Run("git", "rev-parse --short HEAD") ?? "n/a";

    private static string? Run(string file, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (process is null)
            {
                return null;
            }

            string output = process.StandardOutput.ReadToEnd().Trim();
            return process.WaitForExit(10_000) && process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
