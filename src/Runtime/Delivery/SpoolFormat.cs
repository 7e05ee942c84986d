using System;
using System.Buffers.Binary;
using System.Buffers.Text;

namespace Kissmetrics.Typed.Delivery;

/// <summary>
/// One spooled request per line: <c>&lt;accepted, Unix ms&gt; &lt;request&gt; &lt;checksum, 8 hex digits&gt;\n</c>. The
/// request is percent-encoded ASCII without spaces, so the fields need no escaping; the checksum covers the time and the
/// request, so a torn, truncated or altered line is recognised and skipped, never sent.
/// </summary>
internal static class SpoolFormat
{
    /// <summary>The most bytes a line adds around its request.</summary>
    public const int Overhead = 20 + 1 + 1 + 8 + 1;

    /// <summary>Writes the line for <paramref name="request"/> into <paramref name="destination"/> (at least <c>request.Length + Overhead</c> bytes); returns its length.</summary>
    public static int Write(Span<byte> destination, long acceptedUnixMilliseconds, ReadOnlySpan<byte> request)
    {
        Utf8Formatter.TryFormat(acceptedUnixMilliseconds, destination, out int length);
        destination[length++] = (byte)' ';
        request.CopyTo(destination.Slice(length));
        length += request.Length;
        uint checksum = Checksum(destination.Slice(0, length));
        destination[length++] = (byte)' ';
        Utf8Formatter.TryFormat(checksum, destination.Slice(length), out int written, new System.Buffers.StandardFormat('x', 8));
        length += written;
        destination[length++] = (byte)'\n';
        return length;
    }

    /// <summary>Reads a line (without its <c>'\n'</c>); <see langword="false"/> when it is not one this format wrote intact.</summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out long acceptedUnixMilliseconds, out ReadOnlySpan<byte> request)
    {
        acceptedUnixMilliseconds = 0;
        request = default;
        int firstSpace = line.IndexOf((byte)' ');
        int lastSpace = line.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace <= firstSpace + 3 || line.Length - lastSpace - 1 != 8)
        {
            return false;
        }

        ReadOnlySpan<byte> covered = line.Slice(0, lastSpace);
        if (!Utf8Parser.TryParse(line.Slice(lastSpace + 1), out uint checksum, out int consumed, 'x') || consumed != 8 || checksum != Checksum(covered)
            || !Utf8Parser.TryParse(line.Slice(0, firstSpace), out acceptedUnixMilliseconds, out consumed) || consumed != firstSpace)
        {
            return false;
        }

        request = line.Slice(firstSpace + 1, lastSpace - firstSpace - 1);
        return request.Length >= 3 && request[0] == (byte)'/' && request[2] == (byte)'?' && request.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) < 0;
    }

    /// <summary>A 32-bit checksum (FNV-style, eight bytes at a time): catches torn and altered lines, not an adversary.</summary>
    public static uint Checksum(ReadOnlySpan<byte> data)
    {
        const ulong Prime = 0x100000001b3;
        ulong hash = 0xcbf29ce484222325 ^ (ulong)data.Length;
        while (data.Length >= 8)
        {
            hash = (hash ^ BinaryPrimitives.ReadUInt64LittleEndian(data)) * Prime;
            hash ^= hash >> 29;
            data = data.Slice(8);
        }

        foreach (byte b in data)
        {
            hash = (hash ^ b) * Prime;
        }

        hash ^= hash >> 32;
        return (uint)hash;
    }
}
