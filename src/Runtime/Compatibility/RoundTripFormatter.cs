using System;
using System.Buffers.Text;
using System.Globalization;

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
/// not: it formats 15 significant digits (through <c>double.ToString</c>, which allocates), it refuses a precision
/// (<c>NotSupportedException: The 'G' format combined with a precision is not supported</c>, seen under Mono), and
/// <c>"R"</c> there is known to give text that does not round-trip. So there the digits are searched with the platform's
/// own <c>ToString("G15")</c> and <c>double.Parse</c>: 15 significant digits when they parse back to
/// the same bits (when the shortest text has at most 15 digits, rounding to 15 gives it: every 15-digit decimal
/// survives a trip through a double), else 16 (correctly rounded, so the closest of the 16-digit candidates, as
/// JavaScript chooses), else 17, which always round-trips; a subnormal from 1 digit up. Floats the same with 6 to 9
/// digits. The layout may differ (<c>3.4309152E+08</c> for <c>343091520</c>): JavaScriptNumber lays the digits out again. That path allocates on
/// .NET Framework only (the platform formatter's strings); on .NET Core nothing is allocated.</para>
/// </remarks>
internal static class RoundTripFormatter
{
    /// <summary>Room enough for any of the texts: a sign, 17 digits, a point and <c>E-324</c>.</summary>
    public const int MaxLength = 32;

#if !NET
    private static readonly bool s_platformIsShortest = PlatformIsShortest();

    // "G1" to "G17" and "G1" to "G9": the precisions searched, shortest first; the last always round-trips.
    private static readonly string[] s_doubleFormats = Precisions(17);
    private static readonly string[] s_floatFormats = Precisions(9);

    // A subnormal has fewer significant bits, so a text of fewer than 15 (6) digits that round-trips need not be what
    // rounding to 15 (6) digits gives (5E-324, not 4.94065645841247E-324): its search starts at one digit.
    private const double SmallestNormalDouble = 2.2250738585072014E-308;
    private const float SmallestNormalFloat = 1.17549435E-38f;
#endif

    /// <summary>The shortest round-trip text of <paramref name="value"/> (finite) in .NET's layout; returns its length.</summary>
    public static int Format(double value, Span<byte> destination)
    {
#if NET
        value.TryFormat(destination, out int length, "R", CultureInfo.InvariantCulture);
        return length;
#else
        if (s_platformIsShortest)
        {
            Utf8Formatter.TryFormat(value, destination, out int length);
            return length;
        }

        return FormatBySearch(value, destination);
#endif
    }

#if !NET
    /// <summary>The .NET Framework path of <see cref="Format(double, Span{byte})"/>: the fewest of 15, 16, 17 digits that round-trip.</summary>
    internal static int FormatBySearch(double value, Span<byte> destination)
    {
        for (int i = Math.Abs(value) < SmallestNormalDouble ? 0 : 14; i < s_doubleFormats.Length - 1; i++)
        {
            string text = value.ToString(s_doubleFormats[i], CultureInfo.InvariantCulture);
            if (BitConverter.DoubleToInt64Bits(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)) == BitConverter.DoubleToInt64Bits(value))
            {
                return CopyAscii(text, destination);
            }
        }

        return CopyAscii(value.ToString(s_doubleFormats[s_doubleFormats.Length - 1], CultureInfo.InvariantCulture), destination);
    }
#endif

    /// <summary>The shortest round-trip text of <paramref name="value"/> (finite) as a float, in .NET's layout; returns its length.</summary>
    public static int Format(float value, Span<byte> destination)
    {
#if NET
        value.TryFormat(destination, out int length, "R", CultureInfo.InvariantCulture);
        return length;
#else
        if (s_platformIsShortest)
        {
            Utf8Formatter.TryFormat(value, destination, out int length);
            return length;
        }

        return FormatBySearch(value, destination);
#endif
    }

#if !NET
    /// <summary>The .NET Framework path of <see cref="Format(float, Span{byte})"/>: the fewest of 6 to 9 digits that round-trip.</summary>
    internal static int FormatBySearch(float value, Span<byte> destination)
    {
        for (int i = Math.Abs(value) < SmallestNormalFloat ? 0 : 5; i < s_floatFormats.Length - 1; i++)
        {
            string text = value.ToString(s_floatFormats[i], CultureInfo.InvariantCulture);
            float back = float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (back.Equals(value) && (back != 0 || IsNegative(back) == IsNegative(value)))
            {
                return CopyAscii(text, destination);
            }
        }

        return CopyAscii(value.ToString(s_floatFormats[s_floatFormats.Length - 1], CultureInfo.InvariantCulture), destination);
    }
#endif

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

    private static string[] Precisions(int most)
    {
        var formats = new string[most];
        for (int i = 0; i < most; i++)
        {
            formats[i] = "G" + (i + 1).ToString(CultureInfo.InvariantCulture);
        }

        return formats;
    }

    /// <summary>Copies the platform's invariant number text (ASCII digits, sign, point, <c>E</c>) as bytes.</summary>
    private static int CopyAscii(string text, Span<byte> destination)
    {
        for (int i = 0; i < text.Length; i++)
        {
            destination[i] = (byte)text[i];
        }

        return text.Length;
    }

    private static bool PlatformIsShortest()
    {
        Span<byte> text = stackalloc byte[MaxLength];
        return Utf8Formatter.TryFormat(0.1 + 0.2, text, out int length) && length == "0.30000000000000004".Length;
    }
#endif
}
