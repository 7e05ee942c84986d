// The annotated types the mapping golden tests send. Each is small and named after the rule of mapping.md it pins.
// Flattening, joining and implicit revenue are exercised on purpose, without the attributes that acknowledge them:
// the analyzers' warnings for them are not what these tests are about.
#pragma warning disable KM008 // a nested object will be flattened
#pragma warning disable KM009 // a collection will be joined
#pragma warning disable KM010 // a property named revenue is also sent as Billing Amount
#pragma warning disable CA1819 // properties returning arrays: arrays are one of the collection shapes under test
#pragma warning disable CA1002 // List<T> is one of the collection shapes under test
#pragma warning disable CA1720 // identifiers named after the type they hold (Guid, Single, ...) are the point here

using System;
using System.Collections.Generic;
using System.Runtime.Serialization;

namespace Kissmetrics.Typed.Tests.Mapping;

// ---- §2 and §4: the simplest event, and the docs' foo.bar.prop example --------------------------------------

/// <summary>mapping.md §4, rows 1-3: <c>Signed Up - Plan=Pro</c>; with <c>foo</c> set, <c>Signed Up - foo.bar.prop=1,2,3</c>.</summary>
[KissmetricsEvent("Signed Up")]
public partial record SignedUp(string? Plan, [KissmetricsProperty("foo")] FooPart? Foo = null);

public sealed record FooPart([KissmetricsProperty("bar")] BarPart Bar);

public sealed record BarPart([KissmetricsProperty("prop")] int[] Prop);

// ---- §2: order and encoding ------------------------------------------------------------------------------

/// <summary>Properties in declaration order, nested members depth first.</summary>
[KissmetricsEvent("Ordering")]
public partial record Ordering(string First, OuterPart Outer, string Last);

public sealed record OuterPart(string A, InnerPart Inner, string C);

public sealed record InnerPart(string X, string Y);

/// <summary>An event and a property whose names need percent-encoding.</summary>
[KissmetricsEvent("Café & Co = #1 + ü")]
public partial record EncodedNames([KissmetricsProperty("Ünï code & = # +")] string? Text);

/// <summary>One string, for value encoding.</summary>
[KissmetricsEvent("Text")]
public partial record TextEvent(string? Value);

// ---- §3: every value kind -------------------------------------------------------------------------------

public enum Tier
{
    Free,

    [EnumMember(Value = "Gold Plus & more")]
    GoldPlus,

    Enterprise = 10,
}

public enum Huge : ulong
{
    Small = 1,
}

public enum Negative : sbyte
{
    Minus = -1,
}

public record struct Size(int Width, int Height);

public sealed class Place
{
    public string? City { get; set; }

    public Size Size { get; set; }
}

/// <summary>Every scalar kind of mapping.md §3 as a property, in one event.</summary>
[KissmetricsEvent("Kinds")]
public partial record Kinds
{
    public string? Text { get; init; }

    public bool Flag { get; init; }

    public sbyte SByte { get; init; }

    public byte Byte { get; init; }

    public short Short { get; init; }

    public ushort UShort { get; init; }

    public int Int { get; init; }

    public uint UInt { get; init; }

    public long Long { get; init; }

    public ulong ULong { get; init; }

    public double Double { get; init; }

    public float Single { get; init; }

    public decimal Decimal { get; init; }

    public DateTime DateTime { get; init; }

    public DateTimeOffset DateTimeOffset { get; init; }

    public DateOnly DateOnly { get; init; }

    public Tier Tier { get; init; }

    public Guid Guid { get; init; }

    public int? NullableInt { get; init; }
}

[KissmetricsEvent("Num")]
public partial record DoubleEvent(double Value);

[KissmetricsEvent("Flt")]
public partial record SingleEvent(float Value);

[KissmetricsEvent("Dec")]
public partial record DecimalEvent(decimal Value);

[KissmetricsEvent("Long")]
public partial record Int64Event(long Value);

[KissmetricsEvent("ULong")]
public partial record UInt64Event(ulong Value);

[KissmetricsEvent("Byte")]
public partial record ByteEvent(byte Value);

[KissmetricsEvent("Short")]
public partial record Int16Event(short Value);

[KissmetricsEvent("UInt")]
public partial record UInt32Event(uint Value);

[KissmetricsEvent("When")]
public partial record DateTimeEvent(DateTime Value);

[KissmetricsEvent("WhenOffset")]
public partial record DateTimeOffsetEvent(DateTimeOffset Value);

[KissmetricsEvent("Day")]
public partial record DateOnlyEvent(DateOnly Value);

[KissmetricsEvent("Enum")]
public partial record EnumEvent(Tier Value, Tier? Maybe = null);

