using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Kissmetrics.Typed.Compatibility;

namespace Kissmetrics.Typed.Serialization;

// Text into the buffer: UTF-16 and UTF-8 values percent-encoded with PercentEncoder's kernels, and bytes that need none.
public ref partial struct KissmetricsWriter
{
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
        if (text.Length <= PercentEncoder.ShortText)
        {
            int encoded = PercentEncoder.PutShortText(ref Reserve(PercentEncoder.MaxShortTextLength(text.Length)), text);
            if (encoded >= 0)
            {
                _buffered += encoded;
                return;
            }
        }

        WriteEncodedLongText(text);
    }

    /// <summary>
    /// Runs of unreserved characters are found vectorised and narrowed straight into the output (for them UTF-16 to
    /// UTF-8 is narrowing); only the characters between runs are encoded one by one. No intermediate buffer.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WriteEncodedLongText(scoped ReadOnlySpan<char> text)
    {
        while (true)
        {
            int run = PercentEncoder.IndexOfReserved(text);
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
            PercentEncoder.PutEscapedByte(ref Reserve(3), (byte)first);
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
            PercentEncoder.PutEscapedByte(ref Unsafe.Add(ref destination, i * 3), utf8[i]);
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
            int escape = PercentEncoder.IndexOfReserved(utf8);
            if (escape < 0)
            {
                written += PutBytes(ref Unsafe.Add(ref destination, written), utf8);
                break;
            }

            written += PutBytes(ref Unsafe.Add(ref destination, written), utf8.Slice(0, escape));
            PercentEncoder.PutEscapedByte(ref Unsafe.Add(ref destination, written), utf8[escape]);
            written += 3;
            utf8 = utf8.Slice(escape + 1);
        }

        _buffered += written;
    }
}
