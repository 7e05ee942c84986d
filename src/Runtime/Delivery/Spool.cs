using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Compatibility;

namespace Kissmetrics.Typed.Delivery;

/// <summary>
/// The opt-in durable spool (<see cref="KissmetricsOptions.SpoolDirectory"/>): every accepted request is appended to the
/// current segment file before the call returns (a <c>pwrite</c>: it survives the process being killed, not a power
/// cut), every request that ends is acknowledged in the segment's log, segments of earlier runs are replayed on start
/// (their acknowledged lines skipped), and a segment is deleted once every request in it was accounted for.
/// <para>
/// It never stops the application: a directory that cannot be used (read-only, missing, not private and not ours to
/// fix) leaves the client running from memory, logged as an error with the real cause and retried every
/// <see cref="ReopenInterval"/>; a write that fails (a full disk) keeps that request in memory, counted and reported
/// every 10 seconds, and the spool gives back the space of delivered lines at once so that it can write again. Only a
/// directory another client holds at start is a configuration error.
/// </para>
/// </summary>
internal sealed class Spool : IDisposable
{
    /// <summary>How often an unusable spool directory is tried again (on the next accepted request after it).</summary>
    public static readonly TimeSpan ReopenInterval = TimeSpan.FromSeconds(30);

    private const string SegmentPrefix = "requests-";

    [ThreadStatic]
    private static byte[]? t_line;

    private readonly object _gate = new();
    private readonly List<SpoolSegment> _segments = new(); // oldest first; the last one is the active segment, when there is one
    private readonly TimeProvider _timeProvider;
    private readonly DeliveryTelemetry _telemetry;
    private readonly long _maxBytes;
    private readonly long _segmentBytes;
    private readonly long _reclaimBytes;
    private readonly TimeSpan _maxAge;
    private FileStream? _lock;
    private volatile SpoolFormat? _format; // null while the directory cannot be used
    private volatile SpoolSegment? _active; // null until the first write after opening, or after a failed rotation
    private long _totalBytes;
    private long _acknowledgementBytes;
    private long _nextSequence;
    private long _reopenAt;
    private string? _unavailableCause;
    private volatile bool _writeFailing;
    private bool _disposed;

    private Spool(string directory, KissmetricsOptions options, TimeProvider timeProvider, DeliveryTelemetry telemetry)
    {
        Directory = directory;
        _timeProvider = timeProvider;
        _telemetry = telemetry;
        _maxBytes = options.SpoolMaxBytes;
        _segmentBytes = Math.Clamp(options.SpoolMaxBytes / 16, 16 * 1024, 8 * 1024 * 1024);
        _reclaimBytes = Math.Min(_segmentBytes, 64 * 1024);
        _maxAge = options.SpoolMaxAge;
        telemetry.ObserveSpool(() => IsAvailable ? 1 : 0);
    }

    public string Directory { get; }

    /// <summary>Whether requests are being made durable: the directory is open (a single write may still fail).</summary>
    public bool IsAvailable => _format is not null;

    /// <summary>The line format, keyed by this spool's secret; <see langword="null"/> while the directory cannot be used.</summary>
    public SpoolFormat? Format => _format;

    /// <summary>The segments earlier runs left, oldest first, to replay. Set when the directory is opened.</summary>
    public IReadOnlyList<SpoolSegment> ReplaySegments { get; private set; } = Array.Empty<SpoolSegment>();

    /// <summary>Called (under the spool's lock: keep it short) when a directory that could not be used at start has been opened, so its segments get replayed.</summary>
    public Action? Reopened { get; set; }

