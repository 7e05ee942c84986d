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

    /// <summary>What every URL starts with: the endpoint's scheme and authority and its path without the trailing '/' (<c>https://host/base/</c> + <c>/e?...</c> is <c>https://host/base/e?...</c>).</summary>
    public static string UrlPrefix(Uri endpoint) => endpoint.GetLeftPart(UriPartial.Authority) + endpoint.AbsolutePath.TrimEnd('/');

    /// <summary>Whether a request of <paramref name="length"/> bytes after a URL prefix of <paramref name="prefixLength"/> is a GET (or else a POST of its query as a form). The one rule both transports follow.</summary>
    public static bool IsGet(int prefixLength, int length) => prefixLength + length <= MaxGetUrlLength;

    public OutgoingRequest(byte[] buffer, int length, DeliveryEpoch epoch, SpoolSegment? segment, int spoolOffset = 0)
        : this(buffer, length, epoch, segment, spoolOffset, attemptStarted: 0)
    {
    }

    private OutgoingRequest(byte[] buffer, int length, DeliveryEpoch epoch, SpoolSegment? segment, int spoolOffset, long attemptStarted)
    {
        Buffer = buffer;
        Length = length;
        Epoch = epoch;
        Segment = segment;
        SpoolOffset = spoolOffset;
        AttemptStarted = attemptStarted;
    }

    public byte[] Buffer { get; }

    public int Length { get; }

    public DeliveryEpoch Epoch { get; }

    public SpoolSegment? Segment { get; }

    /// <summary>Where its line is in <see cref="Segment"/>: what its acknowledgement names.</summary>
    public int SpoolOffset { get; }

    /// <summary>When the current attempt started (a <see cref="TimeProvider.GetTimestamp"/> value): carried through the transport so its end can be timed without a per-request record.</summary>
    public long AttemptStarted { get; }

    public ReadOnlySpan<byte> Bytes => Buffer.AsSpan(0, Length);

    /// <summary>The same request, its attempt starting at <paramref name="timestamp"/>.</summary>
    public OutgoingRequest StartingAttempt(long timestamp) => new(Buffer, Length, Epoch, Segment, SpoolOffset, timestamp);

    /// <summary>The path, <c>/e</c>, <c>/s</c> or <c>/a</c>: safe to log (the query carries the API key and the payload).</summary>
    public string PathForLog => Length >= 2 && Buffer[0] == (byte)'/' ? Buffer[1] switch
    {
        (byte)'e' => "/e",
        (byte)'s' => "/s",
        (byte)'a' => "/a",
        _ => "/?",
    } : "/?";
}
