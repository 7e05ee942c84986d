using System;
using System.Buffers;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
public ref partial struct KissmetricsWriter
{
    private const int MinimumBufferSize = 256;

    // The longest decimal of the fast path; longer ones go through decimal.TryFormat.
    private const int MaxDecimalLength = FixedPoint.MaxLength;

    // A sign and 19 digits, or 20 digits.
    private const int MaxIntegerLength = 20;

    // JavaScript's longest number, with an exponent's '+' encoded as %2B.
    private const int MaxNumberLength = JavaScriptNumber.MaxLength + 2;

    private const int GuidLength = 36;

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
}
