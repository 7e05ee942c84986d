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
#else
using System.Buffers.Text;
#endif
using System.Text;
using Kissmetrics.Typed.Compatibility;
using Kissmetrics.Typed.Internal;

namespace Kissmetrics.Typed.Serialization;

/// <summary>
/// Writes Kissmetrics query parameters (<c>&amp;name=value</c>) as percent-encoded UTF-8 straight into an
/// <see cref="IBufferWriter{T}"/>. Generated serializers call it with names that were encoded at compile time;
/// it only formats and encodes values, and allocates nothing.
/// </summary>
/// <remarks>Used by generated code; application code calls <see cref="KissmetricsFormatter"/> or the client instead.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct KissmetricsWriter
{
    private const int MinimumBufferSize = 256;

    // Text up to this length is encoded by a scalar loop; longer text by vectorised runs.
    private const int ShortText = 48;

    // The longest decimal of the fast path; longer ones go through decimal.TryFormat.
    private const int MaxDecimalLength = FixedPoint.MaxLength;

    // A sign and 19 digits, or 20 digits.
    private const int MaxIntegerLength = 20;

    // JavaScript's longest number, with an exponent's '+' encoded as %2B.
    private const int MaxNumberLength = JavaScriptNumber.MaxLength + 2;

    private const int GuidLength = 36;

    // The characters of one 128-bit block (Vector128<ushort>.Count); the short-text path may store one block past the text.
    private const int BlockChars = 8;

    // netstandard2.0 has no vectorised search and no intrinsics: the table loops below, which .NET also takes on
    // hardware without SSSE3 or Vector128 acceleration, are the whole of the encoding there.
#if NET
    private static readonly SearchValues<byte> s_unreserved = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"u8);
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

    // 1 for the RFC 3986 unreserved ASCII characters (A-Z a-z 0-9 - . _ ~), 0 for the others.
    private static ReadOnlySpan<byte> UnreservedTable =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
        0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1,
        0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0,
    ];

    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _buffered;

    /// <summary>Creates a writer over <paramref name="output"/>. Call <see cref="Flush"/> when done.</summary>
    /// <param name="output">Where the bytes go.</param>
    public KissmetricsWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _span = default;
        _buffered = 0;
    }

    /// <summary>Commits the buffered bytes to the underlying buffer writer.</summary>
    public void Flush()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
        }

        _buffered = 0;
        _span = default;
    }

    // ---- named properties -------------------------------------------------------------------------------

    /// <summary>Writes <c>&amp;name=value</c>; a <see langword="null"/> value omits the property.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteString(scoped ReadOnlySpan<byte> encodedName, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > ShortText)
        {
            WriteName(encodedName);
            WriteEncodedLongText(value);
            return;
        }

        // Name and value in one reservation.
        ref byte text = ref WriteNameReserving(encodedName, MaxShortTextLength(value.Length));
        int encoded = PutShortText(ref text, value);
        if (encoded >= 0)
        {
            _buffered += encoded;
            return;
        }

        WriteEncodedLongText(value);
    }

    /// <summary>Writes a property whose value was percent-encoded at compile time (enum members, page names).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteEncoded(scoped ReadOnlySpan<byte> encodedName, scoped ReadOnlySpan<byte> encodedValue)
    {
        ref byte valueStart = ref WriteNameReserving(encodedName, encodedValue.Length);
        _buffered += PutBytes(ref valueStart, encodedValue);
    }

    /// <summary>Writes <c>true</c> or <c>false</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteBoolean(scoped ReadOnlySpan<byte> encodedName, bool value) => WriteEncoded(encodedName, value ? "true"u8 : "false"u8);

    /// <summary>Writes a signed integer in invariant decimal digits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteInt64(scoped ReadOnlySpan<byte> encodedName, long value)
    {
        ref byte valueStart = ref WriteNameReserving(encodedName, MaxIntegerLength);
        _buffered += PutInt64(ref valueStart, value);
    }

    /// <summary>Writes an unsigned integer in invariant decimal digits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUInt64(scoped ReadOnlySpan<byte> encodedName, ulong value)
    {
        ref byte valueStart = ref WriteNameReserving(encodedName, MaxIntegerLength);
        _buffered += PutUInt64(ref valueStart, value);
    }

    /// <summary>Writes a double in JavaScript's <c>Number#toString</c> form; NaN and infinities omit the property.</summary>
    public void WriteDouble(scoped ReadOnlySpan<byte> encodedName, double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        ref byte valueStart = ref WriteNameReserving(encodedName, MaxNumberLength);
        _buffered += PutDouble(ref valueStart, value);
    }

    /// <summary>Writes a float in JavaScript's <c>Number#toString</c> form (shortest float digits); NaN and infinities omit the property.</summary>
    public void WriteSingle(scoped ReadOnlySpan<byte> encodedName, float value)
    {
        if (!float.IsFinite(value))
        {
            return;
        }

        ref byte valueStart = ref WriteNameReserving(encodedName, MaxNumberLength);
        _buffered += PutSingle(ref valueStart, value);
    }

    /// <summary>Writes a decimal, invariant, without trailing zeros or exponent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteDecimal(scoped ReadOnlySpan<byte> encodedName, decimal value)
    {
        ref byte valueStart = ref WriteNameReserving(encodedName, MaxDecimalLength);
        _buffered += PutDecimal(ref valueStart, value);
    }

    // ---- revenue: a value sent under its own name and again as Billing Amount unless it is zero ------------

    /// <summary>
    /// Writes <c>&amp;name=value</c>, and when the value is not zero <c>&amp;copyName=value</c> as well, formatted once
    /// (a revenue and Kissmetrics' <c>Billing Amount</c>).
    /// </summary>
    /// <param name="encodedName">The property's name.</param>
    /// <param name="encodedCopyName">The name the value is repeated under unless it is zero.</param>
    /// <param name="value">The value.</param>
    public void WriteDecimal(scoped ReadOnlySpan<byte> encodedName, scoped ReadOnlySpan<byte> encodedCopyName, decimal value)
    {
        ref byte number = ref WriteRevenueNameReserving(encodedName, encodedCopyName, MaxDecimalLength);
        int length = PutDecimal(ref number, value);
        _buffered += length + PutCopyUnlessZero(ref number, length, encodedCopyName);
    }

    /// <inheritdoc cref="WriteDecimal(ReadOnlySpan{byte}, ReadOnlySpan{byte}, decimal)"/>
    public void WriteDouble(scoped ReadOnlySpan<byte> encodedName, scoped ReadOnlySpan<byte> encodedCopyName, double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        ref byte number = ref WriteRevenueNameReserving(encodedName, encodedCopyName, MaxNumberLength);
        int length = PutDouble(ref number, value);
        _buffered += length + PutCopyUnlessZero(ref number, length, encodedCopyName);
    }

    /// <inheritdoc cref="WriteDecimal(ReadOnlySpan{byte}, ReadOnlySpan{byte}, decimal)"/>
    public void WriteSingle(scoped ReadOnlySpan<byte> encodedName, scoped ReadOnlySpan<byte> encodedCopyName, float value)
    {
        if (!float.IsFinite(value))
        {
            return;
        }

        ref byte number = ref WriteRevenueNameReserving(encodedName, encodedCopyName, MaxNumberLength);
        int length = PutSingle(ref number, value);
        _buffered += length + PutCopyUnlessZero(ref number, length, encodedCopyName);
    }

    /// <inheritdoc cref="WriteDecimal(ReadOnlySpan{byte}, ReadOnlySpan{byte}, decimal)"/>
    public void WriteInt64(scoped ReadOnlySpan<byte> encodedName, scoped ReadOnlySpan<byte> encodedCopyName, long value)
    {
        ref byte number = ref WriteRevenueNameReserving(encodedName, encodedCopyName, MaxIntegerLength);
        int length = PutInt64(ref number, value);
        _buffered += length + PutCopyUnlessZero(ref number, length, encodedCopyName);
    }

    /// <inheritdoc cref="WriteDecimal(ReadOnlySpan{byte}, ReadOnlySpan{byte}, decimal)"/>
    public void WriteUInt64(scoped ReadOnlySpan<byte> encodedName, scoped ReadOnlySpan<byte> encodedCopyName, ulong value)
    {
        ref byte number = ref WriteRevenueNameReserving(encodedName, encodedCopyName, MaxIntegerLength);
        int length = PutUInt64(ref number, value);
        _buffered += length + PutCopyUnlessZero(ref number, length, encodedCopyName);
    }

    /// <summary>Writes Unix seconds (floor); a <see cref="DateTimeKind.Unspecified"/> value is taken as UTC.</summary>
    public void WriteDateTime(scoped ReadOnlySpan<byte> encodedName, DateTime value) => WriteInt64(encodedName, UnixSeconds(value));

    /// <summary>Writes Unix seconds (floor).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteDateTimeOffset(scoped ReadOnlySpan<byte> encodedName, DateTimeOffset value) =>
        WriteInt64(encodedName, UnixTime.SecondsFromTicks(value.UtcTicks));

