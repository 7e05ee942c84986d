namespace Kissmetrics.Typed.Delivery.Transport;

/// <summary>
/// One attempt inside the socket transport, from <see cref="SocketTransport.Send"/> to its completion: the caller's
/// request (handed back to the sink as it came), the sink, the transport's own copy of the framed HTTP request (the
/// caller's bytes are not kept past <c>Send</c>), and when it was sent. A struct held in the connections' queues, so an
/// attempt allocates nothing.
/// </summary>
internal struct PendingAttempt
{
    /// <summary>The request as the caller gave it, for the sink.</summary>
    public OutgoingRequest Request;

    /// <summary>Who hears the end.</summary>
    public IAttemptSink Sink;

    /// <summary>The framed HTTP request (pooled; returned when the attempt ends).</summary>
    public byte[] Frame;

    /// <summary>The length of the framed request in <see cref="Frame"/>.</summary>
    public int FrameLength;

    /// <summary>The <see cref="System.TimeProvider.GetTimestamp"/> of <c>Send</c>: the timeout counts from here.</summary>
    public long StartedAt;

    /// <summary>How many times the attempt moved on from a connection that answered nothing; bounded so that a server that closes every connection at once cannot keep it moving for ever.</summary>
    public int Moves;
}
