using System.Collections.Generic;
using System;
using System.Buffers;
using Xunit;
using static Kissmetrics.Typed.Tests.Mapping.Golden;

namespace Kissmetrics.Typed.Tests.Mapping;

/// <summary>
/// Generated serializers through <see cref="KissmetricsFormatter"/>'s <c>Write...</c> methods allocate nothing: after a
/// warm-up, 10,000 calls into a reused <see cref="ArrayBufferWriter{T}"/> leave
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> unchanged.
/// </summary>
public sealed class GeneratedZeroAllocationTests
{
    private const int Iterations = 10_000;

    private static readonly KissmetricsOptions s_options = Options();
    private static readonly KissmetricsOptions s_unprefixed = Options(prefix: false);
    private static readonly KissmetricsOptions s_categoriesOnly = Options(named: false);
    private static readonly KissmetricsOptions s_neither = Options(named: false, categorized: false);
    private static readonly DateTimeOffset? s_when = When;

    private static readonly Subscribed s_subscribed = new(
        "Pro & more",
        Tier.GoldPlus,
        49.99m,
        new PostalAddress("Zürich", "CH"),
        ["sso", "audit log", "日本"],
        [1, 2, 3],
        When.AddDays(14),
        0.1 + 0.2,
        true,
        Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"));

    private static readonly OrderCompleted s_order = new("o1", 30m, [new Product("a", 10m, 1), new Product("b", 20m, 2)], "USD");
    private static readonly CompletedOrder s_arrayOrder = new([new Product("a", 10m, 1), new Product("b", 20m, 2)], 30, 30);
    private static readonly OrderCompletedSnake s_readOnlyListOrder = new([new RevenueProduct("a", 5m, new InnerPart("x", "y")), null], 5);
    private static readonly UserTraits s_traits = new("a@b.co", new PostalAddress("Paris", null), 42);
    private static readonly CompanyTraits s_company = new("Test Inc", 250, new PostalAddress("Paris", "FR"), ["b2b", "saas"]);
    private static readonly DocsPage s_page = new("https://example.com/docs?q=1", "https://google.com/");
    private static readonly NamedCategorizedPage s_namedCategorizedPage = new();
    private static readonly HomeScreen s_screen = new("feed");
    private static readonly NamedCategorizedScreen s_namedCategorizedScreen = new(2);
    private static readonly Lists s_lists = new([1, 2], ["a", null], [0.5, double.NaN], new[] { Tier.Free, Tier.GoldPlus }, [1, null], [Guid.Empty], [When], [0.10m]);

    // An IEnumerable<T> property holding a List<T>: walked by index, not through a boxed enumerator.
    private static readonly Lists s_enumerableList = new(null, null, null, new List<Tier> { Tier.Free, Tier.GoldPlus }, null, null, null, null);
    private static readonly Kinds s_kinds = new()
    {
        Text = "héllo \uD800",
        Flag = true,
        Long = long.MinValue,
        ULong = ulong.MaxValue,
        Double = 1e21,
        Single = 0.1f,
        Decimal = 450.00m,
        DateTime = new DateTime(2014, 1, 1, 0, 0, 0, DateTimeKind.Unspecified),
        DateTimeOffset = When,
        DateOnly = new DateOnly(2014, 1, 1),
        Tier = (Tier)7,
        Guid = Guid.NewGuid(),
        NullableInt = 3,
    };

    private static void AssertNoAllocation(Action<ArrayBufferWriter<byte>> call)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);

        // Warm up: JIT tiers, static initialisers, the buffer's capacity.
        for (int i = 0; i < 1_000; i++)
        {
            buffer.ResetWrittenCount();
            call(buffer);
        }

        Assert.True(buffer.WrittenCount > 0, "the call wrote nothing: the measurement would prove nothing");

