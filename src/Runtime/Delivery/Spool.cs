using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;

namespace Kissmetrics.Typed.Delivery;

/// <summary>
/// One spool file: the lines of the requests it holds, how many of them were accounted for (delivered or finally dropped),
/// and whether more may come. It is deleted once sealed and every line is accounted for.
/// </summary>
internal sealed class SpoolSegment
{
    private int _written;
    private int _completed;
    private int _sealed;
    private int _deleted;

    public SpoolSegment(string path, long sequence, long bytes)
    {
        Path = path;
        Sequence = sequence;
        Bytes = bytes;
    }

    public string Path { get; }

    public long Sequence { get; }

    public long Bytes { get; set; }

    public FileStream? Stream { get; set; }

    public bool IsDeleted => Volatile.Read(ref _deleted) != 0;

    public void AddRecord() => Interlocked.Increment(ref _written);

    /// <summary>Accounts for one record; <see langword="true"/> when the segment is now finished and can be deleted.</summary>
    public bool CompleteRecord() => Interlocked.Increment(ref _completed) == Volatile.Read(ref _written) && Volatile.Read(ref _sealed) != 0;

    /// <summary>No record is added after this; <see langword="true"/> when the segment is finished and can be deleted.</summary>
    public bool Seal()
    {
        Interlocked.Exchange(ref _sealed, 1);
        return Volatile.Read(ref _completed) == Volatile.Read(ref _written);
    }

    /// <summary>Marks the segment deleted; <see langword="true"/> for the one caller that gets to delete it.</summary>
    public bool TryMarkDeleted() => Interlocked.Exchange(ref _deleted, 1) == 0;
}

/// <summary>
/// The opt-in durable spool (<see cref="KissmetricsOptions.SpoolDirectory"/>): every accepted request is appended to the
/// current segment file before the call returns (a <c>pwrite</c>: it survives the process being killed, not a power
/// cut), segments of earlier runs are replayed on start, and a segment is deleted once every request in it was delivered
/// or finally dropped. A lock file keeps two clients off one directory; files are created <c>0600</c>, a directory the
/// spool creates <c>0700</c>.
/// </summary>
internal sealed class Spool : IDisposable
{
    private const string SegmentPrefix = "requests-";
    private const string SegmentExtension = ".kmspool";
    private const string LockFileName = "spool.lock";

    [ThreadStatic]
    private static byte[]? t_line;

    private readonly object _gate = new();
    private readonly List<SpoolSegment> _segments = new(); // oldest first; the last one is the active segment
    private readonly TimeProvider _timeProvider;
    private readonly DeliveryTelemetry _telemetry;
    private readonly long _maxBytes;
    private readonly long _segmentBytes;
    private readonly TimeSpan _maxAge;
    private readonly FileStream _lock;
    private SpoolSegment _active;
    private long _totalBytes;
    private long _nextSequence;
    private bool _disposed;

    private Spool(string directory, FileStream lockFile, KissmetricsOptions options, TimeProvider timeProvider, DeliveryTelemetry telemetry)
    {
        Directory = directory;
        _lock = lockFile;
        _timeProvider = timeProvider;
        _telemetry = telemetry;
        _maxBytes = options.SpoolMaxBytes;
        _segmentBytes = Math.Clamp(options.SpoolMaxBytes / 16, 16 * 1024, 8 * 1024 * 1024);
        _maxAge = options.SpoolMaxAge;

        foreach (string path in System.IO.Directory.EnumerateFiles(directory, SegmentPrefix + "*" + SegmentExtension))
        {
            string name = Path.GetFileName(path);
            if (long.TryParse(name.AsSpan(SegmentPrefix.Length, name.Length - SegmentPrefix.Length - SegmentExtension.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long sequence))
            {
                long bytes = new FileInfo(path).Length;
                _segments.Add(new SpoolSegment(path, sequence, bytes));
                _totalBytes += bytes;
                _nextSequence = Math.Max(_nextSequence, sequence + 1);
            }
        }

        _segments.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));

        // Over the size cap already (a long outage across restarts): the oldest files go first, their lines counted.
        while (_totalBytes > _maxBytes && _segments.Count > 0)
        {
            SpoolSegment oldest = _segments[0];
            KissmetricsLog.SpoolEvicted(_telemetry.Logger, _maxBytes, Path.GetFileName(oldest.Path));
            _telemetry.SpoolEvicted(CountLines(oldest.Path));
            DeleteLocked(oldest);
        }

