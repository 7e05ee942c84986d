using System;

namespace Kissmetrics.Typed.Delivery;

/// <summary>
/// One serialized request (<c>&lt;path&gt;?&lt;query&gt;</c>) in a pooled buffer, with what the client needs to account for it:
/// the flush epoch it was accepted in and, when spooling, the spool segment holding its line.
/// </summary>
internal readonly struct OutgoingRequest
{
    /// <summary>The longest URL (endpoint and request) sent as GET; longer requests are POSTed as a form (mapping.md §2). Both transports follow it.</summary>
    public const int MaxGetUrlLength = 2048;

    public OutgoingRequest(byte[] buffer, int length, DeliveryEpoch epoch, SpoolSegment? segment)
    {
        Buffer = buffer;
        Length = length;
        Epoch = epoch;
        Segment = segment;
    }

    public byte[] Buffer { get; }

    public int Length { get; }

    public DeliveryEpoch Epoch { get; }

    public SpoolSegment? Segment { get; }

    public ReadOnlySpan<byte> Bytes => Buffer.AsSpan(0, Length);

    /// <summary>The path, <c>/e</c>, <c>/s</c> or <c>/a</c>: safe to log (the query carries the API key and the payload).</summary>
    public string PathForLog => Length >= 2 && Buffer[0] == (byte)'/' ? Buffer[1] switch
    {
        (byte)'e' => "/e",
        (byte)'s' => "/s",
        (byte)'a' => "/a",
        _ => "/?",
    } : "/?";
}
