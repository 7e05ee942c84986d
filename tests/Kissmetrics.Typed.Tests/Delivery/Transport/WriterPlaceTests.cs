using Kissmetrics.Typed.Delivery.Transport;
using Xunit;

namespace Kissmetrics.Typed.Tests.Delivery.Transport;

/// <summary>The decisions of <see cref="WriterPlace"/>: who writes a queued request, and when the send loop is woken for it.</summary>
public sealed class WriterPlaceTests
{
    [Fact]
    public void An_idle_send_loop_is_woken_outside_a_receive_batch()
    {
        var place = new WriterPlace { SendLoopWaiting = true };
        Assert.True(place.ShouldWakeSendLoop);
    }

    [Fact]
    public void During_a_receive_batch_the_send_loop_is_not_woken_and_the_receive_loop_takes_the_place_at_its_end()
    {
        var place = new WriterPlace { SendLoopWaiting = true, ReceiveBatch = true };
        Assert.False(place.ShouldWakeSendLoop);

        Assert.True(place.TryTakeForReceiveLoop());
        Assert.True(place.Held);
        Assert.False(place.ReceiveBatch);
        Assert.False(place.ShouldWakeSendLoop); // while it writes, its next batch takes what is queued
    }

    [Fact]
    public void A_busy_send_loop_keeps_the_place_and_the_receive_loop_leaves_the_requests_to_it()
    {
        // The send loop is writing (it holds the place and is not waiting): its next batch takes what was queued.
        var place = new WriterPlace { Held = true, ReceiveBatch = true };
        Assert.False(place.TryTakeForReceiveLoop());
        Assert.False(place.ReceiveBatch);
        Assert.True(place.Held);
        Assert.False(place.ShouldWakeSendLoop);
    }

    [Fact]
    public void A_write_handed_over_to_the_send_loop_keeps_the_place_from_the_next_batch()
    {
        // The receive loop's write could not finish at once: the send loop (still waiting, woken by the hand-over)
        // owns the place until that write ends.
        var place = new WriterPlace { SendLoopWaiting = true, Held = true, ReceiveBatch = true };
        Assert.False(place.TryTakeForReceiveLoop());
        Assert.False(place.ShouldWakeSendLoop);
    }
}