    /// <summary>
    /// Opens (creating it <c>0700</c> if needed, making it private if it is not) and locks the spool directory. A directory
    /// that cannot be used gives a spool that is not <see cref="IsAvailable"/> yet and tries again later.
    /// </summary>
    /// <exception cref="KissmetricsConfigurationException">Another client holds the directory.</exception>
    public static Spool Open(KissmetricsOptions options, TimeProvider timeProvider, DeliveryTelemetry telemetry)
    {
        var spool = new Spool(Path.GetFullPath(options.SpoolDirectory!), options, timeProvider, telemetry);
        lock (spool._gate)
        {
            spool.TryOpenLocked(atStart: true);
        }

        return spool;
    }

    /// <summary>
    /// Appends <paramref name="request"/> and says where its line is (<paramref name="offset"/> in the returned segment,
    /// <paramref name="length"/> bytes with its <c>'\n'</c>), so that it can be acknowledged, or read back instead of being
    /// held in memory. Returns <see langword="null"/> (counted) when it could not be written: it then lives in memory only.
    /// A segment rotates before it passes 8 MiB, so the offset of a line always fits an <see cref="int"/>.
    /// </summary>
    public SpoolSegment? Append(ReadOnlySpan<byte> request, out int offset, out int length)
    {
        offset = 0;
        length = 0;
        SpoolFormat? format = _format;
        if (format is null)
        {
            lock (_gate)
            {
                if (_disposed || _timeProvider.GetTimestamp() < _reopenAt || !TryOpenLocked(atStart: false))
                {
                    _telemetry.SpoolUnavailable();
                    return null;
                }

                format = _format!;
            }
        }

        int needed = request.Length + SpoolFormat.Overhead;
        byte[] line = t_line is { } cached && cached.Length >= needed ? cached : (t_line = new byte[Math.Max(needed, 1024)]);
        length = format.Write(line, _timeProvider.GetUtcNow().ToUnixTimeMilliseconds(), request);
        lock (_gate)
        {
            if (_disposed)
            {
                return null;
            }

            SpoolSegment? active = _active;
            try
            {
                if (active is not null && active.Bytes > 0
                    && (active.Bytes + length > _segmentBytes || (_writeFailing && active.IsFinished)))
                {
                    // Full, or (after a failed write) holding only delivered lines: its space is given back first.
                    Rotate();
                }

                EnforceCap(length);
                active = _active ??= OpenNewSegment();
                offset = (int)active.Bytes;
                PositionalFile.Write(active.Stream!, line.AsSpan(0, length), active.Bytes);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                if (_active is { Stream: { } stream } current)
                {
                    TryTruncate(stream, current.Bytes); // no torn line left behind for the next start to count
                }

                _writeFailing = true;
                _telemetry.SpoolWriteFailed(exception);
                return null;
            }

            active.Bytes += length;
            _totalBytes += length;
            active.AddRecord();
            if (_writeFailing)
            {
                _writeFailing = false;
                _telemetry.SpoolWritable(Directory);
            }

            return active;
        }
    }

    /// <summary>The request at <paramref name="offset"/> of <paramref name="segment"/> was delivered or finally dropped: acknowledged on disk, and the segment deleted once finished.</summary>
    public void Complete(SpoolSegment segment, int offset)
    {
        if (!segment.IsDeleted && _format is { } format)
        {
            try
            {
                segment.Acknowledge(format, offset);
                Interlocked.Add(ref _acknowledgementBytes, SpoolFormat.AcknowledgementSize);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                if (!segment.IsDeleted)
                {
                    _telemetry.SpoolWriteFailed(exception); // a crash now would send this request again
                }
            }
        }

        if (segment.CompleteRecord())
        {
            Delete(segment);
        }
        else if (ReferenceEquals(segment, _active) && segment.IsFinished && (_writeFailing || segment.Bytes >= _reclaimBytes))
        {
            Reclaim(segment);
        }
    }