#if NET
    // DateOnly is .NET 6+: on netstandard2.0 there is no such property type to write.

    /// <summary>Writes the Unix seconds of the date's midnight, UTC.</summary>
    public void WriteDateOnly(scoped ReadOnlySpan<byte> encodedName, DateOnly value) => WriteInt64(encodedName, UnixSeconds(value));
#endif

    /// <summary>Writes a GUID in <c>D</c> format.</summary>
    public void WriteGuid(scoped ReadOnlySpan<byte> encodedName, Guid value)
    {
        ref byte valueStart = ref WriteNameReserving(encodedName, GuidLength);
        _buffered += PutGuid(ref valueStart, value);
    }

    // ---- building blocks for joined collections ---------------------------------------------------------

    /// <summary>Writes <c>&amp;name=</c>; the value follows with the <c>Write...Value</c> methods.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteName(scoped ReadOnlySpan<byte> encodedName) => WriteNameReserving(encodedName, 0);

    /// <summary>Writes the <c>,</c> between joined collection elements (percent-encoded).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteListSeparator() => WriteAscii("%2C"u8);

    /// <summary>Writes a string value, percent-encoded; <see langword="null"/> writes nothing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteStringValue(string? value)
    {
        if (value is not null)
        {
            WriteEncodedText(value);
        }
    }

    /// <summary>Writes a value that was percent-encoded at compile time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteEncodedValue(scoped ReadOnlySpan<byte> encodedValue) => WriteAscii(encodedValue);

    /// <summary>Writes <c>true</c> or <c>false</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteBooleanValue(bool value) => WriteAscii(value ? "true"u8 : "false"u8);

    /// <summary>Writes a signed integer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteInt64Value(long value)
    {
        ref byte destination = ref Reserve(MaxIntegerLength);
        _buffered += PutInt64(ref destination, value);
    }

    /// <summary>Writes an unsigned integer.</summary>
    public void WriteUInt64Value(ulong value)
    {
        ref byte destination = ref Reserve(MaxIntegerLength);
        _buffered += PutUInt64(ref destination, value);
    }

    /// <summary>Writes a double in JavaScript's form; NaN and infinities write nothing.</summary>
    public void WriteDoubleValue(double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        ref byte destination = ref Reserve(MaxNumberLength);
        _buffered += PutDouble(ref destination, value);
    }

    /// <summary>Writes a float in JavaScript's form; NaN and infinities write nothing.</summary>
    public void WriteSingleValue(float value)
    {
        if (!float.IsFinite(value))
        {
            return;
        }

        ref byte destination = ref Reserve(MaxNumberLength);
        _buffered += PutSingle(ref destination, value);
    }

    /// <summary>Writes a decimal without trailing zeros.</summary>
    public void WriteDecimalValue(decimal value)
    {
        ref byte destination = ref Reserve(MaxDecimalLength);
        _buffered += PutDecimal(ref destination, value);
    }

    /// <summary>Writes Unix seconds (floor).</summary>
    public void WriteDateTimeValue(DateTime value) => WriteInt64Value(UnixSeconds(value));

    /// <summary>Writes Unix seconds (floor).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteDateTimeOffsetValue(DateTimeOffset value) => WriteInt64Value(UnixTime.SecondsFromTicks(value.UtcTicks));

