using System;
using Kissmetrics.Typed.Compatibility;

namespace Kissmetrics.Typed.Serialization;

/// <summary>
/// Lays out the shortest round-trip digits of a number the way ECMAScript's <c>Number::toString</c> does
/// (Segment's integrations run in JavaScript, so this is the text Kissmetrics has always received):
/// <c>450</c>, <c>0.1</c>, <c>1e+21</c>, <c>1e-7</c>.
/// </summary>
internal static class JavaScriptNumber
{
    public const int MaxLength = 32;

    // Integers below 2^53 are exact: their digits are their shortest round-trip text.
    private const double ExactIntegerLimit = 9007199254740992.0;

    // Below 2^50 a product value * 10^k is known to within 1/16, and at most one integer is within 1/8 of it.
    private const double UniqueCandidateLimit = 1125899906842624.0;

    // Fixed notation holds from 1e-6 (JavaScript writes 1e-7 with an exponent); 15 fraction digits at most.
    private const double FixedNotationFloor = 1e-6;
    private const int MaxFractionDigits = 15;

    private static readonly double[] s_powersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];

    /// <summary>Writes <paramref name="value"/> (finite) as ECMAScript's <c>Number::toString</c> does; <paramref name="destination"/> holds <see cref="MaxLength"/> bytes.</summary>
    public static int Format(double value, Span<byte> destination) =>
        TryFormatShortDecimal(value, destination, out int written) ? written : FormatShortest(value, destination);

    /// <summary>The general path: .NET's shortest round-trip digits, laid out again.</summary>
    internal static int FormatShortest(double value, Span<byte> destination)
    {
        Span<byte> shortest = stackalloc byte[RoundTripFormatter.MaxLength];
        int length = RoundTripFormatter.Format(value, shortest);
        return Layout(shortest.Slice(0, length), destination);
    }

    /// <summary>
    /// The fast path for the numbers analytics mostly sends (prices, ratios, counts): integers below 2^53 as their
    /// digits, and otherwise the fewest fraction digits <c>k</c> (1 to 15) for which <c>m = round(value * 10^k)</c>
    /// gives <paramref name="value"/> back as <c>m / 10^k</c>. Why that is the shortest round-trip text, the one
    /// <see cref="FormatShortest"/> finds far more slowly:
    /// <list type="bullet">
    /// <item><c>m</c> and <c>10^k</c> are exact doubles, so <c>m / 10^k</c> is correctly rounded: it equals what the text
    /// "m with k fraction digits" parses to.</item>
    /// <item>With <c>x = value * 10^k</c> below 2^50, every text with k fraction digits that parses back to the value is an
    /// integer within ulp(x) &lt;= 1/8 of x, and the computed product is within 1/16 of x: there is at most one, and
    /// rounding the product finds it.</item>
    /// <item>The first k that has one gives the fewest significant digits (its <c>m</c> has no trailing zero: <c>m / 10</c>
    /// would have been found at <c>k - 1</c>), and JavaScript lays such a number out in fixed notation from 1e-6 up.</item>
    /// </list>
    /// Anything else (tiny, huge or 16-17 significant digits) returns false.
    /// </summary>
    internal static bool TryFormatShortDecimal(double value, Span<byte> destination, out int written)
    {
        written = 0;
        double magnitude = Math.Abs(value);
        if (magnitude == 0)
        {
            destination[0] = (byte)'0'; // 0 and -0 are both "0"
            written = 1;
            return true;
        }

        if (!(magnitude < ExactIntegerLimit) || magnitude < FixedNotationFloor)
        {
            return false;
        }

        ReadOnlySpan<double> powers = s_powersOfTen;
        for (int k = 0; k <= MaxFractionDigits; k++)
        {
            double scaled;
            if (k == 0)
            {
                if (magnitude != Math.Floor(magnitude))
                {
                    continue;
                }

                scaled = magnitude;
            }
            else
            {
                double product = magnitude * powers[k];
                if (product >= UniqueCandidateLimit)
                {
                    return false;
                }

                scaled = Math.Round(product);
                if (scaled / powers[k] != magnitude)
                {
                    continue;
                }

                if ((ulong)scaled % 10 == 0)
                {
                    return false; // cannot happen (see above); the general path decides if it ever does
                }
            }

            written = FixedPoint.Format((ulong)scaled, k, value < 0, destination);
            return true;
        }

        return false;
    }

    public static int Format(float value, Span<byte> destination)
    {
        Span<byte> shortest = stackalloc byte[RoundTripFormatter.MaxLength];
        int length = RoundTripFormatter.Format(value, shortest);
        return Layout(shortest.Slice(0, length), destination);
    }

    // .NET's "R" gives the shortest digits but its own layout ("1E+15", "1E-05"); re-lay them out per ECMA-262 §6.1.6.1.20.
    internal static int Layout(ReadOnlySpan<byte> dotnet, Span<byte> destination)
    {
        int position = 0;
        bool negative = dotnet[0] == (byte)'-';
        if (negative)
        {
            position = 1;
        }

        Span<byte> digits = stackalloc byte[MaxLength];
        int digitCount = 0;
        int pointAt = -1;
        int exponent = 0;
        for (; position < dotnet.Length; position++)
        {
            byte c = dotnet[position];
            if (c == (byte)'.')
            {
                pointAt = digitCount;
            }
            else if (c == (byte)'E' || c == (byte)'e')
            {
                exponent = RoundTripFormatter.ParseInt32(dotnet.Slice(position + 1));
                break;
            }
            else
            {
                digits[digitCount++] = c;
            }
        }

        if (pointAt < 0)
        {
            pointAt = digitCount;
        }

        int start = 0;
        while (start < digitCount - 1 && digits[start] == (byte)'0')
        {
            start++;
            pointAt--;
        }

        int end = digitCount;
        while (end > start + 1 && digits[end - 1] == (byte)'0')
        {
            end--;
        }

        if (end - start == 1 && digits[start] == (byte)'0')
        {
            destination[0] = (byte)'0'; // 0 and -0 are both "0"
            return 1;
        }

        ReadOnlySpan<byte> significant = digits.Slice(start, end - start);
        int k = significant.Length;
        int n = pointAt + exponent; // value = 0.d1d2...dk x 10^n
        int written = 0;
        if (negative)
        {
            destination[written++] = (byte)'-';
        }

        if (k <= n && n <= 21)
        {
            significant.CopyTo(destination.Slice(written));
            written += k;
            destination.Slice(written, n - k).Fill((byte)'0');
            written += n - k;
        }
        else if (0 < n && n <= 21)
        {
            significant.Slice(0, n).CopyTo(destination.Slice(written));
            written += n;
            destination[written++] = (byte)'.';
            significant.Slice(n).CopyTo(destination.Slice(written));
            written += k - n;
        }
        else if (-6 < n && n <= 0)
        {
            destination[written++] = (byte)'0';
            destination[written++] = (byte)'.';
            destination.Slice(written, -n).Fill((byte)'0');
            written += -n;
            significant.CopyTo(destination.Slice(written));
            written += k;
        }
        else
        {
            destination[written++] = significant[0];
            if (k > 1)
            {
                destination[written++] = (byte)'.';
                significant.Slice(1).CopyTo(destination.Slice(written));
                written += k - 1;
            }

            destination[written++] = (byte)'e';
            int e = n - 1;
            destination[written++] = e < 0 ? (byte)'-' : (byte)'+';
            written += RoundTripFormatter.Format(Math.Abs(e), destination.Slice(written));
        }

        return written;
    }
}
