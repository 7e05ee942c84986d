using System;
using System.Buffers;
using Kissmetrics.Typed.Serialization;
using Xunit;

namespace Kissmetrics.Typed.Tests.Serialization;

/// <summary>
/// The writer's value methods allocate nothing: after a warm-up (JIT, static state, the buffer's capacity), thousands of
/// calls into a reused <see cref="ArrayBufferWriter{T}"/> leave <see cref="GC.GetAllocatedBytesForCurrentThread"/> unchanged.
/// </summary>
public sealed class ZeroAllocationTests
{
    private const int Iterations = 10_000;

    private static readonly string s_ascii = "Pro plan & friends = 100% #1 + more ~-._";
    private static readonly string s_nonAscii = "Café 日本 😀 \uD83D lone, " + new string('é', 180) + "😀";
    private static readonly Guid s_guid = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static readonly DateTime s_utc = new(2014, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime s_unspecified = new(1969, 12, 31, 23, 59, 59, 500, DateTimeKind.Unspecified);
    private static readonly DateTimeOffset s_offset = new(2014, 1, 1, 2, 0, 0, TimeSpan.FromHours(2));
    private static readonly DateOnly s_date = new(2014, 1, 1);

    private delegate void WriteAction(ref KissmetricsWriter writer);

    private static long MeasureAllocations(ArrayBufferWriter<byte> buffer, WriteAction action)
    {
        // Warm up: JIT tiers, static initialisers, and the buffer's capacity for the largest call.
        for (int i = 0; i < 1_000; i++)
        {
            Run(buffer, action);
        }

        Assert.True(buffer.WrittenCount > 0, "the action wrote nothing: the measurement would prove nothing");
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Iterations; i++)
        {
            Run(buffer, action);
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static void Run(ArrayBufferWriter<byte> buffer, WriteAction action)
    {
        buffer.ResetWrittenCount();
        var writer = new KissmetricsWriter(buffer);
        action(ref writer);
        writer.Flush();
    }

    private static void AssertNoAllocation(WriteAction action)
    {
        var buffer = new ArrayBufferWriter<byte>(8192);
        Assert.Equal(0L, MeasureAllocations(buffer, action));
    }

    [Fact]
    public void AsciiStrings() => AssertNoAllocation(static (ref KissmetricsWriter w) =>
    {
        w.WriteString("Signed%20Up%20-%20Plan"u8, s_ascii);
        w.WriteString("Empty"u8, string.Empty);
        w.WriteString("Null"u8, null);
    });

    [Fact]
    public void NonAsciiStringsAndLoneSurrogates() => AssertNoAllocation(static (ref KissmetricsWriter w) => w.WriteString("Name"u8, s_nonAscii));

    [Fact]
    public void Doubles() => AssertNoAllocation(static (ref KissmetricsWriter w) =>
    {
        w.WriteDouble("a"u8, 0.1 + 0.2);
        w.WriteDouble("b"u8, 1e21);
        w.WriteDouble("c"u8, -1.5e-10);
        w.WriteDouble("d"u8, 450);
        w.WriteDouble("e"u8, double.NaN);
        w.WriteSingle("f"u8, 0.1f);
        w.WriteSingle("g"u8, 3.4028235e38f);
    });

    [Fact]
    public void Decimals() => AssertNoAllocation(static (ref KissmetricsWriter w) =>
    {
        w.WriteDecimal("a"u8, 450.00m);
        w.WriteDecimal("b"u8, -0.50m);
        w.WriteDecimal("c"u8, decimal.MaxValue);
        w.WriteDecimal("d"u8, 0.0000000000000000000000000001m);
    });

    [Fact]
    public void RevenueUnderTwoNames() => AssertNoAllocation(static (ref KissmetricsWriter w) =>
    {
        w.WriteDecimal("a"u8, "Billing%20Amount"u8, 127.45m);
        w.WriteDecimal("b"u8, "Billing%20Amount"u8, 0m);
        w.WriteDouble("c"u8, "Billing%20Amount"u8, 4.99);
        w.WriteSingle("d"u8, "Billing%20Amount"u8, 4.99f);
        w.WriteInt64("e"u8, "Billing%20Amount"u8, 450);
        w.WriteUInt64("f"u8, "Billing%20Amount"u8, 450);
    });

    [Fact]
    public void IntegersAndBooleans() => AssertNoAllocation(static (ref KissmetricsWriter w) =>
    {
        w.WriteInt64("a"u8, long.MinValue);
        w.WriteUInt64("b"u8, ulong.MaxValue);
        w.WriteBoolean("c"u8, true);
    });

    [Fact]
    public void Dates() => AssertNoAllocation(static (ref KissmetricsWriter w) =>
    {
        w.WriteDateTime("a"u8, s_utc);
        w.WriteDateTime("b"u8, s_unspecified);
        w.WriteDateTimeOffset("c"u8, s_offset);
        w.WriteDateOnly("d"u8, s_date);
    });

    [Fact]
    public void LocalDateTime()
    {
        DateTime local = s_utc.ToLocalTime();
        var buffer = new ArrayBufferWriter<byte>(8192);
        for (int i = 0; i < 1_000; i++)
        {
            Write(buffer, local);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Iterations; i++)
        {
            Write(buffer, local);
        }

        Assert.Equal(0L, GC.GetAllocatedBytesForCurrentThread() - before);

        static void Write(ArrayBufferWriter<byte> buffer, DateTime value)
        {
            buffer.ResetWrittenCount();
            var writer = new KissmetricsWriter(buffer);
            writer.WriteDateTime("t"u8, value);
            writer.Flush();
        }
    }

    [Fact]
    public void GuidAndJoinedList() => AssertNoAllocation(static (ref KissmetricsWriter w) =>
    {
        w.WriteGuid("id"u8, s_guid);
        w.WriteName("Tags"u8);
        w.WriteStringValue("a");
        w.WriteListSeparator();
        w.WriteStringValue(null);
        w.WriteListSeparator();
        w.WriteInt64Value(3);
        w.WriteListSeparator();
        w.WriteDoubleValue(1e-7);
        w.WriteEncoded("Tier"u8, "Gold%20Plus"u8);
    });

    [Fact]
    public void ManyWritesThroughASmallBufferGrowOnlyDuringWarmUp()
    {
        // 200 properties per run: the writer asks the buffer for more space many times per run.
        AssertNoAllocation(static (ref KissmetricsWriter w) =>
        {
            for (int i = 0; i < 200; i++)
            {
                w.WriteInt64("n"u8, i);
            }
        });
    }
}
