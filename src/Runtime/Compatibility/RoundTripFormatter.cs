using System;
using System.Buffers.Text;
#if NET
using System.Globalization;
#else
using System.Buffers;
#endif

namespace Kissmetrics.Typed.Compatibility;

/// <summary>
/// The shortest round-trip digits of a double or float, in .NET's layout (<c>1E+21</c>), for
/// <see cref="Serialization.JavaScriptNumber"/> to lay out as JavaScript does; and the small integer formatting and
/// parsing that layout needs.
/// </summary>
/// <remarks>
/// <para>.NET (Core 3.0 and later) formats <c>"R"</c> as the shortest text that parses back to the same value.</para>
/// <para>netstandard2.0 has no span formatting on double; <see cref="Utf8Formatter"/> has. On .NET Core the
/// System.Memory package's netstandard2.0 <see cref="Utf8Formatter"/> is the runtime's own, and its default is that same
/// shortest text (found once, at start: <c>0.1 + 0.2</c> comes out as its 17 digits). On .NET Framework (and Mono) it is
/// not: it formats 15 significant digits (through <c>double.ToString</c>, which allocates), and <c>"R"</c> there is known
/// to give text that does not round-trip. So there the digits are searched: 15 significant digits when they parse back to
/// the same bits (when the shortest text has at most 15 digits, rounding to 15 gives it: every 15-digit decimal
/// survives a trip through a double), else 16 (correctly rounded, so the closest of the 16-digit candidates, as
/// JavaScript chooses), else 17, which always round-trips. Floats the same with 6 to 9 digits. That path allocates on
/// .NET Framework only (the platform formatter's strings); on .NET Core nothing is allocated.</para>
/// </remarks>
internal static class RoundTripFormatter
{
    /// <summary>Room enough for any of the texts: a sign, 17 digits, a point and <c>E-324</c>.</summary>
    public const int MaxLength = 32;

#if !NET
    private static readonly bool s_platformIsShortest = PlatformIsShortest();
#endif

    /// <summary>The shortest round-trip text of <paramref name="value"/> (finite) in .NET's layout; returns its length.</summary>
    public static int Format(double value, Span<byte> destination)
    {
#if NET
        value.TryFormat(destination, out int length, "R", CultureInfo.InvariantCulture);
        return length;
#else
        int length;
        if (s_platformIsShortest)
        {
            Utf8Formatter.TryFormat(value, destination, out length);
            return length;
        }

        for (byte precision = 15; precision < 17; precision++)
        {
            Utf8Formatter.TryFormat(value, destination, out length, new StandardFormat('G', precision));
            if (Utf8Parser.TryParse(destination.Slice(0, length), out double back, out int consumed) && consumed == length
                && BitConverter.DoubleToInt64Bits(back) == BitConverter.DoubleToInt64Bits(value))
            {
                return length;
            }
        }

        Utf8Formatter.TryFormat(value, destination, out length, new StandardFormat('G', 17));
        return length;
#endif
    }

    /// <summary>The shortest round-trip text of <paramref name="value"/> (finite) as a float, in .NET's layout; returns its length.</summary>
    public static int Format(float value, Span<byte> destination)
    {
#if NET
        value.TryFormat(destination, out int length, "R", CultureInfo.InvariantCulture);
        return length;
#else
        int length;
        if (s_platformIsShortest)
        {
            Utf8Formatter.TryFormat(value, destination, out length);
            return length;
        }

        for (byte precision = 6; precision < 9; precision++)
        {
            Utf8Formatter.TryFormat(value, destination, out length, new StandardFormat('G', precision));
            if (Utf8Parser.TryParse(destination.Slice(0, length), out float back, out int consumed) && consumed == length
                && back.Equals(value) && (back != 0 || IsNegative(back) == IsNegative(value)))
            {
                return length;
            }
        }

        Utf8Formatter.TryFormat(value, destination, out length, new StandardFormat('G', 9));
        return length;
#endif
    }

    /// <summary>Invariant digits of a small integer (an exponent); returns the length.</summary>
    public static int Format(int value, Span<byte> destination)
    {
        Utf8Formatter.TryFormat(value, destination, out int length);
        return length;
    }

    /// <summary>An optionally signed integer (an exponent), all of <paramref name="text"/>.</summary>
    public static int ParseInt32(ReadOnlySpan<byte> text)
    {
        if (!Utf8Parser.TryParse(text, out int value, out int consumed) || consumed != text.Length)
        {
            throw new FormatException("Not an exponent: the formatter's text is not as expected.");
        }

        return value;
    }

#if !NET
    private static bool IsNegative(float value) => BitConverter.DoubleToInt64Bits(value) < 0;

    private static bool PlatformIsShortest()
    {
        Span<byte> text = stackalloc byte[MaxLength];
        return Utf8Formatter.TryFormat(0.1 + 0.2, text, out int length) && length == "0.30000000000000004".Length;
    }
#endif
}
