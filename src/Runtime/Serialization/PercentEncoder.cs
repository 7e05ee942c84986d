using System;
using System.Buffers;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
#if NET
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
#endif
using Kissmetrics.Typed.Compatibility;
using Kissmetrics.Typed.Internal;

namespace Kissmetrics.Typed.Serialization;

/// <summary>
/// The percent-encoding kernels of <see cref="KissmetricsWriter"/>: which characters are RFC 3986 unreserved, the
/// vectorised and table-driven loops that encode short text straight into reserved bytes, and <c>%XX</c>. Stateless:
/// the writer reserves the room and keeps the position, as System.Text.Json's escaping helpers are kept apart from
/// <c>Utf8JsonWriter</c>.
/// </summary>
internal static class PercentEncoder
{
    // Text up to this length is encoded by a scalar loop; longer text by vectorised runs.
    internal const int ShortText = 48;

    // The characters of one 128-bit block (Vector128<ushort>.Count); the short-text path may store one block past the text.
    internal const int BlockChars = 8;

    // netstandard2.0 has no vectorised search and no intrinsics: the table loops below, which .NET also takes on
    // hardware without SSSE3 or Vector128 acceleration, are the whole of the encoding there.
#if NET
    // Both built from the one definition of the set (PercentEncoding.UnreservedAscii, all ASCII, so one byte per character).
    private static readonly SearchValues<byte> s_unreserved = SearchValues.Create(System.Text.Encoding.ASCII.GetBytes(PercentEncoding.UnreservedAscii));
    private static readonly SearchValues<char> s_unreservedChars = SearchValues.Create(PercentEncoding.UnreservedAscii);
#endif

