using System;

namespace Kissmetrics.Typed.Delivery;

/// <summary>
/// Where every request ends: exactly one outcome, counted once (<see cref="DeliveryTelemetry"/>), in the same place its
/// spool line is acknowledged, its buffer goes back to the pool and it leaves its flush epoch.
/// </summary>
internal sealed class RequestAccounting
{
    private readonly DeliveryTelemetry _telemetry;
    private readonly RequestBufferPool _pool;
    private readonly Spool? _spool;

    public RequestAccounting(DeliveryTelemetry telemetry, RequestBufferPool pool, Spool? spool)
    {
        _telemetry = telemetry;
        _pool = pool;
        _spool = spool;
    }

    public DeliveryTelemetry Telemetry => _telemetry;

    /// <summary>Delivered, rejected or given up after its attempts.</summary>
    public void Finished(in OutgoingRequest request, SendResult result, TimeSpan elapsed)
    {
        // Acknowledged in the spool before it is counted: once Statistics says delivered, a crash does not send it again.
        Acknowledge(request);
        _telemetry.Completed(request, result, elapsed);
        Release(request, complete: false);
    }

    /// <summary>Still unsent when the client stopped: kept in the spool for the next start, or dropped.</summary>
    public void AtShutdown(in OutgoingRequest request)
    {
        _telemetry.AtShutdown(keptInSpool: request.Segment is not null);
        Release(request, complete: false);
    }

    /// <summary>
    /// Written, and unanswered when the client stopped: its outcome is unknown (the tracker may have recorded it), so it
    /// is neither dropped nor sent again, except that a spooled one stays in the spool for the next start (kept in the spool).
    /// </summary>
    public void InFlightAtShutdown(in OutgoingRequest request)
    {
        bool spooled = request.Segment is not null;
        if (spooled)
        {
            _telemetry.AtShutdown(keptInSpool: true);
        }
        else
        {
            _telemetry.InFlightAtShutdown();
        }

        Release(request, complete: false);
    }

    /// <summary>Dropped because the queue was full (the new request, or the oldest with <see cref="KissmetricsQueueFullMode.DropOldest"/>).</summary>
    public void QueueFull(in OutgoingRequest request)
    {
        _telemetry.QueueFull();
        Release(request, complete: true);
    }

    /// <summary>A call that raced <c>DisposeAsync</c>: ignored and counted.</summary>
    public void AfterDispose(in OutgoingRequest request)
    {
        _telemetry.AfterDispose();
        Release(request, complete: true);
    }

    /// <summary>Something that should never happen (a bug or a broken transport) ended the request: dropped, counted and logged.</summary>
    public void Failed(in OutgoingRequest request, Exception exception)
    {
        _telemetry.SenderFailed(request, exception);
        Release(request, complete: true);
    }

    /// <summary>A spooled request the replay read but could not queue before the client stopped: not accepted, so not counted; it stays in the spool.</summary>
    public void NotTaken(in OutgoingRequest request) => Release(request, complete: false);

    /// <summary>An overflowed request not yet read back when the client stopped: its line stays in the spool for the next start.</summary>
    public void OverflowKept(DeliveryEpoch epoch)
    {
        _telemetry.AtShutdown(keptInSpool: true);
        epoch.Leave();
    }

    /// <summary>An overflowed request whose segment the spool's size cap removed before it was read back.</summary>
    public void OverflowEvicted(DeliveryEpoch epoch)
    {
        _telemetry.SpoolEvicted(1);
        epoch.Leave();
    }

    /// <summary>An overflowed request whose line could not be read back intact: dropped like a corrupted replayed line, and acknowledged so its segment can go.</summary>
    public void OverflowUnreadable(SpoolSegment segment, int offset, DeliveryEpoch epoch)
    {
        _telemetry.SpoolCorrupted(segment.Path);
        _spool!.Complete(segment, offset);
        epoch.Leave();
    }

    /// <summary>A call that overflowed while racing <c>DisposeAsync</c>: ignored and counted, its line acknowledged.</summary>
    public void OverflowAfterDispose(SpoolSegment segment, int offset, DeliveryEpoch epoch)
    {
        _telemetry.AfterDispose();
        _spool!.Complete(segment, offset);
        epoch.Leave();
    }

    /// <summary>Returns the buffer and leaves the epoch; <paramref name="complete"/> also acknowledges the spool line (not when it stays there for the next start).</summary>
    private void Release(in OutgoingRequest request, bool complete)
    {
        _pool.Return(request.Buffer);
        if (complete)
        {
            Acknowledge(request);
        }

        request.Epoch.Leave();
    }

    private void Acknowledge(in OutgoingRequest request)
    {
        if (request.Segment is { } segment)
        {
            _spool!.Complete(segment, request.SpoolOffset);
        }
    }
}
