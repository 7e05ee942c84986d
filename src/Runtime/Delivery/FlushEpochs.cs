using System.Threading;
using System.Threading.Tasks;

namespace Kissmetrics.Typed.Delivery;

/// <summary>
/// The flush protocol: every accepted request enters the current <see cref="DeliveryEpoch"/> and leaves it once it is
/// delivered or finally dropped; <see cref="Close"/> starts a new epoch and returns a task that completes when the
/// closed one and every earlier one are empty. A request that enters while a flush swaps epochs belongs to the next one.
/// </summary>
internal sealed class FlushEpochs
{
    private readonly object _gate = new();
    private DeliveryEpoch _current = new(prior: null);

    /// <summary>The epoch a request accepted now belongs to, entered (the caller leaves it when the request ends).</summary>
    public DeliveryEpoch Enter()
    {
        DeliveryEpoch epoch = Volatile.Read(ref _current);
        while (true)
        {
            epoch.Enter();
            DeliveryEpoch current = Volatile.Read(ref _current);
            if (ReferenceEquals(current, epoch))
            {
                return epoch;
            }

            epoch.Leave(); // a flush closed it meanwhile: belong to the next one
            epoch = current;
        }
    }

    /// <summary>Closes the current epoch: the task completes once every request accepted before now has ended.</summary>
    public Task Close()
    {
        lock (_gate)
        {
            DeliveryEpoch current = _current;
            if (current.IsIdle)
            {
                return Task.CompletedTask;
            }

            var next = new DeliveryEpoch(prior: null);
            Volatile.Write(ref _current, next);
            Task drained = current.Close();
            next.Prior = drained;
            return drained;
        }
    }
}