        // Up to three rounds: on a loaded machine the runtime's own tier-up work can land on this thread once. An
        // allocation of the call itself shows in every round (at least Iterations x 24 bytes), so one clean round is proof.
        var rounds = new List<long>();
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Iterations; i++)
            {
                buffer.ResetWrittenCount();
                call(buffer);
            }

            rounds.Add(GC.GetAllocatedBytesForCurrentThread() - before);
            if (rounds[^1] == 0)
            {
                return;
            }
        }

        Assert.Fail("allocated in every round: " + string.Join(", ", rounds) + " bytes over " + Iterations + " calls");
    }

    [Fact]
    public void TrackATenPropertyEventWithNestedObjectEnumListsAndRevenue()
    {
        AssertNoAllocation(static b => KissmetricsFormatter.WriteTrack(b, s_options, "bob", s_subscribed, s_when));
        AssertNoAllocation(static b => KissmetricsFormatter.WriteTrack(b, s_unprefixed, "bob", s_subscribed, s_when));
    }

    [Fact]
    public void TrackWithoutATimestamp() =>
        AssertNoAllocation(static b => KissmetricsFormatter.WriteTrack(b, s_options, "bob", s_subscribed));

    [Fact]
    public void TrackEveryScalarKind() =>
        AssertNoAllocation(static b => KissmetricsFormatter.WriteTrack(b, s_options, "bob \uD800 é", s_kinds, s_when));

    [Fact]
    public void TrackJoinedArraysListsAndReadOnlyLists() =>
        AssertNoAllocation(static b => KissmetricsFormatter.WriteTrack(b, s_options, "bob", s_lists, s_when));

    [Fact]
    public void TrackAnEnumerablePropertyHoldingAListOrAnArray()
    {
        AssertNoAllocation(static b => KissmetricsFormatter.WriteTrack(b, s_options, "bob", s_enumerableList, s_when));
        AssertNoAllocation(static b => KissmetricsFormatter.WriteTrack(b, s_options, "bob", s_lists, s_when));
    }

    [Fact]
    public void TrackAStructEventIsNotBoxed() =>
        AssertNoAllocation(static b => KissmetricsFormatter.WriteTrack(b, s_options, "bob", new StructEvent("Pro", 3, 1.5), s_when));

    [Fact]
    public void StructTraitsPagesAndScreensAreNotBoxed()
    {
        AssertNoAllocation(static b => KissmetricsFormatter.WriteIdentify(b, s_options, "u1", new StructTraits("a@b.co", 42), "anon", s_when));
        AssertNoAllocation(static b => KissmetricsFormatter.WriteGroup(b, s_options, "bob", "g1", new StructCompany { Name = "Acme" }, s_when));
        AssertNoAllocation(static b => KissmetricsFormatter.WritePage(b, s_options, "bob", new StructPage("u"), s_when));
        AssertNoAllocation(static b => KissmetricsFormatter.WriteScreen(b, s_options, "bob", new StructScreen("t"), s_when));
    }

    [Fact]
    public void Identify()
    {
        AssertNoAllocation(static b => KissmetricsFormatter.WriteIdentify(b, s_options, "u1", s_traits, timestamp: s_when));
        AssertNoAllocation(static b => KissmetricsFormatter.WriteIdentify(b, s_options, "u1", s_traits, "anonymous-id", s_when));
    }

    [Fact]
    public void Group() =>
        AssertNoAllocation(static b => KissmetricsFormatter.WriteGroup(b, s_options, "bob", "123", s_company, s_when));

    [Fact]
    public void Page()
    {
        AssertNoAllocation(static b => KissmetricsFormatter.WritePage(b, s_options, "bob", s_page, s_when));
        AssertNoAllocation(static b => KissmetricsFormatter.WritePage(b, s_categoriesOnly, "bob", s_namedCategorizedPage, s_when));
    }

    [Fact]
    public void APageThatSendsNothingAllocatesNothing()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        KissmetricsFormatter.WritePage(buffer, s_neither, "bob", s_namedCategorizedPage, s_when);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Iterations; i++)
        {
            KissmetricsFormatter.WritePage(buffer, s_neither, "bob", s_namedCategorizedPage, s_when);
        }

        Assert.Equal(0L, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(0, buffer.WrittenCount);
    }

    [Fact]
    public void Screen()
    {
        AssertNoAllocation(static b => KissmetricsFormatter.WriteScreen(b, s_options, "bob", s_screen, s_when));
        AssertNoAllocation(static b => KissmetricsFormatter.WriteScreen(b, s_categoriesOnly, "bob", s_namedCategorizedScreen, s_when));
    }

    [Fact]
    public void Alias() =>
        AssertNoAllocation(static b => KissmetricsFormatter.WriteAlias(b, s_options, "old@example.com", "new@example.com"));

    [Fact]
    public void CompletedOrderWithAListOfProducts() =>
        AssertNoAllocation(static b => KissmetricsFormatter.WriteTrack(b, s_options, "bob", s_order, s_when));

    [Fact]
    public void CompletedOrderWithAnArrayOfProducts() =>
        AssertNoAllocation(static b => KissmetricsFormatter.WriteTrack(b, s_unprefixed, "bob", s_arrayOrder, s_when));

    [Fact]
    public void CompletedOrderWithAReadOnlyListOfProducts() =>
        AssertNoAllocation(static b => KissmetricsFormatter.WriteTrack(b, s_options, "bob", s_readOnlyListOrder, s_when));
}
