using System;
#if NET
using System.Text;
#endif

namespace Kissmetrics.Typed.Compatibility;

/// <summary>
/// UTF-16 to UTF-8 one character (or surrogate pair) at a time, for the writer's escaping of non-ASCII text.
/// .NET has <c>Rune</c>; netstandard2.0 has neither it nor <c>Encoding.GetBytes(ReadOnlySpan&lt;char&gt;, Span&lt;byte&gt;)</c>,
/// so there the scalar encoding is written out. Both give U+FFFD for a lone surrogate and use one char for it, as
/// <c>Utf8.FromUtf16</c> with replacement does.
/// </summary>
internal static class Utf8Scalar
{
    /// <summary>Encodes the first scalar of <paramref name="text"/> (not empty) into <paramref name="utf8"/> (4 bytes); returns the bytes written.</summary>
    public static int EncodeFirst(ReadOnlySpan<char> text, Span<byte> utf8, out int charsUsed)
    {
#if NET
        Rune.DecodeFromUtf16(text, out Rune rune, out charsUsed);
        return rune.EncodeToUtf8(utf8);
#else
        uint scalar = text[0];
        charsUsed = 1;
        if (scalar - 0xD800u <= 0x7FFu)
        {
            if (scalar <= 0xDBFFu && text.Length > 1 && text[1] - 0xDC00u <= 0x3FFu)
            {
                scalar = 0x10000u + ((scalar - 0xD800u) << 10) + (text[1] - 0xDC00u);
                charsUsed = 2;
            }
            else
            {
                scalar = 0xFFFD;
            }
        }

        if (scalar < 0x80u)
        {
            utf8[0] = (byte)scalar;
            return 1;
        }

        if (scalar < 0x800u)
        {
            utf8[0] = (byte)(0xC0u | (scalar >> 6));
            utf8[1] = (byte)(0x80u | (scalar & 0x3Fu));
            return 2;
        }

        if (scalar < 0x10000u)
        {
            utf8[0] = (byte)(0xE0u | (scalar >> 12));
            utf8[1] = (byte)(0x80u | ((scalar >> 6) & 0x3Fu));
            utf8[2] = (byte)(0x80u | (scalar & 0x3Fu));
            return 3;
        }

        utf8[0] = (byte)(0xF0u | (scalar >> 18));
        utf8[1] = (byte)(0x80u | ((scalar >> 12) & 0x3Fu));
        utf8[2] = (byte)(0x80u | ((scalar >> 6) & 0x3Fu));
        utf8[3] = (byte)(0x80u | (scalar & 0x3Fu));
        return 4;
#endif
    }
}
