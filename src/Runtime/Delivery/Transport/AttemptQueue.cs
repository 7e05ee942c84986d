using System;

namespace Kissmetrics.Typed.Delivery.Transport;

/// <summary>
/// A first-in first-out ring of <see cref="PendingAttempt"/> values: the requests of one connection waiting to be
/// written, or written and waiting for their answers (HTTP/1.1 answers in order, so the oldest is always the next).
/// It grows by doubling and never shrinks, so a connection in steady state allocates nothing. Not thread-safe: the
/// transport's lock guards it.
/// </summary>
internal sealed class AttemptQueue
{
    private PendingAttempt[] _items = new PendingAttempt[16];
    private int _head;
    private int _count;

    /// <summary>How many attempts are queued.</summary>
    public int Count => _count;

    /// <summary>The oldest attempt; only when <see cref="Count"/> is not zero.</summary>
    public ref PendingAttempt Oldest => ref _items[_head];

    /// <summary>
    /// The earliest <see cref="PendingAttempt.StartedAt"/> queued (<see cref="long.MaxValue"/> when empty). Usually the
    /// oldest's, but an attempt moved from another connection joins at the back with its own, earlier, start.
    /// </summary>
    public long EarliestStart()
    {
        long earliest = long.MaxValue;
        for (int i = 0; i < _count; i++)
        {
            long started = _items[(_head + i) & (_items.Length - 1)].StartedAt;
            if (started < earliest)
            {
                earliest = started;
            }
        }

        return earliest;
    }

    /// <summary>Adds <paramref name="attempt"/> as the newest.</summary>
    public void Enqueue(in PendingAttempt attempt)
    {
        if (_count == _items.Length)
        {
            Grow();
        }

        _items[(_head + _count) & (_items.Length - 1)] = attempt;
        _count++;
    }

    /// <summary>Removes the oldest attempt; <see langword="false"/> when there is none.</summary>
    public bool TryDequeue(out PendingAttempt attempt)
    {
        if (_count == 0)
        {
            attempt = default;
            return false;
        }

        attempt = _items[_head];
        _items[_head] = default; // drop the references to the caller's request and sink
        _head = (_head + 1) & (_items.Length - 1);
        _count--;
        return true;
    }

    private void Grow()
    {
        // Capacity stays a power of two so that wrapping is a mask.
        var bigger = new PendingAttempt[_items.Length * 2];
        int first = Math.Min(_count, _items.Length - _head);
        Array.Copy(_items, _head, bigger, 0, first);
        Array.Copy(_items, 0, bigger, first, _count - first);
        _items = bigger;
        _head = 0;
    }
}
