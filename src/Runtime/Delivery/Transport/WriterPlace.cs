namespace Kissmetrics.Typed.Delivery.Transport;

/// <summary>
/// Who writes to one <see cref="Http1Connection"/>, and who must be woken for a request queued on it: its send loop,
/// or its receive loop on its way out of a batch of answers. All of it is read and changed under the transport's lock.
/// </summary>
/// <remarks>
/// <para>
/// Why the receive loop writes at all: with few requests in flight, each answer frees the slot of the next request,
/// which the answer's sink queues on this very connection (it is the least loaded one). Waking the send loop for it is
/// a hop to another thread per request, often a thread wake-up, on top of the socket engine's own hand-off of the read
/// to the thread pool. The receive loop is already running on a thread: once every complete answer in its buffer has
/// been completed (and their sinks have queued what they start), it writes whatever is waiting on the connection in one
/// write, then reads again. Requests queued while no batch is running still wake the send loop, which coalesces them
/// (a request is never written alone on the thread that sends it: that made many small writes where the send loop
/// made one).
/// </para>
/// <para>
/// One holder of the writer's place at a time (<see cref="Held"/>, between taking a batch and the end of its write)
/// keeps the batches' bytes in the order their requests were marked written, which is the order the answers come back
/// in, and keeps two writes off one stream (an <see cref="System.Net.Security.SslStream"/> allows one at a time).
/// </para>
/// <para>
/// A receive loop must never wait for the server to take our bytes (the server may be waiting for us to read its
/// answers), so its write is the asynchronous one, which sends at once when the socket has room: when it cannot finish
/// at once it is handed to the send loop, still holding the place, and the receive loop reads on.
/// </para>
/// </remarks>
internal sealed class WriterPlace
{
    /// <summary>The send loop is waiting for a wake-up: it took a batch, found nothing, and waits. Under the transport's lock.</summary>
    public bool SendLoopWaiting { get; set; }

    /// <summary>The place is held: a batch was taken and its write has not ended (the send loop, or the receive loop writing inline). Under the transport's lock.</summary>
    public bool Held { get; set; }

    /// <summary>The receive loop is completing the answers of one read; it writes what gets queued meanwhile before it reads again. Under the transport's lock.</summary>
    public bool ReceiveBatch { get; set; }

    /// <summary>A request was queued (or room made for one): whether to wake the send loop for it. Not while someone writes (its next batch takes it) nor during a receive batch (the receive loop takes it).</summary>
    public bool ShouldWakeSendLoop => SendLoopWaiting && !Held && !ReceiveBatch;

    /// <summary>At the end of a receive batch: takes the place for the receive loop when the send loop is idle and nobody writes.</summary>
    /// <returns>Whether the receive loop now holds the place (and writes); otherwise the holder of it takes the waiting requests in its next batch.</returns>
    public bool TryTakeForReceiveLoop()
    {
        ReceiveBatch = false;
        if (SendLoopWaiting && !Held)
        {
            Held = true;
            return true;
        }

        return false;
    }
}
