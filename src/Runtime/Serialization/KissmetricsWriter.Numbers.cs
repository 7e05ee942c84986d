using System;
using System.Buffers;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
#if !NET
using System.Buffers.Text;
#endif
using Kissmetrics.Typed.Compatibility;
using Kissmetrics.Typed.Internal;

namespace Kissmetrics.Typed.Serialization;

// Numbers, dates and GUIDs formatted into reserved bytes: each Put method writes at most what its caller reserved.
public ref partial struct KissmetricsWriter
{
    /// <summary>Replaces the <c>+</c> of a number's exponent (<c>1e+21</c>) by <c>%2B</c>; returns the new length.</summary>
    private static int EncodeExponentSign(Span<byte> number, int length)
    {
        int plus = number.Slice(0, length).IndexOf((byte)'+');
        if (plus < 0)
        {
            return length;
        }

        number.Slice(plus + 1, length - plus - 1).CopyTo(number.Slice(plus + 3));
        number[plus] = (byte)'%';
        number[plus + 1] = (byte)'2';
        number[plus + 2] = (byte)'B';
        return length + 2;
    }


    /// <summary>
    /// Formats a decimal whose mantissa fits 64 bits (all but the huge ones) without <c>decimal.TryFormat</c>:
    /// the mantissa's digits with the point put back, trailing zeros dropped.
    /// </summary>
    private static bool TryFormatDecimal(decimal value, Span<byte> destination, out int written)
    {
        // A fixed-size local rather than stackalloc: no stack probe or cookie, and the method stays eligible for tiering.
#if NET
        DecimalBits bits = default;
        decimal.GetBits(value, bits);
        int low = bits[0], middle = bits[1], high = bits[2], flags = bits[3];
#else
        DecimalParts.Read(value, out int low, out int middle, out int high, out int flags);
#endif
        if (high != 0)
        {
            written = 0;
            return false;
        }

        ulong mantissa = ((ulong)(uint)middle << 32) | (uint)low;
        int scale = (flags >> 16) & 0xFF;
        while (scale > 0 && mantissa % 10 == 0)
        {
            mantissa /= 10;
            scale--;
        }

        written = FixedPoint.Format(mantissa, scale, flags < 0 && mantissa != 0, destination);
        return true;
    }

    /// <summary>A decimal whose mantissa needs more than 64 bits, through .NET's formatter, trailing zeros dropped.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int FormatLargeDecimal(decimal value, Span<byte> destination)
    {
#if NET
        value.TryFormat(destination, out int length, default, CultureInfo.InvariantCulture);
#else
        // Utf8Formatter's 'G' is decimal.ToString(InvariantCulture): every digit of the scale, never an exponent.
        Utf8Formatter.TryFormat(value, destination, out int length);
#endif
        if (destination.Slice(0, length).Contains((byte)'.'))
        {
            while (destination[length - 1] == (byte)'0')
            {
                length--;
            }

            if (destination[length - 1] == (byte)'.')
            {
                length--;
            }
        }

        return length;
    }

#if NET
    [InlineArray(4)]
    private struct DecimalBits
    {
        private int _element;
    }
#endif

    /// <summary>
    /// After the <paramref name="length"/> bytes of a number at <paramref name="value"/>: <c>&amp;copyName=</c> and the
    /// same bytes, unless they are <c>0</c>, the only form zero takes (decimals without trailing zeros, -0 as 0): the
    /// copy name's length plus 2 plus <paramref name="length"/> bytes at most.
    /// </summary>
    private static int PutCopyUnlessZero(ref byte value, int length, scoped ReadOnlySpan<byte> encodedCopyName)
    {
        if (length == 1 && value == (byte)'0')
        {
            return 0;
        }

        ref byte destination = ref Unsafe.Add(ref value, length);
        int written = PutName(ref destination, encodedCopyName);
        ref byte copy = ref Unsafe.Add(ref destination, written);
        if (length <= 8)
        {
            // Most amounts: one word (a number is at least one byte, and WriteRevenueNameReserving reserved twice the
            // longest number, so reading eight from its start and writing eight after the copy name stay within it).
            Unsafe.WriteUnaligned(ref copy, Unsafe.ReadUnaligned<ulong>(ref value));
        }
        else
        {
            Unsafe.CopyBlockUnaligned(ref copy, ref value, (uint)length);
        }

        return written + length;
    }

    /// <summary>A signed integer: <see cref="MaxIntegerLength"/> bytes at most.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PutInt64(ref byte destination, long value)
    {
        if (value >= 0)
        {
            return PutUInt64(ref destination, (ulong)value);
        }

        destination = (byte)'-';
        return 1 + PutUInt64(ref Unsafe.Add(ref destination, 1), 0UL - (ulong)value);
    }

    /// <summary>An unsigned integer: <see cref="MaxIntegerLength"/> bytes at most.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PutUInt64(ref byte destination, ulong value)
    {
#if NET
        return FixedPoint.WriteDigits(MemoryMarshal.CreateSpan(ref destination, MaxIntegerLength), value);
#else
        Span<byte> number = stackalloc byte[MaxIntegerLength];
        return CopyOut(number, FixedPoint.WriteDigits(number, value), ref destination);
#endif
    }

    /// <summary>A finite double in JavaScript's form: <see cref="MaxNumberLength"/> bytes at most.</summary>
    private static int PutDouble(ref byte destination, double value)
    {
        // Formatted in place: the text is ASCII and only an exponent's '+' needs encoding. The fast path (prices,
        // ratios, counts) never writes an exponent, so only the general path looks for one.
#if NET
        Span<byte> number = MemoryMarshal.CreateSpan(ref destination, MaxNumberLength);
#else
        Span<byte> number = stackalloc byte[MaxNumberLength];
#endif
        return CopyOut(
            number,
            JavaScriptNumber.TryFormatShortDecimal(value, number, out int written) ? written : EncodeExponentSign(number, JavaScriptNumber.FormatShortest(value, number)),
            ref destination);
    }

    /// <summary>A finite float in JavaScript's form: <see cref="MaxNumberLength"/> bytes at most.</summary>
    private static int PutSingle(ref byte destination, float value)
    {
#if NET
        Span<byte> number = MemoryMarshal.CreateSpan(ref destination, MaxNumberLength);
#else
        Span<byte> number = stackalloc byte[MaxNumberLength];
#endif
        return CopyOut(number, EncodeExponentSign(number, JavaScriptNumber.Format(value, number)), ref destination);
    }

    /// <summary>A decimal without trailing zeros: <see cref="MaxDecimalLength"/> bytes at most.</summary>
    private static int PutDecimal(ref byte destination, decimal value)
    {
#if NET
        Span<byte> number = MemoryMarshal.CreateSpan(ref destination, MaxDecimalLength);
#else
        Span<byte> number = stackalloc byte[MaxDecimalLength];
#endif
        return CopyOut(number, TryFormatDecimal(value, number, out int written) ? written : FormatLargeDecimal(value, number), ref destination);
    }

    /// <summary>A GUID in <c>D</c> format: <see cref="GuidLength"/> bytes.</summary>
    private static int PutGuid(ref byte destination, Guid value)
    {
#if NET
        value.TryFormat(MemoryMarshal.CreateSpan(ref destination, GuidLength), out int written, "D");
        return written;
#else
        Span<byte> guid = stackalloc byte[GuidLength];
        Utf8Formatter.TryFormat(value, guid, out int written, new StandardFormat('D'));
        return CopyOut(guid, written, ref destination);
#endif
    }

    // .NET formats a value in place, through a span over the reserved bytes, and CopyOut has nothing to do.
    // netstandard2.0 has no span over a reference (MemoryMarshal.CreateSpan), so there the value is formatted on the
    // stack and CopyOut copies it to the reserved bytes: at most 40 bytes.
#if NET
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CopyOut(Span<byte> number, int written, ref byte destination)
    {
        _ = number;
        _ = destination;
        return written;
    }
#else
    private static int CopyOut(Span<byte> number, int written, ref byte destination)
    {
        Unsafe.CopyBlockUnaligned(ref destination, ref MemoryMarshal.GetReference(number), (uint)written);
        return written;
    }
#endif

    private static long UnixSeconds(DateTime value) =>
        UnixTime.SecondsFromTicks(value.Kind == DateTimeKind.Local ? value.ToUniversalTime().Ticks : value.Ticks);

#if NET
    private static long UnixSeconds(DateOnly value) => UnixTime.SecondsFromTicks(value.DayNumber * TimeSpan.TicksPerDay);
#endif
}