#if NET
    /// <summary>Writes the Unix seconds of the date's midnight, UTC.</summary>
    public void WriteDateOnlyValue(DateOnly value) => WriteInt64Value(UnixSeconds(value));
#endif

    /// <summary>Writes a GUID in <c>D</c> format.</summary>
    public void WriteGuidValue(Guid value)
    {
        ref byte destination = ref Reserve(GuidLength);
        _buffered += PutGuid(ref destination, value);
    }

    /// <summary>
    /// <paramref name="items"/> as a list when it is one (arrays and <see cref="System.Collections.Generic.List{T}"/> are), so a
    /// generated serializer can walk a property declared as <see cref="System.Collections.Generic.IEnumerable{T}"/> by index
    /// instead of allocating an enumerator; <see langword="null"/> otherwise.
    /// </summary>
    /// <param name="items">The collection a property holds.</param>
    public static System.Collections.Generic.IReadOnlyList<T>? AsReadOnlyList<T>(System.Collections.Generic.IEnumerable<T> items) =>
        items as System.Collections.Generic.IReadOnlyList<T>;

    // ---- used by the formatter --------------------------------------------------------------------------

    /// <summary>Copies bytes that need no encoding (paths, control parameters, pre-encoded names).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteAscii(scoped ReadOnlySpan<byte> bytes)
    {
        ref byte destination = ref Reserve(bytes.Length);
        _buffered += PutBytes(ref destination, bytes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteByte(byte value)
    {
        Reserve(1) = value;
        _buffered++;
    }

    /// <summary>Encodes UTF-16 text as UTF-8 (lone surrogates become U+FFFD) and percent-encodes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteEncodedText(scoped ReadOnlySpan<char> text)
    {
        // Only the choice is inlined into a generated serializer: with either loop inlined at each of its strings,
        // the serializer grew several kilobytes and a larger frame.
        if (text.Length <= ShortText)
        {
            int encoded = PutShortText(ref Reserve(MaxShortTextLength(text.Length)), text);
            if (encoded >= 0)
            {
                _buffered += encoded;
                return;
            }
        }

        WriteEncodedLongText(text);
    }

    /// <summary>The bytes <see cref="PutShortText"/> may store for <paramref name="length"/> characters: all escaped, plus one block stored whole past the end.</summary>
    private static int MaxShortTextLength(int length) => (length * 3) + BlockChars;

    /// <summary>
    /// Runs of unreserved characters are found vectorised and narrowed straight into the output (for them UTF-16 to
    /// UTF-8 is narrowing); only the characters between runs are encoded one by one. No intermediate buffer.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WriteEncodedLongText(scoped ReadOnlySpan<char> text)
    {
        while (true)
        {
            int run = IndexOfReserved(text);
            if (run < 0)
            {
                WriteNarrowed(text);
                return;
            }

            if (run > 0)
            {
                WriteNarrowed(text.Slice(0, run));
            }

            text = text.Slice(run + WriteEscapedCharacter(text.Slice(run)));
            if (text.IsEmpty)
            {
                return;
            }
        }
    }

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
    private static int PutShortText(ref byte output, scoped ReadOnlySpan<char> text)
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
    private static int IndexOfReserved(scoped ReadOnlySpan<char> text)
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
    private static int IndexOfReserved(scoped ReadOnlySpan<byte> utf8)
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

    /// <summary>Replaces the <c>+</c> of a number's exponent (<c>1e+21</c>) by <c>%2B</c>; returns the new length.</summary>
    private static int EncodeExponentSign(Span<byte> number, int length)
    {
        int plus = number.Slice(0, length).IndexOf((byte)'+');
        if (plus < 0)
        {
            return length;
        }

        number.Slice(plus + 1, length - plus - 1).CopyTo(number.Slice(plus + 3));
        number[plus] = (byte)'%';
        number[plus + 1] = (byte)'2';
        number[plus + 2] = (byte)'B';
        return length + 2;
    }


    /// <summary>
    /// Formats a decimal whose mantissa fits 64 bits (all but the huge ones) without <c>decimal.TryFormat</c>:
    /// the mantissa's digits with the point put back, trailing zeros dropped.
    /// </summary>
    private static bool TryFormatDecimal(decimal value, Span<byte> destination, out int written)
    {
        // A fixed-size local rather than stackalloc: no stack probe or cookie, and the method stays eligible for tiering.
#if NET
        DecimalBits bits = default;
        decimal.GetBits(value, bits);
        int low = bits[0], middle = bits[1], high = bits[2], flags = bits[3];
#else
        DecimalParts.Read(value, out int low, out int middle, out int high, out int flags);
#endif
        if (high != 0)
        {
            written = 0;
            return false;
        }

        ulong mantissa = ((ulong)(uint)middle << 32) | (uint)low;
        int scale = (flags >> 16) & 0xFF;
        while (scale > 0 && mantissa % 10 == 0)
        {
            mantissa /= 10;
            scale--;
        }

        written = FixedPoint.Format(mantissa, scale, flags < 0 && mantissa != 0, destination);
        return true;
    }

    /// <summary>A decimal whose mantissa needs more than 64 bits, through .NET's formatter, trailing zeros dropped.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int FormatLargeDecimal(decimal value, Span<byte> destination)
    {
#if NET
        value.TryFormat(destination, out int length, default, CultureInfo.InvariantCulture);
#else
        // Utf8Formatter's 'G' is decimal.ToString(InvariantCulture): every digit of the scale, never an exponent.
        Utf8Formatter.TryFormat(value, destination, out int length);
#endif
        if (destination.Slice(0, length).Contains((byte)'.'))
        {
            while (destination[length - 1] == (byte)'0')
            {
                length--;
            }

            if (destination[length - 1] == (byte)'.')
            {
                length--;
            }
        }

        return length;
    }

#if NET
    [InlineArray(4)]
    private struct DecimalBits
    {
        private int _element;
    }
#endif

    /// <summary>Copies unreserved (so ASCII) characters as bytes.</summary>
    private void WriteNarrowed(scoped ReadOnlySpan<char> ascii)
    {
        ref byte destination = ref Reserve(ascii.Length);
#if NET
        Ascii.FromUtf16(ascii, MemoryMarshal.CreateSpan(ref destination, ascii.Length), out int written);
        _buffered += written;
#else
        for (int i = 0; i < ascii.Length; i++)
        {
            Unsafe.Add(ref destination, i) = (byte)ascii[i];
        }

        _buffered += ascii.Length;
#endif
    }

    /// <summary>Percent-encodes the first character of <paramref name="text"/>, or its first surrogate pair; returns the characters used.</summary>
    private int WriteEscapedCharacter(scoped ReadOnlySpan<char> text)
    {
        char first = text[0];
        if (first < 0x80)
        {
            PutEscapedByte(ref Reserve(3), (byte)first);
            _buffered += 3;
            return 1;
        }

        return WriteEscapedRune(text);
    }

    /// <summary>Percent-encodes the UTF-8 bytes of the first character (or surrogate pair) of <paramref name="text"/>, which is not ASCII.</summary>
    private int WriteEscapedRune(scoped ReadOnlySpan<char> text)
    {
        // A lone surrogate decodes as U+FFFD and uses one char, as Utf8.FromUtf16 with replacement does.
        Span<byte> utf8 = stackalloc byte[4];
        int length = Utf8Scalar.EncodeFirst(text, utf8, out int used);
        ref byte destination = ref Reserve(length * 3);
        for (int i = 0; i < length; i++)
        {
            PutEscapedByte(ref Unsafe.Add(ref destination, i * 3), utf8[i]);
        }

        _buffered += length * 3;
        return used;
    }

    /// <summary>Percent-encodes UTF-8 bytes: runs of unreserved bytes are found vectorised and copied whole.</summary>
    internal void WriteEncodedUtf8(scoped ReadOnlySpan<byte> utf8)
    {
        ref byte destination = ref Reserve(utf8.Length * 3);
        int written = 0;
        while (true)
        {
            int escape = IndexOfReserved(utf8);
            if (escape < 0)
            {
                written += PutBytes(ref Unsafe.Add(ref destination, written), utf8);
                break;
            }

            written += PutBytes(ref Unsafe.Add(ref destination, written), utf8.Slice(0, escape));
            PutEscapedByte(ref Unsafe.Add(ref destination, written), utf8[escape]);
            written += 3;
            utf8 = utf8.Slice(escape + 1);
        }

        _buffered += written;
    }

    // ---- the buffer ---------------------------------------------------------------------------------------
    //
    // Every write reserves the most bytes it can produce once, then stores through a reference to the reserved bytes
    // with the Put methods below: one capacity check per value instead of a bounds check per store. The Put methods
    // write at most the bytes their caller reserved (each says how many) and return how many they wrote.

    /// <summary>The place of the next byte, with room for <paramref name="count"/> bytes from it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref byte Reserve(int count)
    {
        if (_span.Length - _buffered < count)
        {
            Grow(count);
        }

        return ref Unsafe.Add(ref MemoryMarshal.GetReference(_span), _buffered);
    }

    /// <summary>
    /// Writes <c>&amp;name=</c> with room for <paramref name="valueRoom"/> bytes after it, in one reservation; returns the
    /// place of the value, which the caller fills with at most that many bytes and adds to the position.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref byte WriteNameReserving(scoped ReadOnlySpan<byte> encodedName, int valueRoom)
    {
        ref byte destination = ref Reserve(encodedName.Length + 2 + valueRoom);
        int written = PutName(ref destination, encodedName);
        _buffered += written;
        return ref Unsafe.Add(ref destination, written);
    }

    /// <summary>
    /// <see cref="WriteNameReserving"/> for a revenue: room for the number and for <c>&amp;copyName=</c> and the number
    /// again, that is twice <paramref name="maxNumberLength"/>, which <see cref="PutCopyUnlessZero"/> relies on to copy
    /// a short number as one word.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref byte WriteRevenueNameReserving(scoped ReadOnlySpan<byte> encodedName, scoped ReadOnlySpan<byte> encodedCopyName, int maxNumberLength) =>
        ref WriteNameReserving(encodedName, encodedCopyName.Length + 2 + (2 * maxNumberLength));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int count)
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _buffered = 0;
        }

        _span = _output.GetSpan(Math.Max(count, MinimumBufferSize));
        if (_span.Length < count)
        {
            ThrowBufferTooSmall(count);
        }
    }

    [DoesNotReturn]
    private static void ThrowBufferTooSmall(int count) =>
        throw new InvalidOperationException($"The buffer writer returned less than the {count} bytes asked of GetSpan.");

    /// <summary><c>&amp;name=</c>: the name's length plus 2 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PutName(ref byte destination, scoped ReadOnlySpan<byte> encodedName)
    {
        destination = (byte)'&';
        PutBytes(ref Unsafe.Add(ref destination, 1), encodedName);
        Unsafe.Add(ref destination, encodedName.Length + 1) = (byte)'=';
        return encodedName.Length + 2;
    }

    /// <summary>The bytes as they are: their length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PutBytes(ref byte destination, scoped ReadOnlySpan<byte> bytes)
    {
        // Same length on both sides, so the copy has no check left; a constant length (a name) is copied unrolled.
#if NET
        bytes.CopyTo(MemoryMarshal.CreateSpan(ref destination, bytes.Length));
#else
        // netstandard2.0 cannot make a span over a reference; a block copy is the same for the bytes.
        if (!bytes.IsEmpty)
        {
            Unsafe.CopyBlockUnaligned(ref destination, ref MemoryMarshal.GetReference(bytes), (uint)bytes.Length);
        }
#endif
        return bytes.Length;
    }

    /// <summary><c>%XX</c>: 3 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PutEscapedByte(ref byte destination, byte value)
    {
        ref byte hex = ref MemoryMarshal.GetReference("0123456789ABCDEF"u8);
        destination = (byte)'%';
        Unsafe.Add(ref destination, 1) = Unsafe.Add(ref hex, value >> 4);
        Unsafe.Add(ref destination, 2) = Unsafe.Add(ref hex, value & 0xF);
    }

    /// <summary>
    /// After the <paramref name="length"/> bytes of a number at <paramref name="value"/>: <c>&amp;copyName=</c> and the
    /// same bytes, unless they are <c>0</c>, the only form zero takes (decimals without trailing zeros, -0 as 0): the
    /// copy name's length plus 2 plus <paramref name="length"/> bytes at most.
    /// </summary>
    private static int PutCopyUnlessZero(ref byte value, int length, scoped ReadOnlySpan<byte> encodedCopyName)
    {
        if (length == 1 && value == (byte)'0')
        {
            return 0;
        }

        ref byte destination = ref Unsafe.Add(ref value, length);
        int written = PutName(ref destination, encodedCopyName);
        ref byte copy = ref Unsafe.Add(ref destination, written);
        if (length <= 8)
        {
            // Most amounts: one word (a number is at least one byte, and WriteRevenueNameReserving reserved twice the
            // longest number, so reading eight from its start and writing eight after the copy name stay within it).
            Unsafe.WriteUnaligned(ref copy, Unsafe.ReadUnaligned<ulong>(ref value));
        }
        else
        {
            Unsafe.CopyBlockUnaligned(ref copy, ref value, (uint)length);
        }

        return written + length;
    }

    /// <summary>A signed integer: <see cref="MaxIntegerLength"/> bytes at most.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PutInt64(ref byte destination, long value)
    {
        if (value >= 0)
        {
            return PutUInt64(ref destination, (ulong)value);
        }

        destination = (byte)'-';
        return 1 + PutUInt64(ref Unsafe.Add(ref destination, 1), 0UL - (ulong)value);
    }

    /// <summary>An unsigned integer: <see cref="MaxIntegerLength"/> bytes at most.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PutUInt64(ref byte destination, ulong value)
    {
#if NET
        return FixedPoint.WriteDigits(MemoryMarshal.CreateSpan(ref destination, MaxIntegerLength), value);
#else
        Span<byte> number = stackalloc byte[MaxIntegerLength];
        return CopyOut(number, FixedPoint.WriteDigits(number, value), ref destination);
#endif
    }

    /// <summary>A finite double in JavaScript's form: <see cref="MaxNumberLength"/> bytes at most.</summary>
    private static int PutDouble(ref byte destination, double value)
    {
        // Formatted in place: the text is ASCII and only an exponent's '+' needs encoding. The fast path (prices,
        // ratios, counts) never writes an exponent, so only the general path looks for one.
#if NET
        Span<byte> number = MemoryMarshal.CreateSpan(ref destination, MaxNumberLength);
#else
        Span<byte> number = stackalloc byte[MaxNumberLength];
#endif
        return CopyOut(
            number,
            JavaScriptNumber.TryFormatShortDecimal(value, number, out int written) ? written : EncodeExponentSign(number, JavaScriptNumber.FormatShortest(value, number)),
            ref destination);
    }

    /// <summary>A finite float in JavaScript's form: <see cref="MaxNumberLength"/> bytes at most.</summary>
    private static int PutSingle(ref byte destination, float value)
    {
#if NET
        Span<byte> number = MemoryMarshal.CreateSpan(ref destination, MaxNumberLength);
#else
        Span<byte> number = stackalloc byte[MaxNumberLength];
#endif
        return CopyOut(number, EncodeExponentSign(number, JavaScriptNumber.Format(value, number)), ref destination);
    }

    /// <summary>A decimal without trailing zeros: <see cref="MaxDecimalLength"/> bytes at most.</summary>
    private static int PutDecimal(ref byte destination, decimal value)
    {
#if NET
        Span<byte> number = MemoryMarshal.CreateSpan(ref destination, MaxDecimalLength);
#else
        Span<byte> number = stackalloc byte[MaxDecimalLength];
#endif
        return CopyOut(number, TryFormatDecimal(value, number, out int written) ? written : FormatLargeDecimal(value, number), ref destination);
    }

    /// <summary>A GUID in <c>D</c> format: <see cref="GuidLength"/> bytes.</summary>
    private static int PutGuid(ref byte destination, Guid value)
    {
#if NET
        value.TryFormat(MemoryMarshal.CreateSpan(ref destination, GuidLength), out int written, "D");
        return written;
#else
        Span<byte> guid = stackalloc byte[GuidLength];
        Utf8Formatter.TryFormat(value, guid, out int written, new StandardFormat('D'));
        return CopyOut(guid, written, ref destination);
#endif
    }

    // .NET formats a value in place, through a span over the reserved bytes, and CopyOut has nothing to do.
    // netstandard2.0 has no span over a reference (MemoryMarshal.CreateSpan), so there the value is formatted on the
    // stack and CopyOut copies it to the reserved bytes: at most 40 bytes.
#if NET
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CopyOut(Span<byte> number, int written, ref byte destination)
    {
        _ = number;
        _ = destination;
        return written;
    }
#else
    private static int CopyOut(Span<byte> number, int written, ref byte destination)
    {
        Unsafe.CopyBlockUnaligned(ref destination, ref MemoryMarshal.GetReference(number), (uint)written);
        return written;
    }
#endif

    private static long UnixSeconds(DateTime value) =>
        UnixTime.SecondsFromTicks(value.Kind == DateTimeKind.Local ? value.ToUniversalTime().Ticks : value.Ticks);

#if NET
    private static long UnixSeconds(DateOnly value) => UnixTime.SecondsFromTicks(value.DayNumber * TimeSpan.TicksPerDay);
#endif
}
