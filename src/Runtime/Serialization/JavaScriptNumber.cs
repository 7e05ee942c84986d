using System;
using System.Globalization;

namespace Kissmetrics.Typed.Serialization;

/// <summary>
/// Lays out the shortest round-trip digits of a number the way ECMAScript's <c>Number::toString</c> does
/// (Segment's integrations run in JavaScript, so this is the text Kissmetrics has always received):
/// <c>450</c>, <c>0.1</c>, <c>1e+21</c>, <c>1e-7</c>.
/// </summary>
internal static class JavaScriptNumber
{
    public const int MaxLength = 32;

    public static int Format(double value, Span<byte> destination)
    {
        Span<byte> shortest = stackalloc byte[MaxLength];
        value.TryFormat(shortest, out int length, "R", CultureInfo.InvariantCulture);
        return Layout(shortest.Slice(0, length), destination);
    }

    public static int Format(float value, Span<byte> destination)
    {
        Span<byte> shortest = stackalloc byte[MaxLength];
        value.TryFormat(shortest, out int length, "R", CultureInfo.InvariantCulture);
        return Layout(shortest.Slice(0, length), destination);
    }

    // .NET's "R" gives the shortest digits but its own layout ("1E+15", "1E-05"); re-lay them out per ECMA-262 §6.1.6.1.20.
    private static int Layout(ReadOnlySpan<byte> dotnet, Span<byte> destination)
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
                exponent = int.Parse(dotnet.Slice(position + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
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
            Math.Abs(e).TryFormat(destination.Slice(written), out int exponentLength, default, CultureInfo.InvariantCulture);
            written += exponentLength;
        }

        return written;
    }
}