    /// <summary>Reads the segments earlier runs left, handing each intact, unexpired, unacknowledged request to <paramref name="enqueue"/>; skips (and counts) the rest.</summary>
    public async Task ReplayAsync(Func<byte[], int, SpoolSegment, int, CancellationToken, ValueTask> enqueue, Func<int, byte[]> rent, CancellationToken cancellationToken)
    {
        SpoolFormat format = _format!;
        long replayed = 0, expired = 0, corrupted = 0, acknowledged = 0;
        long oldest = (_timeProvider.GetUtcNow() - _maxAge).ToUnixTimeMilliseconds();
        byte[] buffer = new byte[64 * 1024];
        foreach (SpoolSegment segment in ReplaySegments)
        {
            if (segment.IsDeleted)
            {
                continue;
            }

            long unsentWhenEvicted = 0;
            FileStream stream;
            try
            {
                stream = new FileStream(segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            }
            catch (IOException)
            {
                continue; // evicted meanwhile
            }

            HashSet<int>? done = segment.Acknowledged;
#if NET
            await using (stream.ConfigureAwait(false))
#else
            using (stream) // no IAsyncDisposable FileStream on netstandard2.0; its Dispose does not block on a read-only file
#endif
            {
                int start = 0, end = 0;
                long bufferOffset = 0; // where buffer[0] is in the file
                while (true)
                {
                    int newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        // Need more bytes: keep the partial line at the front, grow for very long lines.
                        if (start > 0)
                        {
                            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                            bufferOffset += start;
                            end -= start;
                            start = 0;
                        }

                        if (end == buffer.Length)
                        {
                            Array.Resize(ref buffer, buffer.Length * 2);
                        }

                        int read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                        if (read == 0)
                        {
                            if (end > start)
                            {
                                corrupted++; // a truncated last line: the writer was killed mid-line
                                _telemetry.SpoolCorrupted(segment.Path);
                            }

                            break;
                        }

                        end += read;
                        continue;
                    }

                    int lineOffset = (int)(bufferOffset + start);
                    ReadOnlyMemory<byte> line = buffer.AsMemory(start, newline);
                    start += newline + 1;
                    if (done is not null && done.Contains(lineOffset))
                    {
                        acknowledged++; // accounted for before the crash (delivered, or dropped and counted then)
                        continue;
                    }

                    if (segment.IsDeleted)
                    {
                        unsentWhenEvicted++; // the size cap removed this file while it was being replayed
                        continue;
                    }

                    if (!format.TryParse(line.Span, out long accepted, out ReadOnlySpan<byte> request))
                    {
                        corrupted++;
                        _telemetry.SpoolCorrupted(segment.Path);
                        continue;
                    }

                    if (accepted < oldest)
                    {
                        expired++;
                        _telemetry.SpoolExpired();
                        continue;
                    }

                    int length = request.Length;
                    byte[] copy = rent(length);
                    request.CopyTo(copy);
                    segment.AddRecord();
                    replayed++;
                    await enqueue(copy, length, segment, lineOffset, cancellationToken).ConfigureAwait(false);
                }
            }

            segment.Acknowledged = null;
            _telemetry.SpoolEvicted(unsentWhenEvicted);
            if (segment.Seal())
            {
                Delete(segment);
            }
        }

        if (ReplaySegments.Count > 0)
        {
            KissmetricsLog.SpoolReplayed(_telemetry.Logger, Directory, replayed, expired, corrupted, acknowledged);
        }
    }

    /// <summary>Closes the files; the current segment is deleted when everything in it was accounted for, and kept for the next start otherwise.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_active is { } active && active.Seal())
            {
                DeleteLocked(active);
            }

            foreach (SpoolSegment segment in _segments)
            {
                segment.CloseFiles();
            }

