#if !NET
using Microsoft.CodeAnalysis;

namespace System.Text;

/// <summary>
/// The members of <c>System.Text.Ascii</c> (.NET 8+) the transports use, which netstandard2.0 lacks: header-name
/// comparison and validation, as scalar loops.
/// </summary>
[Embedded]
internal static class Ascii
{
    public static bool IsValid(string? value)
    {
        if (value is null)
        {
            return true;
        }

        foreach (char c in value)
        {
            if (c >= 0x80)
            {
                return false;
            }
        }

        return true;
    }

    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        if (left.Length != right.Length)
        {
            return false;
        }

        for (int i = 0; i < left.Length; i++)
        {
            uint a = left[i];
            uint b = right[i];
            if (a >= 0x80 || b >= 0x80)
            {
                return false;
            }

            if (a != b && (a | 0x20u) - 'a' > 'z' - 'a' || (a | 0x20u) != (b | 0x20u))
            {
                return false;
            }
        }

        return true;
    }
}
#endif
