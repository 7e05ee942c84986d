using System;
using System.Buffers;
using System.ComponentModel;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
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

    private static readonly SearchValues<byte> s_unreserved = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"u8);
    private static readonly SearchValues<char> s_unreservedChars = SearchValues.Create(PercentEncoding.UnreservedAscii);

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

        WriteName(encodedName);
        WriteEncodedText(value);
    }

    /// <summary>Writes a property whose value was percent-encoded at compile time (enum members, page names).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteEncoded(scoped ReadOnlySpan<byte> encodedName, scoped ReadOnlySpan<byte> encodedValue)
    {
        WriteName(encodedName);
        WriteAscii(encodedValue);
    }

    /// <summary>Writes <c>true</c> or <c>false</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteBoolean(scoped ReadOnlySpan<byte> encodedName, bool value)
    {
        WriteName(encodedName);
        WriteBooleanValue(value);
    }

    /// <summary>Writes a signed integer in invariant decimal digits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteInt64(scoped ReadOnlySpan<byte> encodedName, long value)
    {
        WriteName(encodedName);
        WriteInt64Value(value);
    }

    /// <summary>Writes an unsigned integer in invariant decimal digits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUInt64(scoped ReadOnlySpan<byte> encodedName, ulong value)
    {
        WriteName(encodedName);
        WriteUInt64Value(value);
    }

    /// <summary>Writes a double in JavaScript's <c>Number#toString</c> form; NaN and infinities omit the property.</summary>
    public void WriteDouble(scoped ReadOnlySpan<byte> encodedName, double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        WriteName(encodedName);
        WriteDoubleValue(value);
    }

    /// <summary>Writes a float in JavaScript's <c>Number#toString</c> form (shortest float digits); NaN and infinities omit the property.</summary>
    public void WriteSingle(scoped ReadOnlySpan<byte> encodedName, float value)
    {
        if (!float.IsFinite(value))
        {
            return;
        }

        WriteName(encodedName);
        WriteSingleValue(value);
    }

    /// <summary>Writes a decimal, invariant, without trailing zeros or exponent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteDecimal(scoped ReadOnlySpan<byte> encodedName, decimal value)
    {
        WriteName(encodedName);
        WriteDecimalValue(value);
    }

    /// <summary>Writes Unix seconds (floor); a <see cref="DateTimeKind.Unspecified"/> value is taken as UTC.</summary>
    public void WriteDateTime(scoped ReadOnlySpan<byte> encodedName, DateTime value)
    {
        WriteName(encodedName);
        WriteDateTimeValue(value);
    }

    /// <summary>Writes Unix seconds (floor).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteDateTimeOffset(scoped ReadOnlySpan<byte> encodedName, DateTimeOffset value)
    {
        WriteName(encodedName);
        WriteDateTimeOffsetValue(value);
    }

    /// <summary>Writes the Unix seconds of the date's midnight, UTC.</summary>
    public void WriteDateOnly(scoped ReadOnlySpan<byte> encodedName, DateOnly value)
    {
        WriteName(encodedName);
        WriteDateOnlyValue(value);
    }

    /// <summary>Writes a GUID in <c>D</c> format.</summary>
    public void WriteGuid(scoped ReadOnlySpan<byte> encodedName, Guid value)
    {
        WriteName(encodedName);
        WriteGuidValue(value);
    }

    // ---- building blocks for joined collections ---------------------------------------------------------

    /// <summary>Writes <c>&amp;name=</c>; the value follows with the <c>Write...Value</c> methods.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteName(scoped ReadOnlySpan<byte> encodedName)
    {
        Ensure(encodedName.Length + 2);
        Span<byte> destination = _span.Slice(_buffered);
        destination[0] = (byte)'&';
        encodedName.CopyTo(destination.Slice(1));
        destination[encodedName.Length + 1] = (byte)'=';
        _buffered += encodedName.Length + 2;
    }

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
        Ensure(20);
        value.TryFormat(_span.Slice(_buffered), out int written, default, CultureInfo.InvariantCulture);
        _buffered += written;
    }

    /// <summary>Writes an unsigned integer.</summary>
    public void WriteUInt64Value(ulong value)
    {
        Ensure(20);
        value.TryFormat(_span.Slice(_buffered), out int written, default, CultureInfo.InvariantCulture);
        _buffered += written;
    }

    /// <summary>Writes a double in JavaScript's form; NaN and infinities write nothing.</summary>
    public void WriteDoubleValue(double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        // Formatted in place: the text is ASCII and only an exponent's '+' needs encoding. The fast path (prices,
        // ratios, counts) never writes an exponent, so only the general path looks for one.
        Ensure(JavaScriptNumber.MaxLength + 2);
        Span<byte> destination = _span.Slice(_buffered);
        _buffered += JavaScriptNumber.TryFormatShortDecimal(value, destination, out int written)
            ? written
            : EncodeExponentSign(destination, JavaScriptNumber.FormatShortest(value, destination));
    }

    /// <summary>Writes a float in JavaScript's form; NaN and infinities write nothing.</summary>
    public void WriteSingleValue(float value)
    {
        if (!float.IsFinite(value))
        {
            return;
        }

        Ensure(JavaScriptNumber.MaxLength + 2);
        Span<byte> destination = _span.Slice(_buffered);
        _buffered += EncodeExponentSign(destination, JavaScriptNumber.Format(value, destination));
    }

    /// <summary>Writes a decimal without trailing zeros.</summary>
    public void WriteDecimalValue(decimal value)
    {
        Ensure(MaxDecimalLength);
        Span<byte> destination = _span.Slice(_buffered);
        _buffered += TryFormatDecimal(value, destination, out int written) ? written : FormatLargeDecimal(value, destination);
    }

    /// <summary>Writes Unix seconds (floor).</summary>
    public void WriteDateTimeValue(DateTime value)
    {
        long utcTicks = value.Kind == DateTimeKind.Local ? value.ToUniversalTime().Ticks : value.Ticks;
        WriteInt64Value(UnixTime.SecondsFromTicks(utcTicks));
    }

    /// <summary>Writes Unix seconds (floor).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteDateTimeOffsetValue(DateTimeOffset value) => WriteInt64Value(UnixTime.SecondsFromTicks(value.UtcTicks));

    /// <summary>Writes the Unix seconds of the date's midnight, UTC.</summary>
    public void WriteDateOnlyValue(DateOnly value) => WriteInt64Value(UnixTime.SecondsFromTicks(value.DayNumber * TimeSpan.TicksPerDay));

    /// <summary>Writes a GUID in <c>D</c> format.</summary>
    public void WriteGuidValue(Guid value)
    {
        Ensure(36);
        value.TryFormat(_span.Slice(_buffered), out int written, "D");
        _buffered += written;
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
        Ensure(bytes.Length);
        bytes.CopyTo(_span.Slice(_buffered));
        _buffered += bytes.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteByte(byte value)
    {
        Ensure(1);
        _span[_buffered++] = value;
    }

    /// <summary>Encodes UTF-16 text as UTF-8 (lone surrogates become U+FFFD) and percent-encodes it.</summary>
    /// <remarks>
    /// Runs of unreserved characters are found vectorised and narrowed straight into the output (for them UTF-16 to
    /// UTF-8 is narrowing); only the characters between runs are encoded one by one. No intermediate buffer.
    /// </remarks>
    internal void WriteEncodedText(scoped ReadOnlySpan<char> text)
    {
        if (text.Length <= ShortText)
        {
            WriteEncodedShortText(text);
            return;
        }

        while (true)
        {
            int run = text.IndexOfAnyExcept(s_unreservedChars);
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
    /// Short text (names, plans, cities, ids: most values) in one pass, eight characters at a time: each block is
    /// narrowed and stored whole, and the output advances over its unreserved prefix only, so a block with nothing to
    /// escape costs a dozen vector instructions and one with an escape continues right after it. The last few
    /// characters go through a table lookup each. No search setup, no intermediate buffer.
    /// </summary>
    private void WriteEncodedShortText(scoped ReadOnlySpan<char> text)
    {
        ReadOnlySpan<byte> unreserved = UnreservedTable;
        int i = 0;
        while (i < text.Length)
        {
            // Room for the rest as ASCII, each character percent-encoded at worst; a non-ASCII character ensures its own.
            Ensure((text.Length - i) * 3);
            Span<byte> destination = _span;
            int position = _buffered;
            if (Vector128.IsHardwareAccelerated)
            {
                ref ushort characters = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
                while (i <= text.Length - Vector128<ushort>.Count)
                {
                    // In bounds: the loop condition leaves a whole block from i; the output has 3 bytes per character left.
                    Vector128<ushort> block = Vector128.LoadUnsafe(ref characters, (nuint)i);
                    Vector128.Narrow(block, block).GetLower().CopyTo(destination.Slice(position));
                    uint kept = Unreserved(block).ExtractMostSignificantBits();
                    if (kept == 0xFF)
                    {
                        position += Vector128<ushort>.Count;
                        i += Vector128<ushort>.Count;
                        continue;
                    }

                    int run = BitOperations.TrailingZeroCount(~kept);
                    position += run;
                    i += run;
                    char escaped = text[i];
                    if (escaped >= 0x80)
                    {
                        break;
                    }

                    WriteEscapedByte(destination.Slice(position), (byte)escaped);
                    position += 3;
                    i++;
                }
            }

            for (; i < text.Length; i++)
            {
                char c = text[i];
                if (c >= 0x80)
                {
                    break;
                }

                if (unreserved[c] != 0)
                {
                    destination[position++] = (byte)c;
                }
                else
                {
                    WriteEscapedByte(destination.Slice(position), (byte)c);
                    position += 3;
                }
            }

            _buffered = position;
            if (i < text.Length)
            {
                i += WriteEscapedCharacter(text.Slice(i));
            }
        }
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

    /// <summary>Copies unreserved (so ASCII) characters as bytes.</summary>
    private void WriteNarrowed(scoped ReadOnlySpan<char> ascii)
    {
        Ensure(ascii.Length);
        Ascii.FromUtf16(ascii, _span.Slice(_buffered), out int written);
        _buffered += written;
    }

    /// <summary>Percent-encodes the first character of <paramref name="text"/>, or its first surrogate pair; returns the characters used.</summary>
    private int WriteEscapedCharacter(scoped ReadOnlySpan<char> text)
    {
        char first = text[0];
        if (first < 0x80)
        {
            Ensure(3);
            WriteEscapedByte(_span.Slice(_buffered), (byte)first);
            _buffered += 3;
            return 1;
        }

        return WriteEscapedRune(text);
    }

    /// <summary>Percent-encodes the UTF-8 bytes of the first character (or surrogate pair) of <paramref name="text"/>, which is not ASCII.</summary>
    private int WriteEscapedRune(scoped ReadOnlySpan<char> text)
    {
        // A lone surrogate decodes as U+FFFD and uses one char, as Utf8.FromUtf16 with replacement does.
        Rune.DecodeFromUtf16(text, out Rune rune, out int used);
        Span<byte> utf8 = stackalloc byte[4];
        int length = rune.EncodeToUtf8(utf8);
        Ensure(length * 3);
        Span<byte> destination = _span.Slice(_buffered);
        for (int i = 0; i < length; i++)
        {
            WriteEscapedByte(destination.Slice(i * 3), utf8[i]);
        }

        _buffered += length * 3;
        return used;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteEscapedByte(Span<byte> destination, byte value)
    {
        ReadOnlySpan<byte> hex = "0123456789ABCDEF"u8;
        destination[2] = hex[value & 0xF];
        destination[1] = hex[value >> 4];
        destination[0] = (byte)'%';
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
    /// Formats a decimal whose mantissa fits 64 bits (all but the huge ones) without <see cref="decimal.TryFormat(Span{byte}, out int, ReadOnlySpan{char}, IFormatProvider?)"/>:
    /// the mantissa's digits with the point put back, trailing zeros dropped.
    /// </summary>
    private static bool TryFormatDecimal(decimal value, Span<byte> destination, out int written)
    {
        // A fixed-size local rather than stackalloc: no stack probe or cookie, and the method stays eligible for tiering.
        DecimalBits bits = default;
        decimal.GetBits(value, bits);
        if (bits[2] != 0)
        {
            written = 0;
            return false;
        }

        ulong mantissa = ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
        int scale = (bits[3] >> 16) & 0xFF;
        while (scale > 0 && mantissa % 10 == 0)
        {
            mantissa /= 10;
            scale--;
        }

        written = FixedPoint.Format(mantissa, scale, bits[3] < 0 && mantissa != 0, destination);
        return true;
    }

    /// <summary>A decimal whose mantissa needs more than 64 bits, through .NET's formatter, trailing zeros dropped.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int FormatLargeDecimal(decimal value, Span<byte> destination)
    {
        value.TryFormat(destination, out int length, default, CultureInfo.InvariantCulture);
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

    [InlineArray(4)]
    private struct DecimalBits
    {
        private int _element;
    }

    /// <summary>Percent-encodes UTF-8 bytes: runs of unreserved bytes are found vectorised and copied whole.</summary>
    internal void WriteEncodedUtf8(scoped ReadOnlySpan<byte> utf8)
    {
        Ensure(utf8.Length * 3);
        Span<byte> destination = _span.Slice(_buffered);
        int written = 0;
        while (true)
        {
            int escape = utf8.IndexOfAnyExcept(s_unreserved);
            if (escape < 0)
            {
                utf8.CopyTo(destination.Slice(written));
                written += utf8.Length;
                break;
            }

            utf8.Slice(0, escape).CopyTo(destination.Slice(written));
            written += escape;
            WriteEscapedByte(destination.Slice(written), utf8[escape]);
            written += 3;
            utf8 = utf8.Slice(escape + 1);
        }

        _buffered += written;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int count)
    {
        if (_span.Length - _buffered < count)
        {
            Grow(count);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int count)
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _buffered = 0;
        }

        _span = _output.GetSpan(Math.Max(count, MinimumBufferSize));
    }
}
