using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Reflection;
using System.Threading;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kissmetrics.Typed.Delivery;

/// <summary>Why a request was dropped: the <c>reason</c> tag of <c>kissmetrics.requests.dropped</c> (and, for <see cref="Shutdown"/>, of <c>kissmetrics.requests.unknown</c>).</summary>
internal enum DropReason
{
    QueueFull,
    Rejected,
    RetriesExhausted,
    Shutdown,
    AfterDispose,
    SpoolExpired,
    SpoolCorrupted,
    SpoolFull,
    Invalid,
}

/// <summary>
/// The client's counters (read by <see cref="KissmetricsClient.Statistics"/>), its <c>Kissmetrics.Typed</c> meter and
/// its log. Every drop goes through here, so a drop is always counted, measured and logged together.
/// </summary>
internal sealed class DeliveryTelemetry : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Kissmetrics.Typed";

    private static readonly TimeSpan s_reportInterval = TimeSpan.FromSeconds(10);

    private readonly TimeProvider _timeProvider;
    private readonly KissmetricsOptions _options;
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _unknown;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _violations;

    private long _acceptedCount;
    private long _delivered;
    private long _retriedCount;
    private long _rejected;
    private long _gaveUp;
    private long _droppedQueueFull;
    private long _droppedAtShutdown;
    private long _inFlightAtShutdown;
    private long _droppedAfterDispose;
    private long _keptInSpool;
    private long _spoolReplayed;
    private long _spooledOverflow;
    private long _spoolExpired;
    private long _spoolCorrupted;
    private long _spoolEvicted;
    private long _spoolWriteFailures;
    private long _queueFullSinceReport;
    private long _lastQueueFullReport = long.MinValue;
    private long _spoolFailuresSinceReport;
    private long _spoolFailuresSinceWritable;
    private long _lastSpoolFailureReport = long.MinValue;
    private Counter<long>? _spoolWriteFailed;
    private int _afterDisposeLogged;
    private long _validationFailures;
    private long _droppedInvalid;

    public DeliveryTelemetry(KissmetricsOptions options, TimeProvider timeProvider, ILogger? logger, IMeterFactory? meterFactory, Func<long> queueDepth)
    {
        _options = options;
        _timeProvider = timeProvider;
        Logger = logger ?? NullLogger.Instance;
        string? version = typeof(DeliveryTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (meterFactory is not null)
        {
            _meter = meterFactory.Create(new MeterOptions(MeterName) { Version = version });
        }
        else
        {
            _meter = new Meter(MeterName, version);
            _ownsMeter = true;
        }

        _accepted = _meter.CreateCounter<long>("kissmetrics.requests.accepted", "{request}", "Requests accepted into the queue.");
        _sent = _meter.CreateCounter<long>("kissmetrics.requests.sent", "{request}", "Requests delivered (a 2xx answer).");
        _retried = _meter.CreateCounter<long>("kissmetrics.requests.retried", "{attempt}", "Attempts after the first.");
        _dropped = _meter.CreateCounter<long>("kissmetrics.requests.dropped", "{request}", "Requests dropped, by reason.");
        _unknown = _meter.CreateCounter<long>("kissmetrics.requests.unknown", "{request}", "Requests sent whose answer never came (the tracker may have recorded them): not dropped, not delivered, by reason.");
        _duration = _meter.CreateHistogram<double>("kissmetrics.request.duration", "s", "Time to deliver or give up one request, every attempt and wait included.");
        _violations = _meter.CreateCounter<long>("kissmetrics.validation.failures", "{call}", "Calls whose values broke their validation attributes.");
        _meter.CreateObservableUpDownCounter("kissmetrics.queue.depth", queueDepth, "{request}", "Requests waiting in the queue.");
    }

    public ILogger Logger { get; }

    /// <summary>Publishes the dispatcher's state: attempts in flight and the adaptive limit they are held to.</summary>
    public void ObserveDispatch(Func<long> inFlight, Func<long> limit)
    {
        _meter.CreateObservableUpDownCounter("kissmetrics.requests.in_flight", inFlight, "{request}", "Attempts sent and not yet answered.");
        _meter.CreateObservableGauge("kissmetrics.concurrency.limit", limit, "{request}", "The adaptive limit of attempts in flight.");
    }

    public void Accepted()
    {
        Interlocked.Increment(ref _acceptedCount);
        _accepted.Add(1);
    }

    public void Retrying(string path, int attempt, int statusCode, string? failure, TimeSpan delay)
    {
        Interlocked.Increment(ref _retriedCount);
        _retried.Add(1);
        if (Logger.IsEnabled(LogLevel.Debug))
        {
            string reason = failure ?? "HTTP " + statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
            KissmetricsLog.Retrying(Logger, path, reason, attempt, (long)delay.TotalMilliseconds);
        }
    }

    public void Completed(in OutgoingRequest request, SendResult result, TimeSpan elapsed)
    {
        switch (result.Outcome)
        {
            case SendOutcome.Delivered:
                Interlocked.Increment(ref _delivered);
                _sent.Add(1);
                _duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", "delivered"));
                break;
            case SendOutcome.Rejected:
                Interlocked.Increment(ref _rejected);
                Dropped(DropReason.Rejected);
                _duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", "rejected"));
                KissmetricsLog.Rejected(Logger, request.PathForLog, result.StatusCode);
                break;
            default:
                Interlocked.Increment(ref _gaveUp);
                Dropped(DropReason.RetriesExhausted);
                _duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", "gave_up"));
                KissmetricsLog.GaveUp(Logger, request.PathForLog, result.Attempts, result.Failure ?? "unknown");
                break;
        }
    }

    /// <summary>A request dropped because the queue was full (the new one, or the oldest with <see cref="KissmetricsQueueFullMode.DropOldest"/>); logged at most every 10 seconds with the count since.</summary>
    public void QueueFull()
    {
        Interlocked.Increment(ref _droppedQueueFull);
        Dropped(DropReason.QueueFull);
        Interlocked.Increment(ref _queueFullSinceReport);
        long now = _timeProvider.GetTimestamp();
        long last = Interlocked.Read(ref _lastQueueFullReport);
        if ((last == long.MinValue || _timeProvider.GetElapsedTime(last, now) >= s_reportInterval)
            && Interlocked.CompareExchange(ref _lastQueueFullReport, now, last) == last)
        {
            KissmetricsLog.QueueFull(Logger, _options.MaxQueueLength, _options.QueueFullMode, Interlocked.Exchange(ref _queueFullSinceReport, 0));
        }
    }

    public void AfterDispose()
    {
        Interlocked.Increment(ref _droppedAfterDispose);
        Dropped(DropReason.AfterDispose);
        if (Interlocked.Exchange(ref _afterDisposeLogged, 1) == 0)
        {
            KissmetricsLog.CalledAfterDispose(Logger);
        }
    }

    public void AtShutdown(bool keptInSpool)
    {
        if (keptInSpool)
        {
            Interlocked.Increment(ref _keptInSpool);
        }
        else
        {
            Interlocked.Increment(ref _droppedAtShutdown);
            Dropped(DropReason.Shutdown);
        }
    }

    /// <summary>Written and unanswered when the client stopped, without a spool: its outcome is unknown (not a drop).</summary>
    public void InFlightAtShutdown()
    {
        Interlocked.Increment(ref _inFlightAtShutdown);
        _unknown.Add(1, new KeyValuePair<string, object?>("reason", ReasonTag(DropReason.Shutdown)));
    }

    /// <summary>Logs the shutdown's summary, one line with every count: a warning when anything was dropped or left in flight, else information when requests were kept in the spool.</summary>
    public void ReportShutdown(long dropped, long inFlight, long kept)
    {
        // Drops since the last queue-full warning (at most one every 10 s) would otherwise never be logged when the
        // client stops within that interval.
        long unreported = Interlocked.Exchange(ref _queueFullSinceReport, 0);
        if (unreported > 0)
        {
            KissmetricsLog.QueueFull(Logger, _options.MaxQueueLength, _options.QueueFullMode, unreported);
        }

        if (dropped > 0 || inFlight > 0)
        {
            KissmetricsLog.DroppedAtShutdown(Logger, dropped, inFlight, kept);
        }
        else if (kept > 0)
        {
            KissmetricsLog.KeptInSpool(Logger, dropped, inFlight, kept);
        }
    }

    public void SenderFailed(in OutgoingRequest request, Exception exception)
    {
        Interlocked.Increment(ref _gaveUp);
        Dropped(DropReason.RetriesExhausted);
        KissmetricsLog.SenderFailed(Logger, request.PathForLog, exception.GetType().Name);
    }

    public void SpoolReplayed() => Interlocked.Increment(ref _spoolReplayed);

    /// <summary>A request that did not fit in memory went to the spool only, to be read back as room frees up (not an outcome: it still ends in one).</summary>
    public void SpooledOverflow() => Interlocked.Increment(ref _spooledOverflow);

    public void SpoolExpired()
    {
        Interlocked.Increment(ref _spoolExpired);
        Dropped(DropReason.SpoolExpired);
    }

    public void SpoolCorrupted(string file)
    {
        Interlocked.Increment(ref _spoolCorrupted);
        Dropped(DropReason.SpoolCorrupted);
        KissmetricsLog.SpoolCorrupted(Logger, file);
    }

    public void SpoolEvicted(long unsent)
    {
        Interlocked.Add(ref _spoolEvicted, unsent);
        if (unsent > 0)
        {
            _dropped.Add(unsent, new KeyValuePair<string, object?>("reason", ReasonTag(DropReason.SpoolFull)));
        }
    }

    /// <summary>A spool write (a line, or an acknowledgement) failed: counted, measured, and logged at most every 10 seconds with the count since.</summary>
    public void SpoolWriteFailed(Exception exception)
    {
        long total = Interlocked.Increment(ref _spoolWriteFailures);
        _spoolWriteFailed?.Add(1, new KeyValuePair<string, object?>("reason", "io"));
        Interlocked.Increment(ref _spoolFailuresSinceReport);
        Interlocked.Increment(ref _spoolFailuresSinceWritable);
        long now = _timeProvider.GetTimestamp();
        long last = Interlocked.Read(ref _lastSpoolFailureReport);
        if ((last == long.MinValue || _timeProvider.GetElapsedTime(last, now) >= s_reportInterval)
            && Interlocked.CompareExchange(ref _lastSpoolFailureReport, now, last) == last)
        {
            KissmetricsLog.SpoolWriteFailed(Logger, Interlocked.Exchange(ref _spoolFailuresSinceReport, 0), total, exception);
        }
    }

    /// <summary>A request that was not made durable because the spool directory cannot be used (logged by the spool, once per cause).</summary>
    public void SpoolUnavailable()
    {
        Interlocked.Increment(ref _spoolWriteFailures);
        _spoolWriteFailed?.Add(1, new KeyValuePair<string, object?>("reason", "unavailable"));
    }

    /// <summary>A write succeeded after failed ones.</summary>
    public void SpoolWritable(string directory)
    {
        Interlocked.Exchange(ref _spoolFailuresSinceReport, 0);
        KissmetricsLog.SpoolWritable(Logger, directory, Interlocked.Exchange(ref _spoolFailuresSinceWritable, 0));
    }

    /// <summary>Publishes whether the spool makes requests durable (1) or the client runs from memory only (0).</summary>
    public void ObserveSpool(Func<int> available)
    {
        _meter.CreateObservableGauge("kissmetrics.spool.available", available, "{spool}", "1 while the spool makes accepted requests durable, 0 while its directory cannot be used.");
        _spoolWriteFailed = _meter.CreateCounter<long>("kissmetrics.spool.write_failures", "{write}", "Spool writes that failed (reason io) or were not possible (reason unavailable); those requests are held in memory only.");
    }

    /// <summary>A call broke its validation attributes: counted, measured and logged (names and rules only, never values); <paramref name="dropped"/> with ReportAndDrop.</summary>
    public void ValidationFailed(KissmetricsViolation first, int violations, bool dropped)
    {
        Interlocked.Increment(ref _validationFailures);
        _violations.Add(1);
        if (dropped)
        {
            Interlocked.Increment(ref _droppedInvalid);
            Dropped(DropReason.Invalid);
        }

        KissmetricsLog.ValidationFailed(Logger, first.EventName ?? first.TypeName, violations, first.WireName, first.Rule, first.Message, dropped ? "dropped" : "sent");
    }

    public KissmetricsClientStatistics Snapshot(long queued) => new()
    {
        Accepted = Interlocked.Read(ref _acceptedCount),
        Delivered = Interlocked.Read(ref _delivered),
        Retried = Interlocked.Read(ref _retriedCount),
        Rejected = Interlocked.Read(ref _rejected),
        GaveUp = Interlocked.Read(ref _gaveUp),
        DroppedQueueFull = Interlocked.Read(ref _droppedQueueFull),
        DroppedAtShutdown = Interlocked.Read(ref _droppedAtShutdown),
        InFlightAtShutdown = Interlocked.Read(ref _inFlightAtShutdown),
        DroppedAfterDispose = Interlocked.Read(ref _droppedAfterDispose),
        KeptInSpool = Interlocked.Read(ref _keptInSpool),
        SpoolReplayed = Interlocked.Read(ref _spoolReplayed),
        SpooledOverflow = Interlocked.Read(ref _spooledOverflow),
        SpoolExpired = Interlocked.Read(ref _spoolExpired),
        SpoolCorrupted = Interlocked.Read(ref _spoolCorrupted),
        SpoolEvicted = Interlocked.Read(ref _spoolEvicted),
        SpoolWriteFailures = Interlocked.Read(ref _spoolWriteFailures),
        ValidationFailures = Interlocked.Read(ref _validationFailures),
        DroppedInvalid = Interlocked.Read(ref _droppedInvalid),
        Queued = queued,
    };

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private void Dropped(DropReason reason) => _dropped.Add(1, new KeyValuePair<string, object?>("reason", ReasonTag(reason)));

    private static string ReasonTag(DropReason reason) => reason switch
    {
        DropReason.QueueFull => "queue_full",
        DropReason.Rejected => "rejected",
        DropReason.RetriesExhausted => "retries_exhausted",
        DropReason.Shutdown => "shutdown",
        DropReason.AfterDispose => "after_dispose",
        DropReason.SpoolExpired => "spool_expired",
        DropReason.SpoolCorrupted => "spool_corrupted",
        DropReason.Invalid => "invalid",
        _ => "spool_full",
    };
}
