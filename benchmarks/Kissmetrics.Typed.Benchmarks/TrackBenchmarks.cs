using System;
using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Kissmetrics.Typed.Benchmarks.Alternatives;
using Kissmetrics.Typed.Serialization;

namespace Kissmetrics.Typed.Benchmarks;

/// <summary>
/// One event shape, four ways, in one run: the generated serializer (the baseline), the naive reflection flattener,
/// System.Text.Json's node tree, and the floor (copying the very bytes the others produce). The setup checks that the
/// three serializers produce the same requests, so every row does the same work.
/// </summary>
[MemoryDiagnoser]
public abstract class TrackBenchmarks<TEvent>
    where TEvent : IKissmetricsEvent
{
    private readonly ArrayBufferWriter<byte> _buffer = new(8192);
    private byte[] _expected = [];

    protected abstract TEvent Event { get; }

    protected abstract string EventName { get; }

    [GlobalSetup]
    public void Setup()
    {
        _expected = Ours(Event);
        string expected = Encoding.UTF8.GetString(_expected);
        Check("naive", expected, NaiveSerializer.Track(Samples.Options, Samples.Person, Event, Samples.Timestamp));
        Check("System.Text.Json", expected, JsonNodeSerializer.Track(Samples.Options, Samples.Person, EventName, Event, Samples.Timestamp));
    }

    [Benchmark(Baseline = true, Description = "Generated (ours)")]
    public int Generated()
    {
        _buffer.ResetWrittenCount();
        KissmetricsFormatter.WriteTrack(_buffer, Samples.Options, Samples.Person, Event, Samples.Timestamp);
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "Naive reflection")]
    public string Naive() => NaiveSerializer.Track(Samples.Options, Samples.Person, Event, Samples.Timestamp);

    [Benchmark(Description = "System.Text.Json node")]
    public string SystemTextJson() => JsonNodeSerializer.Track(Samples.Options, Samples.Person, EventName, Event, Samples.Timestamp);

    [Benchmark(Description = "Floor (copy bytes)")]
    public int Floor()
    {
        _buffer.ResetWrittenCount();
        _buffer.Write(_expected);
        return _buffer.WrittenCount;
    }

    /// <summary>What the generated serializer writes for <paramref name="event"/>.</summary>
    public static byte[] Ours(TEvent @event)
    {
        var buffer = new ArrayBufferWriter<byte>(8192);
        KissmetricsFormatter.WriteTrack(buffer, Samples.Options, Samples.Person, @event, Samples.Timestamp);
        return buffer.WrittenSpan.ToArray();
    }

    private static void Check(string what, string expected, string actual)
    {
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"The {what} serializer does not send what the generated one does: the comparison would be unfair.{Environment.NewLine}" +
                $"generated: {expected}{Environment.NewLine}{what}: {actual}");
        }
    }
}

/// <summary>3 properties: <c>Signed Up</c>.</summary>
public class SmallEvent : TrackBenchmarks<SignedUp>
{
    protected override SignedUp Event => Samples.SignedUp;

    protected override string EventName => "Signed Up";
}

/// <summary>10 properties with a nested object, an enum, a list and revenue: <c>Subscription Started</c>.</summary>
public class TenPropertyEvent : TrackBenchmarks<SubscriptionStarted>
{
    protected override SubscriptionStarted Event => Samples.SubscriptionStarted;

    protected override string EventName => "Subscription Started";
}

/// <summary>A completed order with 5 products: the event and 5 <c>/s</c> requests.</summary>
public class CompletedOrder : TrackBenchmarks<OrderCompleted>
{
    protected override OrderCompleted Event => Samples.OrderCompleted;

    protected override string EventName => "Order Completed";
}