            _lock?.Dispose();
        }
    }

    private static void TryTruncate(FileStream stream, long length)
    {
        try
        {
            PositionalFile.SetLength(stream, length);
        }
        catch (IOException)
        {
        }
    }

    private static long CountLines(string path)
    {
        try
        {
            long lines = 0;
            byte[] buffer = new byte[64 * 1024];
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
            }

            return lines;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Opens the directory and takes stock of what earlier runs left; on failure, logs the cause (once per cause) and sets when to try again.</summary>
    private bool TryOpenLocked(bool atStart)
    {
        FileStream lockFile;
        byte[] key;
        UnixFileMode? tightened;
        try
        {
            (lockFile, key) = SpoolDirectory.Open(Directory, out tightened);
        }
        catch (SpoolUnavailableException exception)
        {
            if (atStart && exception.HeldByAnotherClient)
            {
                throw new KissmetricsConfigurationException(
                    $"KissmetricsOptions.SpoolDirectory {exception.Message}: give each client a directory of its own.");
            }

            _reopenAt = _timeProvider.GetTimestamp() + (long)(ReopenInterval.TotalSeconds * _timeProvider.TimestampFrequency);
            if (_unavailableCause != exception.Message)
            {
                _unavailableCause = exception.Message;
                KissmetricsLog.SpoolUnavailable(_telemetry.Logger, exception.Message, (long)ReopenInterval.TotalSeconds);
            }

            return false;
        }

        try
        {
            if (tightened is { } mode)
            {
                KissmetricsLog.SpoolDirectoryMadePrivate(_telemetry.Logger, Directory, SpoolDirectory.Octal(mode));
            }

            var format = new SpoolFormat(key);
            LoadSegments(format);
            _lock = lockFile;
            _format = format;
            try
            {
                _active = OpenNewSegment();
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                _writeFailing = true; // the first write tries again
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            lockFile.Dispose();
            foreach (SpoolSegment segment in _segments)
            {
                segment.CloseFiles();
            }

            _segments.Clear();
            _totalBytes = 0;
            _reopenAt = _timeProvider.GetTimestamp() + (long)(ReopenInterval.TotalSeconds * _timeProvider.TimestampFrequency);
            KissmetricsLog.SpoolUnavailable(_telemetry.Logger, $"'{Directory}' cannot be read: {exception.Message}", (long)ReopenInterval.TotalSeconds);
            return false;
        }

        if (_unavailableCause is not null)
        {
            _unavailableCause = null;
            KissmetricsLog.SpoolAvailable(_telemetry.Logger, Directory);
        }

        if (!atStart && ReplaySegments.Count > 0)
        {
            Reopened?.Invoke();
        }

        return true;
    }

    /// <summary>Finds the segments (and acknowledgement logs) earlier runs left, makes them private, and drops the oldest over the size cap.</summary>
    private void LoadSegments(SpoolFormat format)
    {
        var found = new List<SpoolSegment>();
        foreach (string path in System.IO.Directory.EnumerateFiles(Directory, SegmentPrefix + "*" + SpoolSegment.Extension))
        {
            string name = Path.GetFileName(path);
            if (long.TryParse(name.AsSpan(SegmentPrefix.Length, name.Length - SegmentPrefix.Length - SpoolSegment.Extension.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long sequence))
            {
                SpoolDirectory.MakePrivate(path);
                found.Add(new SpoolSegment(path, sequence, new FileInfo(path).Length));
                _nextSequence = Math.Max(_nextSequence, sequence + 1);
            }
        }

        // A log whose segment is gone: the segment was deleted and the process stopped before its log was.
        foreach (string path in System.IO.Directory.EnumerateFiles(Directory, SegmentPrefix + "*" + SpoolSegment.AcknowledgementExtension))
        {
            if (!File.Exists(Path.ChangeExtension(path, SpoolSegment.Extension)))
            {
                File.Delete(path);
            }
        }

        found.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
        foreach (SpoolSegment segment in found)
        {
            if (File.Exists(segment.AcknowledgementPath))
            {
                SpoolDirectory.MakePrivate(segment.AcknowledgementPath);
            }

            segment.OpenAcknowledgements(format);
            _segments.Add(segment);
            _totalBytes += segment.Bytes;
            _acknowledgementBytes += segment.AcknowledgementBytes;
        }

        // Over the size cap already (a long outage across restarts): the oldest files go first, their unsent lines counted.
        while (_totalBytes + _acknowledgementBytes > _maxBytes && _segments.Count > 0)
        {
            SpoolSegment oldest = _segments[0];
            KissmetricsLog.SpoolEvicted(_telemetry.Logger, _maxBytes, Path.GetFileName(oldest.Path));
            _telemetry.SpoolEvicted(Math.Max(0, CountLines(oldest.Path) - (oldest.Acknowledged?.Count ?? 0)));
            DeleteLocked(oldest);
        }

        ReplaySegments = _segments.ToArray();
    }

    private SpoolSegment OpenNewSegment()
    {
        long sequence = _nextSequence++;
        string path = Path.Combine(Directory, SegmentPrefix + sequence.ToString("D12", CultureInfo.InvariantCulture) + SpoolSegment.Extension);
        var segment = new SpoolSegment(path, sequence, 0)
        {
            Stream = SpoolDirectory.OpenOwnerOnly(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete),
        };
        try
        {
            segment.OpenAcknowledgements(format: null);
        }
        catch
        {
            segment.CloseFiles();
            File.Delete(path);
            throw;
        }

        _segments.Add(segment);
        return segment;
    }

    /// <summary>Seals the active segment (deleting it at once when all its lines are accounted for, so that on a full disk its space comes back before the next file is made) and starts a new one.</summary>
    private void Rotate()
    {
        SpoolSegment? sealedSegment = _active;
        _active = null;
        if (sealedSegment is not null)
        {
            sealedSegment.Stream?.Dispose();
            sealedSegment.Stream = null;
            if (sealedSegment.Seal())
            {
                DeleteLocked(sealedSegment);
            }
        }

        _active = OpenNewSegment();
    }

    /// <summary>The active segment holds only accounted-for lines: its space is given back now rather than when it fills.</summary>
    private void Reclaim(SpoolSegment segment)
    {
        lock (_gate)
        {
            if (_disposed || !ReferenceEquals(segment, _active) || !segment.IsFinished)
            {
                return;
            }

            try
            {
                Rotate();
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                _writeFailing = true; // no new file now: the next write makes one
            }
        }
    }

    private void EnforceCap(int incoming)
    {
        while (_totalBytes + Interlocked.Read(ref _acknowledgementBytes) + incoming > _maxBytes)
        {
            SpoolSegment? oldest = null;
            foreach (SpoolSegment segment in _segments)
            {
                if (!segment.IsDeleted && segment != _active)
                {
                    oldest = segment;
                    break;
                }
            }

            if (oldest is null)
            {
                if (_active is null || _active.Bytes == 0)
                {
                    return; // one line over the cap on its own: written anyway
                }

                Rotate();
                continue;
            }

            // Requests of this file still in memory are sent as usual (they are no longer durable); lines not yet
            // replayed are counted by the replay, overflowed lines not yet read back by the overflow reader.
            KissmetricsLog.SpoolEvicted(_telemetry.Logger, _maxBytes, Path.GetFileName(oldest.Path));
            DeleteLocked(oldest);
        }
    }

    private void Delete(SpoolSegment segment)
    {
        lock (_gate)
        {
            DeleteLocked(segment);
        }
    }

    private void DeleteLocked(SpoolSegment segment)
    {
        if (!segment.TryMarkDeleted())
        {
            return;
        }

        segment.CloseFiles();
        _segments.Remove(segment);
        _totalBytes -= segment.Bytes;
        Interlocked.Add(ref _acknowledgementBytes, -segment.AcknowledgementBytes);
        try
        {
            // The segment first: a log without its segment is removed at the next start, a segment without its log
            // would be sent again.
            File.Delete(segment.Path);
            File.Delete(segment.AcknowledgementPath);
        }
        catch (IOException)
        {
            // Replayed by the next start; its acknowledged lines are skipped.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