[KissmetricsEvent("HugeEnum")]
public partial record HugeEnumEvent(Huge Value, Huge[]? All = null);

[KissmetricsEvent("NegativeEnum")]
public partial record NegativeEnumEvent(Negative Value);

[KissmetricsEvent("Nullables")]
public partial record Nullables(int? Int, bool? Flag, double? Double, decimal? Decimal, DateTimeOffset? When, Guid? Guid, DateOnly? Day);

/// <summary>Nested objects: a record, a class, a struct, a nullable struct.</summary>
[KissmetricsEvent("Nested")]
public partial record NestedEvent(InnerPart? Part, Place? Place, Size Size, Size? MaybeSize);

/// <summary>Collections of scalars in every shape the generator walks.</summary>
[KissmetricsEvent("Lists")]
public partial record Lists(
    int[]? Array,
    List<string?>? List,
    IReadOnlyList<double>? ReadOnlyList,
    IEnumerable<Tier>? Enumerable,
    int?[]? WithNulls,
    IList<Guid>? Guids,
    DateTimeOffset[]? Times,
    decimal[]? Amounts);

/// <summary>[KissmetricsProperty] and [KissmetricsIgnore] on positional parameters (no <c>property:</c> target).</summary>
[KissmetricsEvent("Positional")]
public partial record PositionalAttributes(
    [KissmetricsProperty("Plan Name")] string Plan,
    [KissmetricsIgnore] string Secret,
    [property: KissmetricsProperty("Targeted")] string WithTarget,
    string Kept);

/// <summary>The same attributes on ordinary properties; non-public, static and get-less members are never sent.</summary>
[KissmetricsEvent("Regular")]
public partial class RegularAttributes
{
    [KissmetricsProperty("Plan Name")]
    public string? Plan { get; set; }

    [KissmetricsIgnore]
    public string? Secret { get; set; }

    public string? Kept { get; set; }

    public static string? Static { get; set; } = "static";

    internal string? Internal { get; set; } = "internal";

    public string? PrivateGetter { private get; set; } = "private";

    public string? WriteOnly
    {
        set => Kept = value;
    }

#pragma warning disable CA1051 // a public field: fields are not properties, and are not sent
    public string? Field = "field";
#pragma warning restore CA1051

    private string? Hidden { get; } = "hidden";

    public string? ShowHidden() => Hidden;
}

public record BaseEventPart
{
    public string? FromBase { get; init; }
}

/// <summary>Base type members come first.</summary>
[KissmetricsEvent("Derived")]
public partial record DerivedEvent : BaseEventPart
{
    public string? FromDerived { get; init; }
}

// ---- §4: revenue ----------------------------------------------------------------------------------------

/// <summary>The docs' <c>event</c> with <c>revenue</c>; also used for a null revenue.</summary>
[KissmetricsEvent("event")]
public partial record RevenueEvent(double? revenue);

/// <summary>A refund: <c>revenue = 0</c> sends no Billing Amount, a negative one does.</summary>
[KissmetricsEvent("Refund")]
public partial record Refund(decimal revenue);

/// <summary>The name <c>Revenue</c> matches <c>revenue</c> ignoring case.</summary>
[KissmetricsEvent("Upgraded")]
public partial record Upgraded(string Plan, decimal Revenue, int Seats);

/// <summary>[KissmetricsRevenue] wins over a property merely named <c>revenue</c>.</summary>
[KissmetricsEvent("Purchased")]
public partial record Purchased(string Item, [KissmetricsRevenue] decimal Price, [KissmetricsProperty("revenue")] decimal Other);

/// <summary>[KissmetricsRevenue] on an ordinary property.</summary>
[KissmetricsEvent("Renewed")]
public partial class Renewed
{
    [KissmetricsRevenue]
    public long Cents { get; set; }
}

/// <summary>A property whose own name is <c>Billing Amount</c> is never prefixed.</summary>
[KissmetricsEvent("Charged")]
public partial record Charged(string Plan, [KissmetricsProperty("Billing Amount")] decimal Amount);

/// <summary>A revenue that is not a number is only a property.</summary>
[KissmetricsEvent("Tipped")]
public partial record Tipped(string? revenue);

/// <summary>A double revenue that is NaN is omitted, Billing Amount too.</summary>
[KissmetricsEvent("Estimated")]
public partial record Estimated(double Revenue);

// ---- §5 and §6: identify and group ----------------------------------------------------------------------

public sealed record PostalAddress(string? City, string? Country);

[KissmetricsTraits]
public partial record UserTraits(string? Email, PostalAddress? Address = null, int? Age = null);

