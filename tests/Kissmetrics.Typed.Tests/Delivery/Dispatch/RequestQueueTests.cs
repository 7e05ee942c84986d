using System;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Delivery;
using Xunit;

namespace Kissmetrics.Typed.Tests.Delivery.Dispatch;

/// <summary>The bounded queue alone: both bounds, retries held against them, and producers woken at the low-water mark.</summary>
public sealed class RequestQueueTests
{
    private static OutgoingRequest Request(int length) => new(new byte[Math.Max(length, 1)], length, new DeliveryEpoch(prior: null), segment: null);

    [Fact]
    public void BothBoundsRefuseARequestAndAnEmptyQueueTakesOneOfAnySize()
    {
        var queue = new RequestQueue(maxCount: 3, maxBytes: 1000);
        Assert.True(queue.TryAdd(Request(5000), out _)); // alone, it fits whatever its size
        Assert.False(queue.TryAdd(Request(10), out _));
        Assert.True(queue.TryTake(out _));

        Assert.True(queue.TryAdd(Request(400), out _));
        Assert.True(queue.TryAdd(Request(400), out int count));
        Assert.Equal(2, count);
        Assert.False(queue.TryAdd(Request(400), out _)); // 1,200 bytes
        Assert.True(queue.TryAdd(Request(100), out _));
        Assert.False(queue.TryAdd(Request(1), out _)); // 4 requests
        Assert.Equal((3, 900L), (queue.Count, queue.Bytes));
    }

    [Fact]
    public void RequestsHeldForRetryCountAgainstTheBounds()
    {
        var queue = new RequestQueue(maxCount: 2, maxBytes: 1 << 20);
        queue.HoldForRetry(100);
        queue.HoldForRetry(100);
        Assert.False(queue.TryAdd(Request(10), out _));
        Assert.True(queue.IsEmpty); // held, not queued for a first attempt
        queue.ReleaseRetry(100);
        Assert.True(queue.TryAdd(Request(10), out _));
        Assert.Equal((2, 110L), (queue.Count, queue.Bytes));
    }

    [Fact]
    public async Task AWaitingProducerIsWokenAtTheLowWaterMarkNotForEveryFreedSlot()
    {
        var queue = new RequestQueue(maxCount: 8, maxBytes: 1 << 20); // low water: 6
        for (int i = 0; i < 8; i++)
        {
            Assert.True(queue.TryAdd(Request(10), out _));
        }

        Task<bool> producer = Task.Factory.StartNew(() => queue.AddWhenRoom(Request(10), TimeSpan.FromSeconds(30), TimeProvider.System, out _), TaskCreationOptions.LongRunning);
        await Task.Delay(100);
        Assert.True(queue.TryTake(out _)); // 7 left: room for one, but above the low-water mark
        await Task.Delay(300);
        Assert.False(producer.IsCompleted);

        Assert.True(queue.TryTake(out _)); // 6: the producer is woken
        Assert.True(await producer.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(7, queue.Count);
    }

    [Fact]
    public async Task ClosingWakesWaitingProducersWhoGiveUp()
    {
        var queue = new RequestQueue(maxCount: 1, maxBytes: 1 << 20);
        Assert.True(queue.TryAdd(Request(10), out _));
        Task<bool> producer = Task.Factory.StartNew(() => queue.AddWhenRoom(Request(10), TimeSpan.FromSeconds(30), TimeProvider.System, out _), TaskCreationOptions.LongRunning);
        await Task.Delay(100);
        queue.Close();
        Assert.False(await producer.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task AnAsyncWaiterCompletesAtTheLowWaterMark()
    {
        var queue = new RequestQueue(maxCount: 4, maxBytes: 1 << 20); // low water: 3
        for (int i = 0; i < 4; i++)
        {
            Assert.True(queue.TryAdd(Request(10), out _));
        }

        Task room = queue.WaitForRoomAsync(CancellationToken.None);
        Assert.False(room.IsCompleted);
        Assert.True(queue.TryTake(out _));
        await room.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(queue.WaitForRoomAsync(CancellationToken.None).IsCompleted);
    }
}
