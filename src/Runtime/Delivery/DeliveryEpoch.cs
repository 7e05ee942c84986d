using System.Threading;
using System.Threading.Tasks;

namespace Kissmetrics.Typed.Delivery;

/// <summary>
/// The requests accepted between two <c>FlushAsync</c> calls. Each request holds its epoch and leaves it once it is
/// delivered or finally dropped; a flush closes the current epoch and waits until it and every earlier one are empty.
/// Counting per epoch (not one global counter) keeps a later request finishing early from releasing a flush while an
/// earlier one is still being retried by another sender.
/// </summary>
internal sealed class DeliveryEpoch
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _pending;
    private int _closed;

    public DeliveryEpoch(Task? prior) => Prior = prior;

    /// <summary>Completes once every earlier epoch is empty; <see langword="null"/> when there was none left.</summary>
    public Task? Prior { get; set; }

    public bool IsIdle => Interlocked.Read(ref _pending) == 0 && (Prior is null || Prior.IsCompleted);

    public void Enter() => Interlocked.Increment(ref _pending);

    public void Leave()
    {
        if (Interlocked.Decrement(ref _pending) == 0 && Volatile.Read(ref _closed) != 0)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>Closes the epoch (callers re-check that the epoch they entered is still current) and returns a task that completes once it and every earlier one are empty.</summary>
    public Task Close()
    {
        Interlocked.Exchange(ref _closed, 1);
        if (Interlocked.Read(ref _pending) == 0)
        {
            _drained.TrySetResult();
        }

        return Prior is null || Prior.IsCompleted ? _drained.Task : Task.WhenAll(Prior, _drained.Task);
    }
}
