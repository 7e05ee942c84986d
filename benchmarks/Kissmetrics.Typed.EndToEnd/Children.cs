using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Threading.Tasks;

namespace Kissmetrics.Typed.EndToEnd;

/// <summary>A check failed (bytes differ, a count does not add up): the figures would mean nothing.</summary>
internal sealed class BenchmarkFailedException : Exception
{
    public BenchmarkFailedException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// The child processes: this same program with a hidden subcommand. Every child reads its stdin until it closes, and
/// the parent holds the other end, so a child ends when the parent does, however it ends; the parent also kills every
/// child it started on exit, on Ctrl+C and when one overruns its time.
/// </summary>
internal static class Children
{
    private static readonly List<Process> s_running = [];
    private static readonly string[] s_proxyVariables = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"];

    static Children()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        Console.CancelKeyPress += (_, _) => KillAll();
    }

    public static Process Start(IReadOnlyList<string> arguments)
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Run as `dotnet <dll>` when we are run that way; an apphost runs the dll next to it by itself.
        if (string.Equals(System.IO.Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string variable in s_proxyVariables)
        {
            start.Environment.Remove(variable); // loopback only, never through a proxy
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start a child process");
        lock (s_running)
        {
            s_running.Add(process);
        }

        return process;
    }

    public static void Forget(Process process)
    {
        lock (s_running)
        {
            s_running.Remove(process);
        }

        process.Dispose();
    }

    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5_000);
            }
        }
        catch (Exception exception) when (exception is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    public static void KillAll()
    {
        Process[] running;
        lock (s_running)
        {
            running = [.. s_running];
        }

        foreach (Process process in running)
        {
            Kill(process);
        }
    }

    /// <summary>Runs a contender to its end (at most <paramref name="timeout"/>) and returns its line of JSON.</summary>
    public static async Task<JsonElement> RunContenderAsync(IReadOnlyList<string> arguments, TimeSpan timeout, string what)
    {
        var all = new List<string> { "__contender" };
        all.AddRange(arguments);
        Process process = Start(all);
        try
        {
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> errors = process.StandardError.ReadToEndAsync();
            try
            {
                await process.WaitForExitAsync().WaitAsync(timeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Kill(process);
                throw new BenchmarkFailedException(what + " did not finish within " + timeout.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture) + " s (killed)");
            }

            string stdout = await output.ConfigureAwait(false);
            string stderr = await errors.ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new BenchmarkFailedException(what + " exited with " + process.ExitCode.ToString(CultureInfo.InvariantCulture) + ":\n" + stderr + stdout);
            }

            string? json = null;
            foreach (string line in stdout.Split('\n'))
            {
                if (line.StartsWith('{'))
                {
                    json = line;
                }
            }

            if (json is null)
            {
                throw new BenchmarkFailedException(what + " printed no result:\n" + stderr + stdout);
            }

            using JsonDocument document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        finally
        {
            Kill(process);
            Forget(process);
        }
    }
}

/// <summary>A tracker process: started with its delay, asked for its counts, ended when disposed.</summary>
internal sealed class TrackerProcess : IDisposable
{
    private readonly Process _process;

    private TrackerProcess(Process process, int port, int delayMs)
    {
        _process = process;
        Port = port;
        DelayMs = delayMs;
    }

    public int Port { get; }

    public int DelayMs { get; }

    public static async Task<TrackerProcess> StartAsync(int delayMs)
    {
        Process process = Children.Start(["__tracker", "--delay-ms", delayMs.ToString(CultureInfo.InvariantCulture)]);
        try
        {
            string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            if (line is null || !line.StartsWith("PORT ", StringComparison.Ordinal))
            {
                throw new BenchmarkFailedException("the tracker did not start: " + line + await process.StandardError.ReadToEndAsync().ConfigureAwait(false));
            }

            return new TrackerProcess(process, int.Parse(line.AsSpan(5), CultureInfo.InvariantCulture), delayMs);
        }
        catch
        {
            Children.Kill(process);
            Children.Forget(process);
            throw;
        }
    }

    public void Reset(bool record = false) => TrackerControl.Get(Port, record ? "/__reset?record=1" : "/__reset");

    public TrackerStats Stats()
    {
        if (_process.HasExited)
        {
            throw new BenchmarkFailedException("the tracker process died");
        }

        using JsonDocument document = JsonDocument.Parse(TrackerControl.Get(Port, "/__stats"));
        JsonElement root = document.RootElement;
        return new TrackerStats(
            root.GetProperty("requests").GetInt64(),
            root.GetProperty("unique").GetInt64(),
            root.GetProperty("duplicates").GetInt64(),
            root.GetProperty("withoutId").GetInt64(),
            root.GetProperty("p50Us").GetInt64(),
            root.GetProperty("p99Us").GetInt64(),
            root.GetProperty("maxUs").GetInt64(),
            root.GetProperty("peakConnections").GetInt32(),
            root.GetProperty("peakInFlight").GetInt64(),
            root.GetProperty("cpuMs").GetDouble());
    }

    public string[] Recorded()
    {
        string text = TrackerControl.Get(Port, "/__recorded");
        string[] lines = text.Length == 0 ? [] : text.Split('\n');
        Array.Sort(lines, StringComparer.Ordinal);
        return lines;
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.WriteLine("quit");
            _process.StandardInput.Close();
            _process.WaitForExit(5_000);
        }
        catch (Exception exception) when (exception is System.IO.IOException or InvalidOperationException)
        {
        }

        Children.Kill(_process);
        Children.Forget(_process);
    }
}

/// <summary>The tracker's counts since its last reset; its CPU time includes the seconds until the parent asked.</summary>
internal readonly record struct TrackerStats(long Requests, long Unique, long Duplicates, long WithoutId, long P50Us, long P99Us, long MaxUs, int PeakConnections, long PeakInFlight, double CpuMs);
