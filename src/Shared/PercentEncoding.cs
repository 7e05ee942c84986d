// Compiled into both the generator (names, at compile time) and the runtime (values, at run time),
// so a name and a value can never be encoded by two different rules.
using System.Text;

namespace Kissmetrics.Typed.Internal;

/// <summary>The wire encoding of mapping.md §2: UTF-8, then every byte outside the RFC 3986 unreserved set as upper-case %XX.</summary>
internal static class PercentEncoding
{
    /// <summary>
    /// The RFC 3986 unreserved bytes, the only ones sent as they are: the one definition of the set. The runtime's
    /// search values are built from it; <see cref="IsUnreserved"/>, the runtime's table and its vector kernels are
    /// checked against it by tests.
    /// </summary>
    public const string UnreservedAscii = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

    /// <summary>Upper-case hexadecimal digits, as the spec requires.</summary>
    public const string HexDigits = "0123456789ABCDEF";

    /// <summary>Whether <paramref name="value"/> is sent as it is: in <see cref="UnreservedAscii"/>, as range checks.</summary>
    public static bool IsUnreserved(byte value) =>
        (value >= (byte)'A' && value <= (byte)'Z') ||
        (value >= (byte)'a' && value <= (byte)'z') ||
        (value >= (byte)'0' && value <= (byte)'9') ||
        value == (byte)'-' || value == (byte)'.' || value == (byte)'_' || value == (byte)'~';

    /// <summary>Encodes a whole string; a lone surrogate becomes U+FFFD (UTF-8's replacement behaviour).</summary>
    public static string Encode(string value)
    {
        byte[] utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetBytes(value);
        var builder = new StringBuilder(utf8.Length * 3);
        foreach (byte b in utf8)
        {
            if (IsUnreserved(b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(HexDigits[b >> 4]).Append(HexDigits[b & 0xF]);
            }
        }

        return builder.ToString();
    }
}
