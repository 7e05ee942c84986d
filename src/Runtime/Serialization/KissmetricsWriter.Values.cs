using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using Kissmetrics.Typed.Compatibility;
using Kissmetrics.Typed.Internal;

namespace Kissmetrics.Typed.Serialization;

// The public building blocks of joined collections: a name, then values and separators.
public ref partial struct KissmetricsWriter
{
    // ---- building blocks for joined collections ---------------------------------------------------------

    /// <summary>Writes <c>&amp;name=</c>; the value follows with the <c>Write...Value</c> methods.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteName(scoped ReadOnlySpan<byte> encodedName) => WriteNameReserving(encodedName, 0);

    /// <summary>Writes the <c>,</c> between joined collection elements (percent-encoded).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteListSeparator() => WriteAscii("%2C"u8);

    /// <summary>Writes a string value, percent-encoded; <see langword="null"/> writes nothing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteStringValue(string? value)
    {
        if (value is not null)
        {
            WriteEncodedText(value);
        }
    }

    /// <summary>Writes a value that was percent-encoded at compile time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteEncodedValue(scoped ReadOnlySpan<byte> encodedValue) => WriteAscii(encodedValue);

    /// <summary>Writes <c>true</c> or <c>false</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteBooleanValue(bool value) => WriteAscii(value ? "true"u8 : "false"u8);

    /// <summary>Writes a signed integer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteInt64Value(long value)
    {
        ref byte destination = ref Reserve(MaxIntegerLength);
        _buffered += PutInt64(ref destination, value);
    }

    /// <summary>Writes an unsigned integer.</summary>
    public void WriteUInt64Value(ulong value)
    {
        ref byte destination = ref Reserve(MaxIntegerLength);
        _buffered += PutUInt64(ref destination, value);
    }

    /// <summary>Writes a double in JavaScript's form; NaN and infinities write nothing.</summary>
    public void WriteDoubleValue(double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        ref byte destination = ref Reserve(MaxNumberLength);
        _buffered += PutDouble(ref destination, value);
    }

    /// <summary>Writes a float in JavaScript's form; NaN and infinities write nothing.</summary>
    public void WriteSingleValue(float value)
    {
        if (!float.IsFinite(value))
        {
            return;
        }

        ref byte destination = ref Reserve(MaxNumberLength);
        _buffered += PutSingle(ref destination, value);
    }

    /// <summary>Writes a decimal without trailing zeros.</summary>
    public void WriteDecimalValue(decimal value)
    {
        ref byte destination = ref Reserve(MaxDecimalLength);
        _buffered += PutDecimal(ref destination, value);
    }

    /// <summary>Writes Unix seconds (floor).</summary>
    public void WriteDateTimeValue(DateTime value) => WriteInt64Value(UnixSeconds(value));

    /// <summary>Writes Unix seconds (floor).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteDateTimeOffsetValue(DateTimeOffset value) => WriteInt64Value(UnixTime.SecondsFromTicks(value.UtcTicks));

#if NET
    /// <summary>Writes the Unix seconds of the date's midnight, UTC.</summary>
    public void WriteDateOnlyValue(DateOnly value) => WriteInt64Value(UnixSeconds(value));
#endif

    /// <summary>Writes a GUID in <c>D</c> format.</summary>
    public void WriteGuidValue(Guid value)
    {
        ref byte destination = ref Reserve(GuidLength);
        _buffered += PutGuid(ref destination, value);
    }

    /// <summary>
    /// <paramref name="items"/> as a list when it is one (arrays and <see cref="System.Collections.Generic.List{T}"/> are), so a
    /// generated serializer can walk a property declared as <see cref="System.Collections.Generic.IEnumerable{T}"/> by index
    /// instead of allocating an enumerator; <see langword="null"/> otherwise.
    /// </summary>
    /// <param name="items">The collection a property holds.</param>
    public static System.Collections.Generic.IReadOnlyList<T>? AsReadOnlyList<T>(System.Collections.Generic.IEnumerable<T> items) =>
        items as System.Collections.Generic.IReadOnlyList<T>;
}
