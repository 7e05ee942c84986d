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
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static Kissmetrics.Typed.Tests.Infrastructure.DeliveryTestKit;

namespace Kissmetrics.Typed.Tests.Delivery;

/// <summary>
/// The spool under the faults of issue 15: a crash after deliveries, a full disk, a read-only or impossible location, a
/// directory open to other users, lines planted without the spool's key. Real files, real tmpfs mounts, a real child
/// process killed with SIGKILL, loopback trackers.
/// </summary>
[Collection(SpoolFaultTests.Collection)]
public sealed class SpoolFaultTests : IDisposable
{
    /// <summary>Tests that mount filesystems or measure a disk run one at a time.</summary>
    public const string Collection = "Spool faults";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "kissmetrics-spool-faults", Guid.NewGuid().ToString("N"));

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

    private static int IndexOf(RecordedRequest request) => int.Parse(request["Delivery Test - Index"], CultureInfo.InvariantCulture);

    private static KissmetricsOptions SpoolOptions(LoopbackTracker tracker, string directory)
    {
        KissmetricsOptions options = Options(tracker);
        options.SpoolDirectory = directory;
        return options;
    }

    private static string Request(int index) =>
        KissmetricsFormatter.FormatTrack(new KissmetricsOptions { ApiKey = ApiKey }, "p", new DeliveryEvent(index), When).Single();

    private static string Line(SpoolFormat format, string request)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(request);
        byte[] line = new byte[bytes.Length + SpoolFormat.Overhead];
        int length = format.Write(line, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), bytes);
        return Encoding.ASCII.GetString(line, 0, length);
    }

    [Fact]
    public async Task AChildKilledAfterDeliveriesSendsAgainOnlyWhatWasInFlight()
    {
        const int Count = 400, Answered = 150;
        await using LoopbackTracker first = await LoopbackTracker.StartAsync();
        first.Enqueue(Enumerable.Repeat(TrackerResponse.Status(200), Answered).ToArray());
        first.DefaultResponse = TrackerResponse.Hang; // the rest stay in flight until the kill

        string child = typeof(SpoolFaultTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SpoolChildPath").Value!;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { child, _directory, first.BaseAddress.ToString(), Count.ToString(CultureInfo.InvariantCulture), Answered.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using (Process process = Process.Start(start)!)
        {
            try
            {
                Assert.Equal("SPOOLED " + Count, await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)));
                Assert.Equal("DELIVERED " + Answered, await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)));
            }
            finally
            {
                process.Kill(); // SIGKILL: no flush, no dispose, the answered requests' acknowledgements are all there is
                await process.WaitForExitAsync().WaitAsync(TestTimeout);
            }
        }

        static int ChildIndex(RecordedRequest r) => int.Parse(r["Spooled - Index"], CultureInfo.InvariantCulture);
        int[] delivered = first.Requests.Take(Answered).Select(ChildIndex).ToArray();
        int inFlight = first.Requests.Count - Answered;
        Assert.InRange(inFlight, 0, 4); // 4 in flight at most in the child

        await using LoopbackTracker second = await LoopbackTracker.StartAsync();
        using HttpClient http = NewHttpClient();
        var client = NewClient(SpoolOptions(second, _directory), http);
        await FlushAsync(client);
        await client.DisposeAsync();

        int[] resent = second.Requests.Select(ChildIndex).ToArray();
        Assert.Empty(resent.Intersect(delivered)); // nothing delivered before the crash is sent again (before: all 150 were)
        Assert.Equal(Enumerable.Range(0, Count), resent.Concat(delivered).Order());
        Assert.Equal(Count - Answered, client.Statistics.SpoolReplayed);
        Assert.Empty(Directory.GetFiles(_directory, "*.km*"));
    }

    [Fact]
    public async Task AcknowledgedLinesAreSkippedAndATornAcknowledgementResendsItsLine()
    {
        Directory.CreateDirectory(_directory);
        var format = new SpoolFormat(SpoolDirectory.LoadOrCreateKey(_directory));
        var text = new StringBuilder();
        var offsets = new List<int>();
        for (int i = 0; i < 6; i++)
        {
            offsets.Add(text.Length);
            text.Append(Line(format, Request(i)));
        }

        File.WriteAllText(Path.Combine(_directory, "requests-000000000003.kmspool"), text.ToString());
        byte[] acknowledgements = new byte[(4 * SpoolFormat.AcknowledgementSize) + 5];
        format.WriteAcknowledgement(acknowledgements, 3, offsets[0]);
        format.WriteAcknowledgement(acknowledgements.AsSpan(8), 3, offsets[2]);
        format.WriteAcknowledgement(acknowledgements.AsSpan(16), 4, offsets[3]); // another segment's record: not this one's
        format.WriteAcknowledgement(acknowledgements.AsSpan(24), 3, offsets[4]);
        acknowledgements[27] ^= 0x10; // torn: its line is sent again (the safe direction)
        File.WriteAllBytes(Path.Combine(_directory, "requests-000000000003.kmack"), acknowledgements); // and 5 bytes of a torn last record

        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        using HttpClient http = NewHttpClient();
        var client = NewClient(SpoolOptions(tracker, _directory), http, loggerFactory: loggerFactory);
        await FlushAsync(client);
        await client.DisposeAsync();

        Assert.Equal(new[] { 1, 3, 4, 5 }, tracker.Requests.Select(IndexOf).Order());
        Assert.Equal(4, client.Statistics.SpoolReplayed);
        Assert.Contains(logs.Logs, l => l.EventId.Name == "SpoolReplayed" && l.Message.Contains("2 already accounted for", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(_directory, "*.km*"));
    }

    [Fact]
    public async Task ASpoolThatFilledItsDiskIsDurableAgainAfterAFlush()
    {
        using TmpfsMount disk = TmpfsMount.Create(kilobytes: 64);
        string directory = Path.Combine(disk.Path, "spool");
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        var outage = new TaskCompletionSource();
        tracker.DefaultResponse = TrackerResponse.WaitFor(outage.Task); // nothing is answered while the disk fills
        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = SpoolOptions(tracker, directory);
        options.MaxQueueLength = 10_000;
        var client = NewClient(options, http, loggerFactory: loggerFactory);
        for (int i = 0; i < 3_000; i++)
        {
            client.Track("p", new DeliveryEvent(i), When);
        }

        tracker.DefaultResponse = null;
        outage.SetResult();
        await FlushAsync(client);
        long failedWhileFull = client.Statistics.SpoolWriteFailures;
        Assert.True(failedWhileFull > 0, "3,000 requests of ~300 bytes do not fit in 64 KiB: some writes must have failed");
        CapturedLog warning = logs.Logs.First(l => l.EventId.Name == "SpoolWriteFailed");
        Assert.Equal(LogLevel.Error, warning.Level);
        Assert.Contains(" since the last report", warning.Message, StringComparison.Ordinal);

        for (int i = 3_000; i < 3_200; i++)
        {
            client.Track("p", new DeliveryEvent(i), When);
        }

        Assert.Equal(failedWhileFull, client.Statistics.SpoolWriteFailures); // before the fix: 200 more failures
        Assert.Contains(logs.Logs, l => l.EventId.Name == "SpoolWritable");
        await FlushAsync(client);
        await client.DisposeAsync();
        Assert.Equal(3_200, tracker.Requests.Count);
        Assert.Empty(Directory.GetFiles(directory, "*.km*"));
    }

    [Fact]
    public async Task TheSpoolNeverTakesMoreOfTheDiskThanSpoolMaxBytes()
    {
        using TmpfsMount disk = TmpfsMount.Create(kilobytes: 1024);
        long usedBefore = disk.UsedBytes;
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.DefaultResponse = TrackerResponse.Hang; // nothing is ever acknowledged: the spool only grows
        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = SpoolOptions(tracker, Path.Combine(disk.Path, "spool"));
        options.SpoolMaxBytes = 128 * 1024;
        options.MaxQueueLength = 5_000;
        options.ShutdownTimeout = TimeSpan.FromMilliseconds(100);
        var client = NewClient(options, http);
        for (int i = 0; i < 3_000; i++)
        {
            client.Track("p", new DeliveryEvent(i), When);
        }

        long used = disk.UsedBytes - usedBefore;
        await client.DisposeAsync().AsTask().WaitAsync(TestTimeout);
        Assert.InRange(used, 1, options.SpoolMaxBytes + (64 * 1024)); // the cap, plus the key and each file's last, partly used page
        Assert.Equal(0, client.Statistics.SpoolWriteFailures); // the cap evicts before the disk fills
    }

    [Fact]
    public async Task AReadOnlySpoolLocationLeavesTheClientSendingAndIsOpenedOnceWritable()
    {
        using TmpfsMount disk = TmpfsMount.Create(kilobytes: 512);
        disk.Remount(readOnly: true);
        string directory = Path.Combine(disk.Path, "spool");
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        using HttpClient http = NewHttpClient();
        KissmetricsOptions options = SpoolOptions(tracker, directory);
        options.SendDelay = TimeSpan.Zero; // no timer to advance
        var client = NewClient(options, http, time, loggerFactory); // before the fix: KissmetricsConfigurationException

        CapturedLog unavailable = Assert.Single(logs.Logs, l => l.EventId.Name == "SpoolUnavailable");
        Assert.Equal(LogLevel.Error, unavailable.Level);
        Assert.Contains("Read-only file system", unavailable.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("another Kissmetrics client", unavailable.Message, StringComparison.Ordinal);

        client.Track("p", new DeliveryEvent(1), When);
        await FlushAsync(client);
        Assert.Single(tracker.Requests); // sent from memory
        Assert.Equal(1, client.Statistics.SpoolWriteFailures);

        disk.Remount(readOnly: false);
        client.Track("p", new DeliveryEvent(2), When); // within the retry interval: still memory only
        Assert.False(Directory.Exists(directory));
        await FlushAsync(client); // before the clock moves: an attempt in flight then would time out on it
        time.Advance(Spool.ReopenInterval);
        client.Track("p", new DeliveryEvent(3), When); // opens the spool, and is durable
        Assert.True(Directory.Exists(directory));
        Assert.Single(Directory.GetFiles(directory, "*.kmspool"));
        Assert.Contains(logs.Logs, l => l.EventId.Name == "SpoolAvailable");
        await FlushAsync(client);
        await client.DisposeAsync();

        Assert.Equal(new[] { 1, 2, 3 }, tracker.Requests.Select(IndexOf).Order());
        Assert.Equal(2, client.Statistics.SpoolWriteFailures);
        Assert.Single(logs.Logs, l => l.EventId.Name == "SpoolUnavailable"); // once per cause, not per request
    }

    [Fact]
    public async Task AHostWhoseSpoolPathCannotBeCreatedStartsAndSends()
    {
        Directory.CreateDirectory(_directory);
        string file = Path.Combine(_directory, "a-file");
        File.WriteAllText(file, "not a directory");
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        var logs = new CapturingLoggerProvider();
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddProvider(logs);
        builder.Services.AddKissmetrics(o =>
        {
            o.ApiKey = ApiKey;
            o.Endpoint = tracker.BaseAddress;
            o.SpoolDirectory = Path.Combine(file, "spool");
        });
        using IHost host = builder.Build();
        await host.StartAsync().WaitAsync(TestTimeout); // before the fix: KissmetricsConfigurationException

        host.Services.GetRequiredService<IKissmetricsClient>().Track("p", new DeliveryEvent(7), When);
        await host.StopAsync().WaitAsync(TestTimeout);

        Assert.Equal(7, IndexOf(Assert.Single(tracker.Requests)));
        CapturedLog unavailable = Assert.Single(logs.Logs, l => l.EventId.Name == "SpoolUnavailable");
        Assert.Contains("cannot be created", unavailable.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(file, "spool"), unavailable.Message, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ADirectoryOpenToOtherUsersIsMadePrivateAndItsKeyIsOwnerOnly()
    {
        Directory.CreateDirectory(_directory);
        File.SetUnixFileMode(_directory, (UnixFileMode)0b111_111_111); // 0777, as a shared folder would be
        string planted = Path.Combine(_directory, "requests-000000000001.kmspool");
        var format = new SpoolFormat(SpoolDirectory.LoadOrCreateKey(_directory));
        File.WriteAllText(planted, Line(format, Request(1)));
        File.SetUnixFileMode(planted, (UnixFileMode)0b110_110_110);
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        using HttpClient http = NewHttpClient();
        var client = NewClient(SpoolOptions(tracker, _directory), http, loggerFactory: loggerFactory);

        Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(_directory)); // before the fix: 0777 stayed
        Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(Path.Combine(_directory, "spool.key")));
        Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(planted)); // before the fix: 0666 stayed
        CapturedLog warning = Assert.Single(logs.Logs, l => l.EventId.Name == "SpoolDirectoryMadePrivate");
        Assert.Contains("0777", warning.Message, StringComparison.Ordinal);
        await FlushAsync(client);
        await client.DisposeAsync();
        Assert.Equal(1, IndexOf(Assert.Single(tracker.Requests)));
    }

    [Fact]
    public async Task LinesPlantedWithoutTheSpoolsKeyAreNeverSentAndAreCounted()
    {
        Directory.CreateDirectory(_directory);
        var genuine = new SpoolFormat(SpoolDirectory.LoadOrCreateKey(_directory));
        var forger = new SpoolFormat(new byte[SpoolFormat.KeySize]); // a well-formed line under another key
        string request = Request(2);
        File.WriteAllText(
            Path.Combine(_directory, "requests-000000000001.kmspool"),
            Line(genuine, Request(1)) + Line(forger, request) + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + " " + request + " 0123abcd\n");

        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        using HttpClient http = NewHttpClient();
        var client = NewClient(SpoolOptions(tracker, _directory), http);
        await FlushAsync(client);
        await client.DisposeAsync();

        Assert.Equal(1, IndexOf(Assert.Single(tracker.Requests))); // before the fix the unkeyed checksum let the forged line through
        Assert.Equal(2, client.Statistics.SpoolCorrupted);
    }

    [Fact]
    public async Task ASecondClientOnTheSameDirectoryIsToldItIsInUse()
    {
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        await using var first = new KissmetricsClient(SpoolOptions(tracker, _directory));
        var exception = Assert.Throws<KissmetricsConfigurationException>(() => new KissmetricsClient(SpoolOptions(tracker, _directory)));
        Assert.Contains("KissmetricsOptions.SpoolDirectory", exception.Message, StringComparison.Ordinal);
        Assert.Contains("in use by another Kissmetrics client", exception.Message, StringComparison.Ordinal);
    }
}

/// <summary>Runs the spool fault tests one at a time (they mount filesystems and measure disks).</summary>
[CollectionDefinition(SpoolFaultTests.Collection, DisableParallelization = true)]
public sealed class SpoolFaultCollection
{
}
