using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Compatibility;

namespace Kissmetrics.Typed.Delivery;

/// <summary>
/// The requests that did not fit in memory when a spool is set: their lines are on disk already (every accepted request
/// is appended to the spool), so instead of a pooled copy the client keeps only where each line is, and one reader task
/// (started when the first request overflows, ended when none is left) reads them back in order and offers them to the
/// <see cref="RequestQueue"/> as it drains to its low-water mark. Read back, a request is like any other: it is sent,
/// retried, acknowledged to its spool segment and leaves the flush epoch it entered when it was accepted.
/// <para>
/// The index is bounded: at most <see cref="MaxEntries"/> entries of 24 bytes (a segment, an epoch, an offset and a
/// length). Past that the engine applies <see cref="KissmetricsOptions.QueueFullMode"/> as without a spool. Entries
/// of a segment the size cap removed are counted as <c>SpoolEvicted</c> when they reach the head of the index (the
/// cap removes the oldest segment first, and the index is in the order lines were written, so they are always a prefix).
/// </para>
/// </summary>
internal sealed class SpoolOverflow
{
    private readonly object _gate = new();
    private readonly Queue<Entry> _entries = new();
    private readonly Spool _spool;
    private readonly RequestQueue _queue;
    private readonly RequestBufferPool _pool;
    private readonly RequestAccounting _accounting;
    private readonly Action<int> _queued;
    private readonly CancellationToken _stopping;
    private Task _reader = Task.CompletedTask;
    private bool _reading;
    private bool _closed;
    private int _pending; // entries, and the one the reader has taken but not yet queued (interlocked: the reader ends one outside the lock)

    public SpoolOverflow(int maxEntries, Spool spool, RequestQueue queue, RequestBufferPool pool, RequestAccounting accounting, Action<int> queued, CancellationToken stopping)
    {
        MaxEntries = maxEntries;
        _spool = spool;
        _queue = queue;
        _pool = pool;
        _accounting = accounting;
        _queued = queued;
        _stopping = stopping;
    }

    /// <summary>The most overflowed requests indexed at once.</summary>
    public int MaxEntries { get; }

    /// <summary>Overflowed requests not yet back in the queue.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>
    /// Whether requests are waiting on disk. While they are, new requests overflow too: they keep their order behind the
    /// overflowed ones, and a producer that refilled every freed slot could otherwise keep the reader from ever
    /// finding the low-water mark.
    /// </summary>
    public bool IsActive => Volatile.Read(ref _pending) > 0;

    /// <summary>Whether the index can take another entry.</summary>
    public bool HasRoom => Volatile.Read(ref _pending) < MaxEntries;

    /// <summary>
    /// Indexes the line at <paramref name="offset"/> of <paramref name="segment"/> (<paramref name="length"/> bytes), whose
    /// request entered <paramref name="epoch"/>, and starts the reader if it is not running; <see langword="false"/>
    /// once <see cref="StopAsync"/> closed the index (a call that raced the client's dispose).
    /// </summary>
    public bool TryAdd(SpoolSegment segment, int offset, int length, DeliveryEpoch epoch)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            DropEvictedHeadLocked();
            _entries.Enqueue(new Entry(segment, epoch, offset, length));
            Interlocked.Increment(ref _pending);
            if (!_reading)
            {
                _reading = true;
                _reader = Task.Run(ReadBackAsync);
            }
        }

        return true;
    }

    /// <summary>
    /// Called once the client is stopping (its token cancelled): waits for the reader, then ends every request still on
    /// disk as kept in the spool (the next start replays its segment) or, for a removed segment, as evicted.
    /// </summary>
    public async Task StopAsync()
    {
        Task reader;
        lock (_gate)
        {
            _closed = true; // no reader starts after this one
            reader = _reader;
        }

#if NET
        await reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing); // it ends on the cancelled token; a bug in it must not fail the dispose
#else
        await reader.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false); // the same, without ConfigureAwaitOptions