    // For 8 to 16 characters narrowed as two blocks (the first eight, then the last eight): the shuffle that puts them
    // in order, one row of 16 per length from 8. Past the text: 0x80, which shuffles in a zero (a reserved byte).
#if NET
    private static ReadOnlySpan<byte> ContiguousShuffles =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
        0, 1, 2, 3, 4, 5, 6, 7, 15, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
        0, 1, 2, 3, 4, 5, 6, 7, 14, 15, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
        0, 1, 2, 3, 4, 5, 6, 7, 13, 14, 15, 0x80, 0x80, 0x80, 0x80, 0x80,
        0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 0x80, 0x80, 0x80, 0x80,
        0, 1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 14, 15, 0x80, 0x80, 0x80,
        0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15, 0x80, 0x80,
        0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 0x80,
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    ];
#endif

    // 1 for the RFC 3986 unreserved ASCII characters (PercentEncoding.UnreservedAscii), 0 for the others. A literal, not
    // built from the string, so the scalar loops read constant data with no static initialization; a test pins it to the
    // string for all 256 byte values.
    internal static ReadOnlySpan<byte> UnreservedTable =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
        0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1,
        0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0,
    ];

    /// <summary>The bytes <see cref="PutShortText"/> may store for <paramref name="length"/> characters: all escaped, plus one block stored whole past the end.</summary>
    internal static int MaxShortTextLength(int length) => (length * 3) + BlockChars;

    /// <summary>
    /// Short ASCII text (names, plans, cities, ids: most values). Eight to sixteen characters with at most one to
    /// escape, the most common case, are classified at once and written without a loop (SSSE3). Otherwise, in one
    /// pass, eight characters at a time: each block is narrowed and stored whole, and the output advances over its
    /// unreserved prefix only, so a block with nothing to escape costs a dozen vector instructions and one with an
    /// escape continues right after it. The last characters are the last whole block with those already written shifted
    /// out. Four to seven characters with nothing to escape are two overlapping words; other text under eight
    /// characters goes through a table lookup per character. No search setup, no intermediate buffer, and no writer
    /// state: the caller reserved the room and keeps the position.
    /// </summary>
    /// <returns>
    /// The bytes written (at most <see cref="MaxShortTextLength"/>), or -1 when the text is not all ASCII: the general
    /// loop, which encodes UTF-8, does it over.
    /// </returns>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static int PutShortText(ref byte output, scoped ReadOnlySpan<char> text)
    {
        int position = 0;
        int i = 0;
#if NET
        ref ushort characters = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
        if (Ssse3.IsSupported && (uint)(text.Length - Vector128<ushort>.Count) <= Vector128<ushort>.Count)
        {
            // Eight to sixteen characters (most values): the two blocks that cover them narrowed into one vector, made
            // contiguous by one shuffle and classified at once. Nothing to escape: one store. One character to escape
            // (a space, an '@'): those after it move two places (a blend with the vector shifted) and %XX goes in
            // between. Neither takes a loop or a branch on the characters; two escapes or more take the loop below.
            int length = text.Length;
            Vector128<byte> packed = Sse2.PackUnsignedSaturate(
                Vector128.LoadUnsafe(ref characters).AsInt16(),
                Vector128.LoadUnsafe(ref characters, (nuint)(length - Vector128<ushort>.Count)).AsInt16());
            Vector128<byte> narrowed = Ssse3.Shuffle(
                packed,
                Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(ContiguousShuffles), (nuint)((length - Vector128<ushort>.Count) * Vector128<byte>.Count)));
            uint escapes = ~UnreservedBytes(narrowed) & ((1u << length) - 1);
            if (escapes == 0)
            {
                narrowed.StoreUnsafe(ref output);
                return length;
            }

            if ((escapes & (escapes - 1)) == 0)
            {
                int at = BitOperations.TrailingZeroCount(escapes);
                ushort escaped = Unsafe.Add(ref characters, at);
                if (escaped >= 0x80)
                {
                    return -1;
                }

                Vector128<byte> after = Sse2.CompareGreaterThan(Vector128.Create((sbyte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector128.Create((sbyte)(at + 2))).AsByte();
                // Eighteen bytes at most, within the 32 reserved for eight characters: the blend, then the last two
                // characters the shift moved past it (or bytes beyond the text, written over later), then %XX.
                Vector128.ConditionalSelect(after, Sse2.ShiftLeftLogical128BitLane(narrowed, 2), narrowed).StoreUnsafe(ref output);
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref output, Vector128<byte>.Count), narrowed.AsUInt16().GetElement(7));
                PutEscapedByte(ref Unsafe.Add(ref output, at), (byte)escaped);
                return length + 2;
            }
        }

        if (Vector128.IsHardwareAccelerated && text.Length >= Vector128<ushort>.Count)
        {
            // In bounds: every block read starts at most at the last whole block.
            int lastBlock = text.Length - Vector128<ushort>.Count;
            while (i < text.Length)
            {
                int start = Math.Min(i, lastBlock);
                int skipped = i - start;
                Vector128<ushort> block = Vector128.LoadUnsafe(ref characters, (nuint)start);
                uint kept = NarrowUnreserved(block, out ulong narrowed) >> skipped;
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref output, position), narrowed >> (skipped * 8));
                if (kept == (0xFFu >> skipped))
                {
                    int count = Vector128<ushort>.Count - skipped;
                    position += count;
                    i += count;
                    continue;
                }

                int run = BitOperations.TrailingZeroCount(~kept);
                position += run;
                i += run;
                ushort escaped = Unsafe.Add(ref characters, i);
                if (escaped >= 0x80)
                {
                    return -1;
                }

                PutEscapedByte(ref Unsafe.Add(ref output, position), (byte)escaped);
                position += 3;
                i++;
            }

            return position;
        }

        if (Vector128.IsHardwareAccelerated && text.Length >= 4)
        {
            // Four to seven characters (codes, countries, cities, short plans): the first four and the last four,
            // overlapping, in one vector. All unreserved, as most such values are, they go out as two overlapping words.
            ref byte bytes = ref Unsafe.As<ushort, byte>(ref characters);
            Vector128<ushort> ends = Vector128.Create(
                Unsafe.ReadUnaligned<ulong>(ref bytes),
                Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref bytes, (text.Length - 4) * sizeof(char)))).AsUInt16();
            if (NarrowUnreserved(ends, out ulong narrowed) == 0xFF)
            {
                Unsafe.WriteUnaligned(ref output, (uint)narrowed);
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref output, text.Length - 4), (uint)(narrowed >> 32));
                return text.Length;
            }
        }
#endif

        ReadOnlySpan<byte> unreserved = UnreservedTable;
        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (c >= 0x80)
            {
                return -1;
            }

            if (unreserved[c] != 0)
            {
                Unsafe.Add(ref output, position++) = (byte)c;
            }
            else
            {
                PutEscapedByte(ref Unsafe.Add(ref output, position), (byte)c);
                position += 3;
            }
        }

        return position;
    }

