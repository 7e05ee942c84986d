using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using Kissmetrics.Typed.Compatibility;
using Kissmetrics.Typed.Internal;

namespace Kissmetrics.Typed.Serialization;

// The public writes of named properties: one name, one value (and revenue's copy as Billing Amount).
public ref partial struct KissmetricsWriter
{
    // ---- named properties -------------------------------------------------------------------------------

    /// <summary>Writes <c>&amp;name=value</c>; a <see langword="null"/> value omits the property.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteString(scoped ReadOnlySpan<byte> encodedName, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > PercentEncoder.ShortText)
        {
            WriteName(encodedName);
            WriteEncodedLongText(value);
            return;
        }

        // Name and value in one reservation.
        ref byte text = ref WriteNameReserving(encodedName, PercentEncoder.MaxShortTextLength(value.Length));
        int encoded = PercentEncoder.PutShortText(ref text, value);
        if (encoded >= 0)
        {
            _buffered += encoded;
            return;
        }

        WriteEncodedLongText(value);
    }

    /// <summary>Writes a property whose value was percent-encoded at compile time (enum members, page names).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteEncoded(scoped ReadOnlySpan<byte> encodedName, scoped ReadOnlySpan<byte> encodedValue)
    {
        ref byte valueStart = ref WriteNameReserving(encodedName, encodedValue.Length);
        _buffered += PutBytes(ref valueStart, encodedValue);
    }

    /// <summary>Writes <c>true</c> or <c>false</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteBoolean(scoped ReadOnlySpan<byte> encodedName, bool value) => WriteEncoded(encodedName, value ? "true"u8 : "false"u8);

    /// <summary>Writes a signed integer in invariant decimal digits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteInt64(scoped ReadOnlySpan<byte> encodedName, long value)
    {
        ref byte valueStart = ref WriteNameReserving(encodedName, MaxIntegerLength);
        _buffered += PutInt64(ref valueStart, value);
    }

    /// <summary>Writes an unsigned integer in invariant decimal digits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUInt64(scoped ReadOnlySpan<byte> encodedName, ulong value)
    {
        ref byte valueStart = ref WriteNameReserving(encodedName, MaxIntegerLength);
        _buffered += PutUInt64(ref valueStart, value);
    }

    /// <summary>Writes a double in JavaScript's <c>Number#toString</c> form; NaN and infinities omit the property.</summary>
    public void WriteDouble(scoped ReadOnlySpan<byte> encodedName, double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        ref byte valueStart = ref WriteNameReserving(encodedName, MaxNumberLength);
        _buffered += PutDouble(ref valueStart, value);
    }

    /// <summary>Writes a float in JavaScript's <c>Number#toString</c> form (shortest float digits); NaN and infinities omit the property.</summary>
    public void WriteSingle(scoped ReadOnlySpan<byte> encodedName, float value)
    {
        if (!float.IsFinite(value))
        {
            return;
        }

        ref byte valueStart = ref WriteNameReserving(encodedName, MaxNumberLength);
        _buffered += PutSingle(ref valueStart, value);
    }

    /// <summary>Writes a decimal, invariant, without trailing zeros or exponent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteDecimal(scoped ReadOnlySpan<byte> encodedName, decimal value)
    {
        ref byte valueStart = ref WriteNameReserving(encodedName, MaxDecimalLength);
        _buffered += PutDecimal(ref valueStart, value);
    }

    // ---- revenue: a value sent under its own name and again as Billing Amount unless it is zero ------------

    /// <summary>
    /// Writes <c>&amp;name=value</c>, and when the value is not zero <c>&amp;copyName=value</c> as well, formatted once
    /// (a revenue and Kissmetrics' <c>Billing Amount</c>).
    /// </summary>
    /// <param name="encodedName">The property's name.</param>
    /// <param name="encodedCopyName">The name the value is repeated under unless it is zero.</param>
    /// <param name="value">The value.</param>
    public void WriteDecimal(scoped ReadOnlySpan<byte> encodedName, scoped ReadOnlySpan<byte> encodedCopyName, decimal value)
    {
        ref byte number = ref WriteRevenueNameReserving(encodedName, encodedCopyName, MaxDecimalLength);
        int length = PutDecimal(ref number, value);
        _buffered += length + PutCopyUnlessZero(ref number, length, encodedCopyName);
    }

    /// <inheritdoc cref="WriteDecimal(ReadOnlySpan{byte}, ReadOnlySpan{byte}, decimal)"/>
    public void WriteDouble(scoped ReadOnlySpan<byte> encodedName, scoped ReadOnlySpan<byte> encodedCopyName, double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        ref byte number = ref WriteRevenueNameReserving(encodedName, encodedCopyName, MaxNumberLength);
        int length = PutDouble(ref number, value);
        _buffered += length + PutCopyUnlessZero(ref number, length, encodedCopyName);
    }

    /// <inheritdoc cref="WriteDecimal(ReadOnlySpan{byte}, ReadOnlySpan{byte}, decimal)"/>
    public void WriteSingle(scoped ReadOnlySpan<byte> encodedName, scoped ReadOnlySpan<byte> encodedCopyName, float value)
    {
        if (!float.IsFinite(value))
        {
            return;
        }

        ref byte number = ref WriteRevenueNameReserving(encodedName, encodedCopyName, MaxNumberLength);
        int length = PutSingle(ref number, value);
        _buffered += length + PutCopyUnlessZero(ref number, length, encodedCopyName);
    }

    /// <inheritdoc cref="WriteDecimal(ReadOnlySpan{byte}, ReadOnlySpan{byte}, decimal)"/>
    public void WriteInt64(scoped ReadOnlySpan<byte> encodedName, scoped ReadOnlySpan<byte> encodedCopyName, long value)
    {
        ref byte number = ref WriteRevenueNameReserving(encodedName, encodedCopyName, MaxIntegerLength);
        int length = PutInt64(ref number, value);
        _buffered += length + PutCopyUnlessZero(ref number, length, encodedCopyName);
    }

    /// <inheritdoc cref="WriteDecimal(ReadOnlySpan{byte}, ReadOnlySpan{byte}, decimal)"/>
    public void WriteUInt64(scoped ReadOnlySpan<byte> encodedName, scoped ReadOnlySpan<byte> encodedCopyName, ulong value)
    {
        ref byte number = ref WriteRevenueNameReserving(encodedName, encodedCopyName, MaxIntegerLength);
        int length = PutUInt64(ref number, value);
        _buffered += length + PutCopyUnlessZero(ref number, length, encodedCopyName);
    }

    /// <summary>Writes Unix seconds (floor); a <see cref="DateTimeKind.Unspecified"/> value is taken as UTC.</summary>
    public void WriteDateTime(scoped ReadOnlySpan<byte> encodedName, DateTime value) => WriteInt64(encodedName, UnixSeconds(value));

    /// <summary>Writes Unix seconds (floor).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteDateTimeOffset(scoped ReadOnlySpan<byte> encodedName, DateTimeOffset value) =>
        WriteInt64(encodedName, UnixTime.SecondsFromTicks(value.UtcTicks));

#if NET
    // DateOnly is .NET 6+: on netstandard2.0 there is no such property type to write.

    /// <summary>Writes the Unix seconds of the date's midnight, UTC.</summary>
    public void WriteDateOnly(scoped ReadOnlySpan<byte> encodedName, DateOnly value) => WriteInt64(encodedName, UnixSeconds(value));
#endif

    /// <summary>Writes a GUID in <c>D</c> format.</summary>
    public void WriteGuid(scoped ReadOnlySpan<byte> encodedName, Guid value)
    {
        ref byte valueStart = ref WriteNameReserving(encodedName, GuidLength);
        _buffered += PutGuid(ref valueStart, value);
    }
}
