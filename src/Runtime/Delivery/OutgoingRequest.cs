using System;
using System.Buffers;

namespace Kissmetrics.Typed.Delivery;

/// <summary>One serialized request (<c>&lt;path&gt;?&lt;query&gt;</c>) in a pooled buffer; the sender returns the buffer.</summary>
internal readonly struct OutgoingRequest
{
    public OutgoingRequest(byte[] buffer, int length)
    {
        Buffer = buffer;
        Length = length;
    }

    public byte[] Buffer { get; }

    public int Length { get; }

    public ReadOnlySpan<byte> Bytes => Buffer.AsSpan(0, Length);

    public static OutgoingRequest CopyOf(ReadOnlySpan<byte> line)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(line.Length);
        line.CopyTo(buffer);
        return new OutgoingRequest(buffer, line.Length);
    }

    public void Release() => ArrayPool<byte>.Shared.Return(Buffer);
}
