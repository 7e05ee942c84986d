using System;
using System.Globalization;
using System.Numerics;

namespace Kissmetrics.Typed.Serialization;

/// <summary>
/// Writes <c>digits / 10^scale</c> in plain decimal notation (<c>127.45</c>, <c>0.0045</c>, <c>450</c>): what decimals
/// and decimal-looking doubles are sent as. The integer part is formatted, the fraction written digit by digit from
/// the right, so nothing is moved afterwards to make room for the point.
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
            digits.TryFormat(destination.Slice(position), out int length, default, CultureInfo.InvariantCulture);
            return position + length;
        }

        // The fraction is peeled off from the right by constant divisions (multiplications once compiled); what is
        // left is the integer part. A division by 10^scale would be a slow 64-bit divide.
        int integerLength = Math.Max(1, CountDigits(digits) - scale);
        Span<byte> integerDigits = destination.Slice(position, integerLength);
        Span<byte> fractionDigits = destination.Slice(position + integerLength + 1, scale);
        for (int i = scale - 1; i >= 0; i--)
        {
            ulong rest = digits / 10;
            fractionDigits[i] = (byte)('0' + (int)(digits - (rest * 10)));
            digits = rest;
        }

        digits.TryFormat(integerDigits, out _, default, CultureInfo.InvariantCulture);
        destination[position + integerLength] = (byte)'.';
        position += integerLength + 1;
        return position + scale;
    }

    /// <summary>The number of decimal digits of <paramref name="value"/> (0 for 0): log2 scaled by log10(2), then one comparison.</summary>
    private static int CountDigits(ulong value)
    {
        int bits = BitOperations.Log2(value | 1) + 1;
        int digits = (bits * 1233) >> 12;
        return value >= s_powersOfTen[digits] ? digits + 1 : digits;
    }
}
