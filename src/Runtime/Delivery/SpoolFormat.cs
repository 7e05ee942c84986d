using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace Kissmetrics.Typed.Delivery;

/// <summary>
/// The bytes of a spool, in one place: its request lines and its acknowledgement records, both authenticated with the
/// spool's own secret (<see cref="SpoolDirectory"/> keeps it in <c>spool.key</c>, <c>0600</c>).
/// <para>
/// A line is <c>&lt;accepted, Unix ms&gt; &lt;request&gt; &lt;tag, 16 hex digits&gt;\n</c>. The request is percent-encoded
/// ASCII without spaces, so the fields need no escaping. The tag is the first 8 bytes of HMAC-SHA-256 over the time and
/// the request: a torn, truncated or altered line, or one planted by someone who does not hold the key, is recognised and
/// skipped, never sent with the API key.
/// </para>
/// <para>
/// An acknowledgement record (8 bytes, in the segment's <c>.kmack</c> file) says that the line at an offset of a segment
/// was accounted for (delivered, or finally dropped and counted), so a start after a crash does not send it again: the
/// offset (int32, little-endian) and a 32-bit check of the segment's number and the offset, keyed by the same secret. A
/// record that does not check out (a torn write) is ignored, so its line is sent again: the safe direction.
/// </para>
/// </summary>
internal sealed class SpoolFormat
{
    /// <summary>The most bytes a line adds around its request.</summary>
    public const int Overhead = 20 + 1 + 1 + (2 * TagBytes) + 1;

    /// <summary>The bytes of one acknowledgement record.</summary>
    public const int AcknowledgementSize = 8;

    /// <summary>The bytes of a spool's secret.</summary>
    public const int KeySize = 32;

    private const int TagBytes = 8;

    private readonly byte[] _key;
    private readonly ulong _acknowledgementSeed;
#if !NET
    // netstandard2.0 has no one-shot HMACSHA256.HashData over spans: one keyed instance, reused under a lock (the
    // spool writes and reads lines from several threads), with the covered bytes copied into a pooled array. Its
    // ComputeHash returns a new 32-byte array per line: an allocation per spooled line on netstandard2.0 only.
    private readonly HMACSHA256 _hmac;
#endif

    /// <summary>A format keyed by <paramref name="key"/> (<see cref="KeySize"/> bytes).</summary>
    public SpoolFormat(byte[] key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"A spool key is {KeySize} bytes, not {key.Length}.", nameof(key));
        }

        _key = key;
#if !NET
        _hmac = new HMACSHA256(key);
#endif
        _acknowledgementSeed = BinaryPrimitives.ReadUInt64LittleEndian(key) ^ BinaryPrimitives.ReadUInt64LittleEndian(key.AsSpan(8));
    }

    /// <summary>Writes the line for <paramref name="request"/> into <paramref name="destination"/> (at least <c>request.Length + Overhead</c> bytes); returns its length.</summary>
    public int Write(Span<byte> destination, long acceptedUnixMilliseconds, ReadOnlySpan<byte> request)
    {
        Utf8Formatter.TryFormat(acceptedUnixMilliseconds, destination, out int length);
        destination[length++] = (byte)' ';
        request.CopyTo(destination.Slice(length));
        length += request.Length;
        ulong tag = Tag(destination.Slice(0, length));
        destination[length++] = (byte)' ';
        Utf8Formatter.TryFormat(tag, destination.Slice(length), out int written, new System.Buffers.StandardFormat('x', 2 * TagBytes));
        length += written;
        destination[length++] = (byte)'\n';
        return length;
    }

    /// <summary>Reads a line (without its <c>'\n'</c>); <see langword="false"/> when it is not one this spool wrote intact.</summary>
    public bool TryParse(ReadOnlySpan<byte> line, out long acceptedUnixMilliseconds, out ReadOnlySpan<byte> request)
    {
        acceptedUnixMilliseconds = 0;
        request = default;
        int firstSpace = line.IndexOf((byte)' ');
        int lastSpace = line.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace <= firstSpace + 3 || line.Length - lastSpace - 1 != 2 * TagBytes)
        {
            return false;
        }

        ReadOnlySpan<byte> covered = line.Slice(0, lastSpace);
        if (!Utf8Parser.TryParse(line.Slice(lastSpace + 1), out ulong tag, out int consumed, 'x') || consumed != 2 * TagBytes || tag != Tag(covered)
            || !Utf8Parser.TryParse(line.Slice(0, firstSpace), out acceptedUnixMilliseconds, out consumed) || consumed != firstSpace)
        {
            return false;
        }

        request = line.Slice(firstSpace + 1, lastSpace - firstSpace - 1);
        return request.Length >= 3 && request[0] == (byte)'/' && request[2] == (byte)'?' && request.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) < 0;
    }

    /// <summary>Writes the acknowledgement of the line at <paramref name="offset"/> of segment <paramref name="sequence"/>.</summary>
    public void WriteAcknowledgement(Span<byte> destination, long sequence, int offset)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, offset);
        BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(4), AcknowledgementCheck(sequence, offset));
    }

    /// <summary>Reads one acknowledgement record of segment <paramref name="sequence"/>; <see langword="false"/> when it does not check out.</summary>
    public bool TryReadAcknowledgement(ReadOnlySpan<byte> record, long sequence, out int offset)
    {
        offset = BinaryPrimitives.ReadInt32LittleEndian(record);
        return offset >= 0 && BinaryPrimitives.ReadUInt32LittleEndian(record.Slice(4)) == AcknowledgementCheck(sequence, offset);
    }

    private ulong Tag(ReadOnlySpan<byte> covered)
    {
#if NET
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, covered, mac);
        return BinaryPrimitives.ReadUInt64BigEndian(mac);
#else
        byte[] array = ArrayPool<byte>.Shared.Rent(covered.Length);
        try
        {
            covered.CopyTo(array);
            byte[] mac;
            lock (_hmac)
            {
                mac = _hmac.ComputeHash(array, 0, covered.Length);
            }

            return BinaryPrimitives.ReadUInt64BigEndian(mac);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(array);
        }
#endif
    }

    /// <summary>A keyed mix (splitmix64's finaliser) of the segment and the offset: it catches a torn record, and a record copied from another segment or another spool.</summary>
    private uint AcknowledgementCheck(long sequence, int offset)
    {
        ulong x = _acknowledgementSeed ^ ((ulong)sequence * 0x9E3779B97F4A7C15) ^ (uint)offset;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EB;
        x ^= x >> 31;
        return (uint)x ^ (uint)(x >> 32);
    }
}