#endif
        lock (_gate)
        {
            while (_entries.TryDequeue(out Entry entry))
            {
                Interlocked.Decrement(ref _pending);
                if (entry.Segment.IsDeleted)
                {
                    _accounting.OverflowEvicted(entry.Epoch);
                }
                else
                {
                    _accounting.OverflowKept(entry.Epoch);
                }
            }
        }
    }

    private void DropEvictedHeadLocked()
    {
        while (_entries.TryPeek(out Entry head) && head.Segment.IsDeleted)
        {
            _entries.Dequeue();
            Interlocked.Decrement(ref _pending);
            _accounting.OverflowEvicted(head.Epoch);
        }
    }

    private async Task ReadBackAsync()
    {
        byte[] line = new byte[4096];
        FileStream? handle = null;
        SpoolSegment? opened = null;
        bool ended = false;
        try
        {
            while (true)
            {
                Entry entry;
                lock (_gate)
                {
                    DropEvictedHeadLocked();
                    if (_stopping.IsCancellationRequested || !_entries.TryDequeue(out entry))
                    {
                        if (_entries.Count == 0)
                        {
                            _entries.TrimExcess(); // a burst grew the array: give it back once it is over
                        }

                        _reading = false;
                        ended = true;
                        return;
                    }
                }

                try
                {
                    if (!TryRead(entry, ref handle, ref opened, ref line, out OutgoingRequest request))
                    {
                        continue; // evicted or unreadable: already counted
                    }

                    int count;
                    while (!_queue.TryAdd(request, out count))
                    {
                        try
                        {
                            await _queue.WaitForRoomAsync(_stopping, evenWhenClosed: true).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException)
                        {
                            _accounting.AtShutdown(request); // kept in the spool: its line is not acknowledged
                            throw;
                        }
                    }

                    _queued(count);
                }
                finally
                {
                    Interlocked.Decrement(ref _pending);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: what is left is ended by StopAsync.
        }
        finally
        {
            handle?.Dispose();
            if (!ended)
            {
                // Cancelled, or something unexpected: the next overflowed request starts a new reader. Not on the
                // normal exit, which cleared the flag under the lock: a reader may have been started since.
                lock (_gate)
                {
                    _reading = false;
                }
            }
        }
    }

    /// <summary>Reads the line of <paramref name="entry"/> back into a pooled buffer; <see langword="false"/> (counted) when its segment was removed or the line cannot be read intact.</summary>
    private bool TryRead(in Entry entry, ref FileStream? handle, ref SpoolSegment? opened, ref byte[] line, out OutgoingRequest request)
    {
        request = default;
        if (entry.Segment.IsDeleted)
        {
            _accounting.OverflowEvicted(entry.Epoch);
            return false;
        }

        if (line.Length < entry.Length)
        {
            line = new byte[Math.Max(entry.Length, line.Length * 2)];
        }

        int read = 0;
        try
        {
            if (!ReferenceEquals(opened, entry.Segment))
            {
                // One handle per segment, kept while its lines are read back in order; the writer's handle is its own.
                handle?.Dispose();
                handle = null;
                opened = null;
                handle = new FileStream(entry.Segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
                opened = entry.Segment;
            }

            while (read < entry.Length)
            {
                int n = PositionalFile.Read(handle!, line.AsSpan(read, entry.Length - read), entry.Offset + read);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            if (entry.Segment.IsDeleted)
            {
                _accounting.OverflowEvicted(entry.Epoch); // removed by the size cap between the check and the open
                return false;
            }

            read = -1;
        }

        if (read != entry.Length || line[entry.Length - 1] != (byte)'\n'
            || !_spool.Format!.TryParse(line.AsSpan(0, entry.Length - 1), out _, out ReadOnlySpan<byte> bytes))
        {
            _accounting.OverflowUnreadable(entry.Segment, entry.Offset, entry.Epoch);
            return false;
        }

        byte[] buffer = _pool.Rent(bytes.Length);
        bytes.CopyTo(buffer);
        request = new OutgoingRequest(buffer, bytes.Length, entry.Epoch, entry.Segment, entry.Offset);
        return true;
    }

    /// <summary>Where one overflowed request's line is, and the flush epoch it entered when it was accepted.</summary>
    private readonly record struct Entry(SpoolSegment Segment, DeliveryEpoch Epoch, int Offset, int Length);
}