        ReplaySegments = _segments.ToArray();
        _active = OpenNewSegment();
    }

    public string Directory { get; }

    /// <summary>The segments earlier runs left, oldest first, to replay.</summary>
    public IReadOnlyList<SpoolSegment> ReplaySegments { get; }

    /// <summary>Opens (creating it <c>0700</c> if needed) and locks the spool directory.</summary>
    /// <exception cref="KissmetricsConfigurationException">The directory cannot be used, or another client holds it.</exception>
    public static Spool Open(KissmetricsOptions options, TimeProvider timeProvider, DeliveryTelemetry telemetry)
    {
        string directory = Path.GetFullPath(options.SpoolDirectory!);
        FileStream lockFile;
        try
        {
            if (!System.IO.Directory.Exists(directory))
            {
                if (OperatingSystem.IsWindows())
                {
                    System.IO.Directory.CreateDirectory(directory);
                }
                else
                {
                    System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }

            lockFile = new FileStream(Path.Combine(directory, LockFileName), OwnerOnly(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException exception)
        {
            throw new KissmetricsConfigurationException($"KissmetricsOptions.SpoolDirectory '{directory}' cannot be used: {exception.Message} (is another Kissmetrics client using it?)");
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new KissmetricsConfigurationException($"KissmetricsOptions.SpoolDirectory '{directory}' cannot be used: {exception.Message}");
        }

        try
        {
            return new Spool(directory, lockFile, options, timeProvider, telemetry);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>Appends <paramref name="request"/>; returns the segment that holds it, or <see langword="null"/> when it could not be written (it then lives in memory only).</summary>
    public SpoolSegment? Append(ReadOnlySpan<byte> request) => Append(request, out _, out _);

    /// <summary>
    /// Appends <paramref name="request"/> and says where its line is (<paramref name="offset"/> in the returned segment,
    /// <paramref name="length"/> bytes with its <c>'\n'</c>), so that it can be read back instead of being held in memory.
    /// A segment rotates before it passes 8 MiB, so the offset of a line always fits an <see cref="int"/>.
    /// </summary>
    public SpoolSegment? Append(ReadOnlySpan<byte> request, out int offset, out int length)
    {
        offset = 0;
        int needed = request.Length + SpoolFormat.Overhead;
        byte[] line = t_line is { } cached && cached.Length >= needed ? cached : (t_line = new byte[Math.Max(needed, 1024)]);
        length = SpoolFormat.Write(line, _timeProvider.GetUtcNow().ToUnixTimeMilliseconds(), request);
        try
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return null;
                }

                if (_active.Bytes > 0 && _active.Bytes + length > _segmentBytes)
                {
                    Rotate();
                }

                EnforceCap(length);
                offset = (int)_active.Bytes;
                RandomAccess.Write(_active.Stream!.SafeFileHandle, line.AsSpan(0, length), _active.Bytes);
                _active.Bytes += length;
                _totalBytes += length;
                _active.AddRecord();
                return _active;
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _telemetry.SpoolWriteFailed(exception);
            return null;
        }
    }

    /// <summary>One request of <paramref name="segment"/> was delivered or finally dropped.</summary>
    public void Complete(SpoolSegment segment)
    {
        if (segment.CompleteRecord())
        {
            Delete(segment);
        }
    }

    /// <summary>Reads the segments earlier runs left, handing each intact, unexpired request to <paramref name="enqueue"/>; skips (and counts) the rest.</summary>
    public async Task ReplayAsync(Func<byte[], int, SpoolSegment, CancellationToken, ValueTask> enqueue, Func<int, byte[]> rent, CancellationToken cancellationToken)
    {
        long replayed = 0, expired = 0, corrupted = 0;
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

            await using (stream.ConfigureAwait(false))
            {
                int start = 0, end = 0;
                while (true)
                {
                    int newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        // Need more bytes: keep the partial line at the front, grow for very long lines.
                        if (start > 0)
                        {
                            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
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

                    ReadOnlyMemory<byte> line = buffer.AsMemory(start, newline);
                    start += newline + 1;
                    if (segment.IsDeleted)
                    {
                        unsentWhenEvicted++; // the size cap removed this file while it was being replayed
                        continue;
                    }

                    if (!SpoolFormat.TryParse(line.Span, out long accepted, out ReadOnlySpan<byte> request))
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
                    await enqueue(copy, length, segment, cancellationToken).ConfigureAwait(false);
                }
            }

            _telemetry.SpoolEvicted(unsentWhenEvicted);
            if (segment.Seal())
            {
                Delete(segment);
            }
        }

        if (ReplaySegments.Count > 0)
        {
            KissmetricsLog.SpoolReplayed(_telemetry.Logger, Directory, replayed, expired, corrupted);
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
            _active.Stream?.Dispose();
            _active.Stream = null;
            if (_active.Seal())
            {
                DeleteLocked(_active);
            }

            _lock.Dispose();
        }
    }

    private static FileStreamOptions OwnerOnly(FileMode mode, FileAccess access, FileShare share)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share, BufferSize = 0 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
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

    private SpoolSegment OpenNewSegment()
    {
        long sequence = _nextSequence++;
        string path = Path.Combine(Directory, SegmentPrefix + sequence.ToString("D12", CultureInfo.InvariantCulture) + SegmentExtension);
        var segment = new SpoolSegment(path, sequence, 0)
        {
            Stream = new FileStream(path, OwnerOnly(FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete)),
        };
        _segments.Add(segment);
        return segment;
    }

    private void Rotate()
    {
        SpoolSegment sealedSegment = _active;
        _active = OpenNewSegment();
        sealedSegment.Stream?.Dispose();
        sealedSegment.Stream = null;
        if (sealedSegment.Seal())
        {
            DeleteLocked(sealedSegment);
        }
    }

    private void EnforceCap(int incoming)
    {
        while (_totalBytes + incoming > _maxBytes)
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
                if (_active.Bytes == 0)
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

        segment.Stream?.Dispose();
        segment.Stream = null;
        _segments.Remove(segment);
        _totalBytes -= segment.Bytes;
        try
        {
            File.Delete(segment.Path);
        }
        catch (IOException)
        {
            // Replayed (harmlessly: Kissmetrics drops duplicates with the same _t) by the next start.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