[KissmetricsGroupTraits]
public partial record CompanyTraits(string Name, int Employees, PostalAddress? Address = null, IReadOnlyList<string>? Tags = null);

// ---- §8: pages and screens ------------------------------------------------------------------------------

[KissmetricsPage("Docs")]
public partial record DocsPage([KissmetricsProperty("url")] string Url, [KissmetricsProperty("referrer")] string? Referrer);

[KissmetricsPage("Name", Category = "Category")]
public partial record NamedCategorizedPage;

[KissmetricsPage(Category = "Guides")]
public partial record GuidesPage(string? Section);

[KissmetricsScreen("Home")]
public partial record HomeScreen([KissmetricsProperty("tab")] string? Tab);

[KissmetricsScreen("Name", Category = "Category")]
public partial record NamedCategorizedScreen(int Depth);

[KissmetricsScreen(Category = "Settings")]
public partial record SettingsScreen;

// ---- §9: completed orders -------------------------------------------------------------------------------

public sealed record Product([KissmetricsProperty("sku")] string Sku, [KissmetricsProperty("price")] decimal Price, [KissmetricsProperty("quantity")] int Quantity);

public sealed record RevenueProduct([KissmetricsProperty("sku")] string Sku, [KissmetricsProperty("revenue")] decimal Revenue, InnerPart? Part = null);

/// <summary>No revenue: <c>total</c> serves as revenue. Products in a <see cref="List{T}"/>, declared between other members.</summary>
[KissmetricsEvent("Order Completed")]
public partial record OrderCompleted(
    [KissmetricsProperty("order_id")] string OrderId,
    [KissmetricsProperty("total")] decimal Total,
    List<Product>? Products,
    [KissmetricsProperty("currency")] string Currency);

/// <summary>Products in an array; the order has its own revenue, so <c>total</c> stays a property.</summary>
[KissmetricsEvent("Completed Order")]
public partial record CompletedOrder(
    Product[] Products,
    [KissmetricsProperty("total")] double Total,
    [KissmetricsProperty("revenue")] double Revenue);

/// <summary>Snake-cased name, products in an <see cref="IReadOnlyList{T}"/> named in lower case, each with its own revenue.</summary>
[KissmetricsEvent("order_completed")]
public partial record OrderCompletedSnake(IReadOnlyList<RevenueProduct?> products, [KissmetricsProperty("total")] double? Total);

/// <summary>Matches the first alternative of the regex by prefix only (it has no <c>$</c>).</summary>
[KissmetricsEvent("Completed Order Summary")]
public partial record CompletedOrderSummary(List<Product> Products, [KissmetricsProperty("total")] int Total);

/// <summary>
/// Does not match (the second alternative is anchored with <c>$</c>): an ordinary event, so <c>total</c> is not revenue.
/// A collection of objects here would be KM006.
/// </summary>
[KissmetricsEvent("Order Completed Again")]
public partial record OrderCompletedAgain([KissmetricsProperty("total")] decimal Total, [KissmetricsProperty("products")] string[] Products);

// ---- zero allocation --------------------------------------------------------------------------------------

/// <summary>Ten properties: a nested object, an enum, a list and revenue.</summary>
[KissmetricsEvent("Subscribed")]
public partial record Subscribed(
    string Plan,
    Tier Tier,
    [KissmetricsRevenue] decimal Amount,
    PostalAddress BillingAddress,
    List<string> Features,
    IReadOnlyList<int> Seats,
    DateTimeOffset TrialEndsAt,
    double Score,
    bool Annual,
    Guid AccountId);

/// <summary>A struct event: the formatter's generic calls must not box it.</summary>
[KissmetricsEvent("Struct Event")]
public partial record struct StructEvent(string Plan, int Count, [KissmetricsRevenue] double Amount);

/// <summary>Struct traits: not boxed either.</summary>
[KissmetricsTraits]
public partial record struct StructTraits(string Email, int Age);

/// <summary>Struct group traits.</summary>
[KissmetricsGroupTraits]
public partial struct StructCompany
{
    public string? Name { get; set; }
}

/// <summary>A struct page.</summary>
[KissmetricsPage("Struct")]
public partial record struct StructPage(string Url);

/// <summary>A struct screen.</summary>
[KissmetricsScreen("Struct")]
public partial record struct StructScreen(string Tab);

/// <summary>
/// An event declaring members under the names the generator gives its own private methods: the generated ones take a
/// suffix, and both the user's members and the serializer keep working.
/// </summary>
[KissmetricsEvent("Clashing Names")]
public partial record ClashingNames(string Plan)
{
    public string WriteKissmetricsProperties() => "the user's method";
}