#if NET
    /// <summary>
    /// The eight characters of <paramref name="block"/> as bytes in <paramref name="narrowed"/> (meaningful for ASCII
    /// ones), and one bit per character, lowest first, set for the RFC 3986 unreserved ones (A-Z a-z 0-9 - . _ ~).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint NarrowUnreserved(Vector128<ushort> block, out ulong narrowed)
    {
        if (Ssse3.IsSupported)
        {
            Vector128<byte> bytes = Sse2.PackUnsignedSaturate(block.AsInt16(), block.AsInt16());
            narrowed = bytes.AsUInt64().ToScalar();
            return UnreservedBytes(bytes) & 0xFF;
        }

        narrowed = Vector128.Narrow(block, block).AsUInt64().ToScalar();
        return Unreserved(block).ExtractMostSignificantBits();
    }

    /// <summary>One bit per byte of <paramref name="bytes"/>, lowest first, set for the RFC 3986 unreserved ASCII characters (SSSE3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint UnreservedBytes(Vector128<byte> bytes)
    {
        // Classified by nibbles, two table lookups: the high nibble's table gives a bit per row of the ASCII table
        // (2 to 7), the low nibble's the rows in which that column is unreserved. Characters above 0xFF saturated
        // to 0xFF or 0 when narrowed: both unreserved in no row.
        Vector128<byte> low = bytes & Vector128.Create((byte)0x0F);
        Vector128<byte> high = (bytes.AsUInt16() >>> 4).AsByte() & Vector128.Create((byte)0x0F);
        Vector128<byte> rows = Ssse3.Shuffle(
            Vector128.Create((byte)0x2A, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3C, 0x14, 0x14, 0x15, 0x35, 0x1C), low);
        Vector128<byte> row = Ssse3.Shuffle(
            Vector128.Create((byte)0, 0, 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0, 0, 0, 0, 0, 0, 0, 0), high);
        return (uint)~Sse2.MoveMask(Sse2.CompareEqual(rows & row, Vector128<byte>.Zero)) & 0xFFFF;
    }

    /// <summary>All bits set in each lane holding an RFC 3986 unreserved character (A-Z a-z 0-9 - . _ ~), none in the others.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ushort> Unreserved(Vector128<ushort> c)
    {
        // Setting bit 5 folds upper-case letters onto lower-case ones and nothing else onto a-z; the unsigned
        // comparisons after a subtraction are range checks.
        Vector128<ushort> letter = Vector128.LessThan((c | Vector128.Create((ushort)0x20)) - Vector128.Create((ushort)'a'), Vector128.Create((ushort)26));
        Vector128<ushort> digit = Vector128.LessThan(c - Vector128.Create((ushort)'0'), Vector128.Create((ushort)10));
        Vector128<ushort> dashOrDot = Vector128.LessThan(c - Vector128.Create((ushort)'-'), Vector128.Create((ushort)2));
        Vector128<ushort> underscore = Vector128.Equals(c, Vector128.Create((ushort)'_'));
        Vector128<ushort> tilde = Vector128.Equals(c, Vector128.Create((ushort)'~'));
        return letter | digit | dashOrDot | underscore | tilde;
    }
#endif

    /// <summary>The index of the first character that is not RFC 3986 unreserved, or -1.</summary>
    internal static int IndexOfReserved(scoped ReadOnlySpan<char> text)
    {
#if NET
        return text.IndexOfAnyExcept(s_unreservedChars);
#else
        ReadOnlySpan<byte> unreserved = UnreservedTable;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c >= 0x80 || unreserved[c] == 0)
            {
                return i;
            }
        }

        return -1;
#endif
    }

    /// <summary>The index of the first byte that is not RFC 3986 unreserved, or -1.</summary>
    internal static int IndexOfReserved(scoped ReadOnlySpan<byte> utf8)
    {
#if NET
        return utf8.IndexOfAnyExcept(s_unreserved);
#else
        ReadOnlySpan<byte> unreserved = UnreservedTable;
        for (int i = 0; i < utf8.Length; i++)
        {
            byte b = utf8[i];
            if (b >= 0x80 || unreserved[b] == 0)
            {
                return i;
            }
        }

        return -1;
#endif
    }

    /// <summary><c>%XX</c>: 3 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void PutEscapedByte(ref byte destination, byte value)
    {
        ref byte hex = ref MemoryMarshal.GetReference("0123456789ABCDEF"u8);
        destination = (byte)'%';
        Unsafe.Add(ref destination, 1) = Unsafe.Add(ref hex, value >> 4);
        Unsafe.Add(ref destination, 2) = Unsafe.Add(ref hex, value & 0xF);
    }
}
