using System;
using Kissmetrics.Typed.Serialization;

namespace Kissmetrics.Typed.Tests;

/// <summary>
/// DateOnly is .NET 6+, so the netstandard2.0 writer has no <c>WriteDateOnly</c> (no netstandard2.0 consumer can have
/// such a property). The shared test records and goldens have DateOnly properties; so that they compile here unchanged,
/// these stand in, writing what the .NET writer writes (the Unix seconds of the date's UTC midnight) through the
/// netstandard2.0 writer's <see cref="KissmetricsWriter.WriteInt64(ReadOnlySpan{byte}, long)"/>. They test nothing of
/// their own: the .NET build's DateOnly path is tested by Kissmetrics.Typed.Tests.
/// </summary>
public static class DateOnlyShim
{
    private static readonly int s_epochDay = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    public static void WriteDateOnly(this ref KissmetricsWriter writer, scoped ReadOnlySpan<byte> encodedName, DateOnly value) =>
        writer.WriteInt64(encodedName, Seconds(value));

    public static void WriteDateOnlyValue(this ref KissmetricsWriter writer, DateOnly value) => writer.WriteInt64Value(Seconds(value));

    private static long Seconds(DateOnly value) => (value.DayNumber - (long)s_epochDay) * 86_400L;
}
