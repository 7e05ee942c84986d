using System;
using System.Buffers;
using System.Linq;
using System.Reflection;
using Kissmetrics.Typed.Serialization;
using Xunit;

namespace Kissmetrics.Typed.Tests.Performance;

/// <summary>
/// The <c>Write...Value</c> methods generated code calls inside joined collections, each asserted to allocate 0 bytes
/// directly (Serialization/ZeroAllocationTests covers the named ones, Mapping/GeneratedZeroAllocationTests the
/// formatter's), and a guard that every public <c>Write...</c> method of the writer and the formatter is covered by one
/// of those files: a new method without a zero-allocation assertion fails here.
/// </summary>
public sealed class ValueWriterZeroAllocationTests
{
    private const int Iterations = 10_000;

    private static readonly Guid s_guid = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static readonly DateTime s_utc = new(2014, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DateTimeOffset s_offset = new(2014, 1, 1, 2, 0, 0, TimeSpan.FromHours(2));

    // Where each public Write... method has its 0-byte assertion (docs/benchmarks.md lists the same).
    private static readonly string[] s_coveredWriterMethods =
    [
        // Serialization/ZeroAllocationTests
        "WriteString", "WriteEncoded", "WriteBoolean", "WriteInt64", "WriteUInt64", "WriteDouble", "WriteSingle", "WriteDecimal",
        "WriteDateTime", "WriteDateTimeOffset", "WriteDateOnly", "WriteGuid", "WriteName", "WriteListSeparator", "WriteStringValue",
        "WriteInt64Value", "WriteDoubleValue",

        // this file
        "WriteEncodedValue", "WriteBooleanValue", "WriteUInt64Value", "WriteSingleValue", "WriteDecimalValue", "WriteDateTimeValue",
        "WriteDateTimeOffsetValue", "WriteDateOnlyValue", "WriteGuidValue",
    ];

    // Mapping/GeneratedZeroAllocationTests, through generated serializers.
    private static readonly string[] s_coveredFormatterMethods =
        ["WriteTrack", "WriteIdentify", "WriteGroup", "WritePage", "WriteScreen", "WriteAlias"];

    private delegate void WriteAction(ref KissmetricsWriter writer);

    [Fact]
    public void EveryValueMethodAllocatesNothing()
    {
        var buffer = new ArrayBufferWriter<byte>(8192);
        WriteAction action = static (ref KissmetricsWriter w) =>
        {
            w.WriteName("List"u8);
            w.WriteEncodedValue("Gold%20Plus"u8);
            w.WriteListSeparator();
            w.WriteBooleanValue(true);
            w.WriteListSeparator();
            w.WriteUInt64Value(ulong.MaxValue);
            w.WriteListSeparator();
            w.WriteSingleValue(0.1f);
            w.WriteListSeparator();
            w.WriteSingleValue(3.4028235e38f);
            w.WriteListSeparator();
            w.WriteDecimalValue(450.00m);
            w.WriteListSeparator();
            w.WriteDecimalValue(decimal.MaxValue);
            w.WriteListSeparator();
            w.WriteDateTimeValue(s_utc);
            w.WriteListSeparator();
            w.WriteDateTimeOffsetValue(s_offset);
            w.WriteListSeparator();
            w.WriteDateOnlyValue(new DateOnly(2014, 1, 1));
            w.WriteListSeparator();
            w.WriteGuidValue(s_guid);
        };

        for (int i = 0; i < 1_000; i++)
        {
            Run(buffer, action);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Iterations; i++)
        {
            Run(buffer, action);
        }

        Assert.Equal(0L, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(buffer.WrittenCount > 100);
    }

    [Fact]
    public void EveryPublicWriteMethodHasAZeroAllocationAssertion()
    {
        string[] writer = PublicWriteMethods(typeof(KissmetricsWriter));
        string[] formatter = PublicWriteMethods(typeof(KissmetricsFormatter));
        Assert.Empty(writer.Except(s_coveredWriterMethods));
        Assert.Empty(formatter.Except(s_coveredFormatterMethods));
#if KISSMETRICS_NETSTANDARD
        // The netstandard2.0 writer has no DateOnly methods (the NetStandard tests' DateOnlyShim stands in for them).
        Assert.Empty(s_coveredWriterMethods.Except(writer).Except(["WriteDateOnly", "WriteDateOnlyValue"]));
#else
        Assert.Empty(s_coveredWriterMethods.Except(writer));
#endif
        Assert.Empty(s_coveredFormatterMethods.Except(formatter));
    }

    private static string[] PublicWriteMethods(Type type) => type
        .GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
        .Select(m => m.Name)
        .Where(name => name.StartsWith("Write", StringComparison.Ordinal))
        .Distinct()
        .OrderBy(name => name, StringComparer.Ordinal)
        .ToArray();

    private static void Run(ArrayBufferWriter<byte> buffer, WriteAction action)
    {
        buffer.ResetWrittenCount();
        var writer = new KissmetricsWriter(buffer);
        action(ref writer);
        writer.Flush();
    }
}
