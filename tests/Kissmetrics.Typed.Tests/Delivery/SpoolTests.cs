using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Text;
using System.Threading.Tasks;
using Kissmetrics.Typed.Delivery;
using Kissmetrics.Typed.Tests.Infrastructure;
using Xunit;
using static Kissmetrics.Typed.Tests.Infrastructure.DeliveryTestKit;

namespace Kissmetrics.Typed.Tests.Delivery;

/// <summary>The opt-in durable spool: crash survival, replay, corruption, caps, permissions.</summary>
public sealed class SpoolTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "kissmetrics-spool-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private KissmetricsOptions SpoolOptions(LoopbackTracker tracker)
    {
        KissmetricsOptions options = Options(tracker);
        options.SpoolDirectory = _directory;
        return options;
    }

    private string[] SegmentFiles() => Directory.Exists(_directory) ? Directory.GetFiles(_directory, "*.kmspool") : [];

    private static int IndexOf(RecordedRequest request) => int.Parse(request["Delivery Test - Index"], CultureInfo.InvariantCulture);

    /// <summary>The format keyed by this test's spool directory (created, with its key, as a client would).</summary>
    private SpoolFormat Format()
    {
        Directory.CreateDirectory(_directory);
        return new SpoolFormat(SpoolDirectory.LoadOrCreateKey(_directory));
    }

    /// <summary>A line as this directory's spool writes it.</summary>
    private string Line(DateTimeOffset accepted, string request) => Line(Format(), accepted, request);

    private static string Line(SpoolFormat format, DateTimeOffset accepted, string request)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(request);
        byte[] line = new byte[bytes.Length + SpoolFormat.Overhead];
        int length = format.Write(line, accepted.ToUnixTimeMilliseconds(), bytes);
        return Encoding.ASCII.GetString(line, 0, length);
    }

    private static string Request(int index) =>
        KissmetricsFormatter.FormatTrack(new KissmetricsOptions { ApiKey = ApiKey }, "p", new DeliveryEvent(index), When).Single();

    [Fact]
    public async Task AChildKilledWithSigkillBeforeSendingLosesNothing()
    {
        const int Count = 1_000;
        await using LoopbackTracker blackHole = await LoopbackTracker.StartAsync();
        blackHole.DefaultResponse = TrackerResponse.Hang;

        string child = typeof(SpoolTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SpoolChildPath").Value!;
        Assert.True(File.Exists(child), $"the spool child is built by the solution: {child}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { child, _directory, blackHole.BaseAddress.ToString(), Count.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using (Process process = Process.Start(start)!)
        {
            try
            {
                string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
                Assert.Equal("SPOOLED " + Count, line);
            }
            finally
            {
                process.Kill(); // SIGKILL on Unix: no finalizers, no flush, no dispose
                await process.WaitForExitAsync().WaitAsync(TestTimeout);
            }

            Assert.Equal(137, process.ExitCode); // 128 + SIGKILL
        }

        Assert.True(blackHole.Requests.Count <= 1, "the child sends one request at most, and it is never answered");
        string segment = Assert.Single(SegmentFiles());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(segment));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
        }

        // A new process (this one) on the same directory delivers every one of them.
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        using HttpClient http = NewHttpClient();
        var client = NewClient(SpoolOptions(tracker), http);
        await FlushAsync(client);
        await client.DisposeAsync();

        static int ChildIndex(RecordedRequest r) => int.Parse(r["Spooled - Index"], CultureInfo.InvariantCulture);
        Assert.Equal(Enumerable.Range(0, Count), tracker.Requests.Select(ChildIndex).Distinct().Order());
        Assert.Equal(Count, tracker.Requests.Count);
        Assert.Equal(Count, client.Statistics.SpoolReplayed);
        Assert.Equal(Count, client.Statistics.Delivered);
        Assert.Equal("1767225607", tracker.Requests.Single(r => ChildIndex(r) == 7)["_t"]); // the _t the child gave it: 2026-01-01 + 7 s
        Assert.Empty(SegmentFiles());
    }

    [Fact]
    public async Task CorruptedAndTruncatedLinesAreSkippedAndCounted()
    {
        Directory.CreateDirectory(_directory);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string good1 = Line(now, Request(1));
        string good2 = Line(now, Request(2));
        string flipped = Line(now, Request(3)).Replace("Index=3", "Index=4", StringComparison.Ordinal);
        string truncated = Line(now, Request(5));
        File.WriteAllText(
            Path.Combine(_directory, "requests-000000000007.kmspool"),
            good1 + flipped + "not a spool line\n" + "\n" + good2 + truncated.Substring(0, truncated.Length / 2));

        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        using HttpClient http = NewHttpClient();
        var client = NewClient(SpoolOptions(tracker), http);
        await FlushAsync(client);
        await client.DisposeAsync();

        Assert.Equal(new[] { 1, 2 }, tracker.Requests.Select(IndexOf).Order());
        Assert.Equal(4, client.Statistics.SpoolCorrupted); // altered, garbage, empty, truncated
        Assert.Equal(2, client.Statistics.SpoolReplayed);
        Assert.Empty(SegmentFiles());
    }

    [Fact]
    public async Task LinesOlderThanSpoolMaxAgeAreDroppedAndCounted()
    {
        Directory.CreateDirectory(_directory);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        File.WriteAllText(
            Path.Combine(_directory, "requests-000000000001.kmspool"),
            Line(now.AddHours(-3), Request(1)) + Line(now.AddMinutes(-30), Request(2)));

        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = SpoolOptions(tracker);
        options.SpoolMaxAge = TimeSpan.FromHours(1);
        await using var client = NewClient(options, http);
        await FlushAsync(client);

        Assert.Equal(new[] { 2 }, tracker.Requests.Select(IndexOf));
        Assert.Equal(1, client.Statistics.SpoolExpired);
        Assert.Equal(1, client.Statistics.Dropped);
    }

    [Fact]
    public async Task WhatIsUnsentAtShutdownStaysInTheSpoolForTheNextStart()
    {
        await using (LoopbackTracker down = await LoopbackTracker.StartAsync())
        {
            down.DefaultResponse = TrackerResponse.Hang;
            using HttpClient http = NewHttpClient();
            KissmetricsOptions options = SpoolOptions(down);
            options.ShutdownTimeout = TimeSpan.FromMilliseconds(200);
            options.RequestTimeout = TimeSpan.FromSeconds(30);
            var client = NewClient(options, http);
            for (int i = 0; i < 5; i++)
            {
                client.Track("p", new DeliveryEvent(i), When);
            }

            await down.WaitForRequestsAsync(4); // four in flight (the limit starts at MinConcurrency), one queued
            await client.DisposeAsync().AsTask().WaitAsync(TestTimeout);
            Assert.Equal(5, client.Statistics.KeptInSpool); // the spooled requests in flight too: they stay in the spool
            Assert.Equal(0, client.Statistics.InFlightAtShutdown);
            Assert.Equal(0, client.Statistics.DroppedAtShutdown);
            Assert.Single(SegmentFiles());
        }

        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        using HttpClient http2 = NewHttpClient();
        var next = NewClient(SpoolOptions(tracker), http2);
        next.Track("p", new DeliveryEvent(5), When);
        await FlushAsync(next);
        await next.DisposeAsync();

        Assert.Equal(Enumerable.Range(0, 6), tracker.Requests.Select(IndexOf).Order());
        Assert.Equal(5, next.Statistics.SpoolReplayed);
        Assert.Empty(SegmentFiles());
    }

    [Fact]
    public async Task DeliveredRequestsLeaveNoFilesAndNewFilesAreOwnerOnly()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        using HttpClient http = NewHttpClient();
        var client = NewClient(SpoolOptions(tracker), http);
        string segment = Assert.Single(SegmentFiles());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(segment));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, "spool.lock")));
        }

        for (int i = 0; i < 100; i++)
        {
            client.Track("p", new DeliveryEvent(i), When);
        }

        await FlushAsync(client);
        await client.DisposeAsync();
        Assert.Equal(100, tracker.Requests.Count);
        Assert.Empty(SegmentFiles());
    }

    [Fact]
    public async Task TwoClientsCannotShareASpoolDirectory()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        await using var first = new KissmetricsClient(SpoolOptions(tracker));
        var exception = Assert.Throws<KissmetricsConfigurationException>(() => new KissmetricsClient(SpoolOptions(tracker)));
        Assert.Contains("SpoolDirectory", exception.Message, StringComparison.Ordinal);
        Assert.Contains("in use by another Kissmetrics client", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASpoolOverItsSizeCapDropsItsOldestFileAndCountsItsLines()
    {
        Directory.CreateDirectory(_directory);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        int index = 0;
        var expected = new List<int>();
        for (int file = 1; file <= 3; file++)
        {
            var text = new StringBuilder();
            while (text.Length < 30 * 1024)
            {
                text.Append(Line(now, Request(index)));
                if (file > 1)
                {
                    expected.Add(index);
                }

                index++;
            }

            File.WriteAllText(Path.Combine(_directory, $"requests-{file:D12}.kmspool"), text.ToString());
        }

        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = SpoolOptions(tracker);
        options.SpoolMaxBytes = 64 * 1024;
        await using var client = NewClient(options, http);
        await FlushAsync(client);

        Assert.Equal(expected, tracker.Requests.Select(IndexOf).Order());
        Assert.Equal(index - expected.Count, client.Statistics.SpoolEvicted);
        Assert.Equal(expected.Count, client.Statistics.SpoolReplayed);
    }

    [Fact]
    public void SpoolLinesRoundTripAndRejectAlterations()
    {
        string request = Request(42);
        SpoolFormat format = Format();
        string line = Line(format, When, request).TrimEnd('\n');
        Assert.True(format.TryParse(Encoding.ASCII.GetBytes(line), out long accepted, out ReadOnlySpan<byte> parsed));
        Assert.Equal(When.ToUnixTimeMilliseconds(), accepted);
        Assert.Equal(request, Encoding.ASCII.GetString(parsed));

        for (int i = 0; i < line.Length; i++)
        {
            byte[] altered = Encoding.ASCII.GetBytes(line);
            altered[i] ^= 0x04;
            Assert.False(format.TryParse(altered, out _, out _), $"a flipped bit at {i} was not noticed");
        }
    }
}
