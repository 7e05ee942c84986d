using System;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Kissmetrics.Typed.Serialization;

/// <summary>
/// Writes <c>digits / 10^scale</c> in plain decimal notation (<c>127.45</c>, <c>0.0045</c>, <c>450</c>): what decimals
/// and decimal-looking doubles are sent as; and the decimal digits of integers.
/// </summary>
internal static class FixedPoint
{
    /// <summary>The most bytes <see cref="Format"/> writes: a sign, 20 digits, a point, and the zeros of a scale of 28.</summary>
    public const int MaxLength = 1 + 20 + 1 + 28;

    // An array, not a ReadOnlySpan<ulong> property over a collection expression: that one allocates on every call
    // where the compiler cannot use RuntimeHelpers.CreateSpan.
    private static readonly ulong[] s_powersOfTen =
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
        10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000,
        1_000_000_000_000_000, 10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000,
        10_000_000_000_000_000_000,
    ];

    /// <summary>Writes the number; <paramref name="digits"/> should have no trailing zero when <paramref name="scale"/> is above 0.</summary>
    /// <param name="digits">The significand.</param>
    /// <param name="scale">How many of its digits are after the point (0 to 28).</param>
    /// <param name="negative">Whether to write a minus sign.</param>
    /// <param name="destination">Room for the sign, the integer digits, the point and <paramref name="scale"/> digits (<see cref="MaxLength"/> at most).</param>
    /// <returns>The bytes written.</returns>
    public static int Format(ulong digits, int scale, bool negative, Span<byte> destination)
    {
        int position = 0;
        if (negative)
        {
            destination[position++] = (byte)'-';
        }

        if (scale == 0)
        {
            return position + WriteDigits(destination.Slice(position), digits);
        }

        int count = CountDigits(digits);
        if (count <= scale)
        {
            // 0.0045: "0.", the zeros the digits do not reach, the digits.
            destination[position] = (byte)'0';
            destination[position + 1] = (byte)'.';
            Span<byte> fraction = destination.Slice(position + 2, scale);
            int zeros = scale - count;
            for (int i = 0; i < zeros; i++)
            {
                fraction[i] = (byte)'0'; // a few at most: Span.Fill's call costs more
            }

            WriteDigits(fraction.Slice(zeros), digits);
            return position + 2 + scale;
        }

        // 127.45: every digit one place to the right of where it goes, then the integer digits moved back over the
        // gap and the point put in it. Cheaper than peeling the fraction off digit by digit with 64-bit divisions.
        Span<byte> shifted = destination.Slice(position, count + 1);
        WriteDigits(shifted.Slice(1), digits);
        int integerLength = count - scale;
        for (int i = 0; i < integerLength; i++)
        {
            shifted[i] = shifted[i + 1];
        }

        shifted[integerLength] = (byte)'.';
        return position + count + 1;
    }

    /// <summary>The number of decimal digits of <paramref name="value"/> (1 for 0, written "0"): log2 scaled by log10(2), then one comparison.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CountDigits(ulong value)
    {
        int bits = BitOperations.Log2(value | 1) + 1;
        int digits = (bits * 1233) >> 12;
        return (value | 1) >= s_powersOfTen[digits] ? digits + 1 : digits;
    }

    /// <summary>
    /// Writes <paramref name="value"/> in decimal digits at the start of <paramref name="destination"/>, two digits per
    /// step from the right; returns how many (<see cref="CountDigits"/>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    /// <remarks>
    /// The integer formatting of .NET does the same after checks a generated serializer has no use for (format string,
    /// culture, destination size), which cost more than the digits of a count or a timestamp.
    /// </remarks>
    public static int WriteDigits(Span<byte> destination, ulong value)
    {
        int count = CountDigits(value);
        if (count > destination.Length)
        {
            ThrowTooShort();
        }

        // In bounds: every store is below the previous one and above the start, as there are count digits.
        ref byte start = ref MemoryMarshal.GetReference(destination);
        int position = count;
        while (value > uint.MaxValue)
        {
            ulong rest = value / 100;
            position -= 2;
            WritePair(ref Unsafe.Add(ref start, position), (uint)(value - (rest * 100)));
            value = rest;
        }

        // 32-bit division is cheaper; counts, timestamps and most mantissas are here from the start. (Four digits per
        // step, with only the division by 10,000 on the chain, measured no faster.)
        uint small = (uint)value;
        while (small >= 100)
        {
            uint rest = small / 100;
            position -= 2;
            WritePair(ref Unsafe.Add(ref start, position), small - (rest * 100));
            small = rest;
        }

        if (small >= 10)
        {
            WritePair(ref Unsafe.Add(ref start, position - 2), small);
        }
        else
        {
            Unsafe.Add(ref start, position - 1) = (byte)('0' + small);
        }

        return count;
    }

    [DoesNotReturn]
    private static void ThrowTooShort() => throw new ArgumentException("The destination is too short for the digits.", "destination");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WritePair(ref byte destination, uint pair) =>
        Unsafe.WriteUnaligned(ref destination, Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref MemoryMarshal.GetReference(DigitPairs), pair * 2)));

    // "00", "01", ... "99": two digits per lookup.
    private static ReadOnlySpan<byte> DigitPairs =>
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;
}
