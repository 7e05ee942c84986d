using System;
using System.Collections.Generic;
using System.Globalization;
using Xunit;
using static Kissmetrics.Typed.Tests.Mapping.Golden;

namespace Kissmetrics.Typed.Tests.Mapping;

/// <summary>mapping.md §3: every C# value kind as a property of a generated event, as exact lines.</summary>
public sealed class ValueKindTests
{
    private static readonly Guid s_guid = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    [Fact]
    public void EveryScalarKindInOneEvent()
    {
        var kinds = new Kinds
        {
            Text = "héllo wörld",
            Flag = true,
            SByte = sbyte.MinValue,
            Byte = byte.MaxValue,
            Short = short.MinValue,
            UShort = ushort.MaxValue,
            Int = int.MinValue,
            UInt = uint.MaxValue,
            Long = long.MinValue,
            ULong = ulong.MaxValue,
            Double = 0.1 + 0.2,
            Single = 0.1f,
            Decimal = 450.00m,
            DateTime = new DateTime(2014, 1, 1, 0, 0, 0, 999, DateTimeKind.Utc),
            DateTimeOffset = new DateTimeOffset(2014, 1, 1, 5, 30, 0, 500, TimeSpan.FromHours(5.5)),
            DateOnly = new DateOnly(2014, 1, 1),
            Tier = Tier.GoldPlus,
            Guid = s_guid,
            NullableInt = null,
        };

        Lines(
            KissmetricsFormatter.FormatTrack(Options(), "bob", kinds, When),
            "/e?_k=km-key&_p=bob&_n=Kinds&_t=1388534400&_d=1" +
            "&Kinds%20-%20Text=h%C3%A9llo%20w%C3%B6rld" +
            "&Kinds%20-%20Flag=true" +
            "&Kinds%20-%20SByte=-128" +
            "&Kinds%20-%20Byte=255" +
            "&Kinds%20-%20Short=-32768" +
            "&Kinds%20-%20UShort=65535" +
            "&Kinds%20-%20Int=-2147483648" +
            "&Kinds%20-%20UInt=4294967295" +
            "&Kinds%20-%20Long=-9223372036854775808" +
            "&Kinds%20-%20ULong=18446744073709551615" +
            "&Kinds%20-%20Double=0.30000000000000004" +
            "&Kinds%20-%20Single=0.1" +
            "&Kinds%20-%20Decimal=450" +
            "&Kinds%20-%20DateTime=1388534400" +
            "&Kinds%20-%20DateTimeOffset=1388534400" +
            "&Kinds%20-%20DateOnly=1388534400" +
            "&Kinds%20-%20Tier=Gold%20Plus%20%26%20more" +
            "&Kinds%20-%20Guid=0f8fad5b-d9cb-469f-a165-70867728950e");
    }

    [Fact]
    public void EveryScalarKindInOneEventWithoutPrefix()
    {
        var kinds = new Kinds { Text = string.Empty, Flag = false, NullableInt = 7 };
        Lines(
            KissmetricsFormatter.FormatTrack(Options(prefix: false), "bob", kinds, When),
            "/e?_k=km-key&_p=bob&_n=Kinds&_t=1388534400&_d=1&Text=&Flag=false&SByte=0&Byte=0&Short=0&UShort=0&Int=0&UInt=0&Long=0&ULong=0" +
            "&Double=0&Single=0&Decimal=0&DateTime=-62135596800&DateTimeOffset=-62135596800&DateOnly=-62135596800&Tier=Free" +
            "&Guid=00000000-0000-0000-0000-000000000000&NullableInt=7");
    }

    // ---- string ---------------------------------------------------------------------------------------------

    [Fact]
    public void ANullStringOmitsTheProperty() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new TextEvent(null), When),
        "/e?_k=km-key&_p=bob&_n=Text&_t=1388534400&_d=1");

    [Fact]
    public void AnEmptyStringIsSentEmpty() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new TextEvent(string.Empty), When),
        "/e?_k=km-key&_p=bob&_n=Text&_t=1388534400&_d=1&Text%20-%20Value=");

    // ---- integers -------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(long.MinValue, "-9223372036854775808")]
    [InlineData(long.MaxValue, "9223372036854775807")]
    [InlineData(0L, "0")]
    [InlineData(-1L, "-1")]
    [InlineData(1_000_000L, "1000000")]
    public void Int64(long value, string text) => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new Int64Event(value), When),
        Event("Long", "&Long%20-%20Value=" + text));

    [Theory]
    [InlineData(ulong.MaxValue, "18446744073709551615")]
    [InlineData(0UL, "0")]
    public void UInt64(ulong value, string text) => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new UInt64Event(value), When),
        Event("ULong", "&ULong%20-%20Value=" + text));

    [Theory]
    [InlineData(byte.MinValue, "0")]
    [InlineData(byte.MaxValue, "255")]
    public void Byte(byte value, string text) => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new ByteEvent(value), When),
        Event("Byte", "&Byte%20-%20Value=" + text));

    [Theory]
    [InlineData(short.MinValue, "-32768")]
    [InlineData(short.MaxValue, "32767")]
    public void Int16(short value, string text) => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new Int16Event(value), When),
        Event("Short", "&Short%20-%20Value=" + text));

    [Theory]
    [InlineData(uint.MaxValue, "4294967295")]
    [InlineData(uint.MinValue, "0")]
    public void UInt32(uint value, string text) => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new UInt32Event(value), When),
        Event("UInt", "&UInt%20-%20Value=" + text));

    // ---- double and float: JavaScript's Number#toString ------------------------------------------------------

    [Theory]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(1e21, "1e%2B21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(123456789012345680000.0, "123456789012345680000")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(450.0, "450")]
    [InlineData(9.99, "9.99")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(-2.5e-10, "-2.5e-10")]
    [InlineData(0.0, "0")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(double.MaxValue, "1.7976931348623157e%2B308")]
    [InlineData(1.2345e25, "1.2345e%2B25")]
    public void Double(double value, string text) => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new DoubleEvent(value), When),
        Event("Num", "&Num%20-%20Value=" + text));

    [Fact]
    public void NegativeZeroDoubleIsZero() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new DoubleEvent(-0.0), When),
        Event("Num", "&Num%20-%20Value=0"));

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NonFiniteDoublesOmitTheProperty(double value) => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new DoubleEvent(value), When),
        Event("Num"));

    [Theory]
    [InlineData(0.1f, "0.1")]
    [InlineData(16777216f, "16777216")]
    [InlineData(3.4028235e38f, "3.4028235e%2B38")]
    [InlineData(1e21f, "1e%2B21")]
    [InlineData(-1e-7f, "-1e-7")]
    [InlineData(1.5f, "1.5")]
    public void SingleUsesTheShortestFloatDigits(float value, string text) => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new SingleEvent(value), When),
        Event("Flt", "&Flt%20-%20Value=" + text));

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void NonFiniteFloatsOmitTheProperty(float value) => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new SingleEvent(value), When),
        Event("Flt"));

    // ---- decimal --------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("450.00", "450")]
    [InlineData("0.10", "0.1")]
    [InlineData("100", "100")]
    [InlineData("100.00", "100")]
    [InlineData("-0.50", "-0.5")]
    [InlineData("0", "0")]
    [InlineData("0.000", "0")]
    [InlineData("9.99", "9.99")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")]
    [InlineData("-79228162514264337593543950335", "-79228162514264337593543950335")]
    [InlineData("0.0000000000000000000000000001", "0.0000000000000000000000000001")]
    [InlineData("1234567890123456789.0123456780", "1234567890123456789.012345678")]
    public void DecimalDropsTrailingZerosAndNeverUsesAnExponent(string value, string text) => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new DecimalEvent(decimal.Parse(value, NumberStyles.Number, CultureInfo.InvariantCulture)), When),
        Event("Dec", "&Dec%20-%20Value=" + text));

    [Fact]
    public void NegativeZeroDecimalIsZero()
    {
        decimal negativeZero = decimal.Negate(0.00m); // 0.00 with the sign bit set
        Lines(
            KissmetricsFormatter.FormatTrack(Options(), "bob", new DecimalEvent(negativeZero), When),
            Event("Dec", "&Dec%20-%20Value=0"));
    }

    // ---- dates ----------------------------------------------------------------------------------------------

    public static IEnumerable<object[]> DateTimes() =>
    [
        [new DateTime(2014, 1, 1, 0, 0, 0, DateTimeKind.Utc), "1388534400"],
        [new DateTime(2014, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(9_999_999), "1388534400"],
        [new DateTime(2014, 1, 1, 0, 0, 0, 999, DateTimeKind.Unspecified), "1388534400"],
        [new DateTime(1969, 12, 31, 23, 59, 59, 500, DateTimeKind.Utc), "-1"],
        [new DateTime(1969, 12, 31, 23, 59, 59, 500, DateTimeKind.Unspecified), "-1"],
        [new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc), "0"],
        [new DateTime(2014, 1, 1, 0, 0, 0, DateTimeKind.Utc).ToLocalTime(), "1388534400"],
    ];

    [Theory]
    [MemberData(nameof(DateTimes))]
    public void DateTimeIsFloorUnixSecondsUnspecifiedTakenAsUtc(DateTime value, string text) => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new DateTimeEvent(value), When),
        Event("When", "&When%20-%20Value=" + text));

    public static IEnumerable<object[]> DateTimeOffsets() =>
    [
        [new DateTimeOffset(2014, 1, 1, 0, 0, 0, TimeSpan.Zero), "1388534400"],
        [new DateTimeOffset(2014, 1, 1, 9, 0, 0, 750, TimeSpan.FromHours(9)), "1388534400"],
        [new DateTimeOffset(2013, 12, 31, 19, 0, 0, TimeSpan.FromHours(-5)), "1388534400"],
        [new DateTimeOffset(1969, 12, 31, 18, 59, 59, 1, TimeSpan.FromHours(-5)), "-1"],
    ];

    [Theory]
    [MemberData(nameof(DateTimeOffsets))]
    public void DateTimeOffsetIsFloorUnixSeconds(DateTimeOffset value, string text) => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new DateTimeOffsetEvent(value), When),
        Event("WhenOffset", "&WhenOffset%20-%20Value=" + text));

    [Theory]
    [InlineData(2014, 1, 1, "1388534400")]
    [InlineData(1970, 1, 1, "0")]
    [InlineData(1969, 12, 31, "-86400")]
    public void DateOnlyIsItsUtcMidnight(int year, int month, int day, string text) => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new DateOnlyEvent(new DateOnly(year, month, day)), When),
        Event("Day", "&Day%20-%20Value=" + text));

    // ---- enum, Guid, Nullable<T> ----------------------------------------------------------------------------

    [Theory]
    [InlineData(Tier.Free, "Free")]
    [InlineData(Tier.GoldPlus, "Gold%20Plus%20%26%20more")]
    [InlineData(Tier.Enterprise, "Enterprise")]
    [InlineData((Tier)7, "7")]
    [InlineData((Tier)(-3), "-3")]
    public void EnumIsTheMemberNameOrItsEnumMemberValueOrAnUndefinedValuesNumber(Tier value, string text) => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new EnumEvent(value), When),
        Event("Enum", "&Enum%20-%20Value=" + text));

    [Fact]
    public void ANullableEnumOmitsWhenNullAndIsNamedOtherwise()
    {
        Lines(
            KissmetricsFormatter.FormatTrack(Options(), "bob", new EnumEvent(Tier.Free, null), When),
            Event("Enum", "&Enum%20-%20Value=Free"));
        Lines(
            KissmetricsFormatter.FormatTrack(Options(), "bob", new EnumEvent(Tier.Free, Tier.GoldPlus), When),
            Event("Enum", "&Enum%20-%20Value=Free&Enum%20-%20Maybe=Gold%20Plus%20%26%20more"));
    }

    [Fact]
    public void AnUndefinedValueOfAnUnsignedLongEnumIsItsUnsignedNumber() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new HugeEnumEvent((Huge)ulong.MaxValue), When),
        Event("HugeEnum", "&HugeEnum%20-%20Value=18446744073709551615"));

    [Fact]
    public void UnsignedLongEnumElementsOfACollection() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new HugeEnumEvent(Huge.Small, [Huge.Small, (Huge)ulong.MaxValue, (Huge)2]), When),
        Event("HugeEnum", "&HugeEnum%20-%20Value=Small&HugeEnum%20-%20All=Small%2C18446744073709551615%2C2"));

    [Fact]
    public void ADefinedValueOfAnUnsignedLongEnumIsItsName() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new HugeEnumEvent(Huge.Small), When),
        Event("HugeEnum", "&HugeEnum%20-%20Value=Small"));

    [Theory]
    [InlineData(Negative.Minus, "Minus")]
    [InlineData((Negative)(-5), "-5")]
    public void ASignedByteEnum(Negative value, string text) => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new NegativeEnumEvent(value), When),
        Event("NegativeEnum", "&NegativeEnum%20-%20Value=" + text));

    [Fact]
    public void NullValueTypesOmitTheirProperties() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new Nullables(null, null, null, null, null, null, null), When),
        "/e?_k=km-key&_p=bob&_n=Nullables&_t=1388534400&_d=1");

    [Fact]
    public void PresentNullableValueTypesAreSentAsTheirValue() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new Nullables(0, false, 0.5, 0.10m, When, s_guid, new DateOnly(2014, 1, 1)), When),
        "/e?_k=km-key&_p=bob&_n=Nullables&_t=1388534400&_d=1" +
        "&Nullables%20-%20Int=0&Nullables%20-%20Flag=false&Nullables%20-%20Double=0.5&Nullables%20-%20Decimal=0.1" +
        "&Nullables%20-%20When=1388534400&Nullables%20-%20Guid=0f8fad5b-d9cb-469f-a165-70867728950e&Nullables%20-%20Day=1388534400");

    // ---- nested objects -------------------------------------------------------------------------------------

    [Fact]
    public void NestedRecordsClassesAndStructsAreFlattenedRecursively() => Lines(
        KissmetricsFormatter.FormatTrack(
            Options(),
            "bob",
            new NestedEvent(new InnerPart("x", "y"), new Place { City = "Paris", Size = new Size(3, 4) }, new Size(1, 2), new Size(5, 6)),
            When),
        "/e?_k=km-key&_p=bob&_n=Nested&_t=1388534400&_d=1" +
        "&Nested%20-%20Part.X=x&Nested%20-%20Part.Y=y" +
        "&Nested%20-%20Place.City=Paris&Nested%20-%20Place.Size.Width=3&Nested%20-%20Place.Size.Height=4" +
        "&Nested%20-%20Size.Width=1&Nested%20-%20Size.Height=2" +
        "&Nested%20-%20MaybeSize.Width=5&Nested%20-%20MaybeSize.Height=6");

    [Fact]
    public void ANullNestedObjectOmitsAllItsKeys() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new NestedEvent(null, null, default, null), When),
        "/e?_k=km-key&_p=bob&_n=Nested&_t=1388534400&_d=1&Nested%20-%20Size.Width=0&Nested%20-%20Size.Height=0");

    [Fact]
    public void NestedNamesWithoutPrefix() => Lines(
        KissmetricsFormatter.FormatTrack(Options(prefix: false), "bob", new NestedEvent(new InnerPart(null!, "y"), new Place(), default, null), When),
        "/e?_k=km-key&_p=bob&_n=Nested&_t=1388534400&_d=1&Part.Y=y&Place.Size.Width=0&Place.Size.Height=0&Size.Width=0&Size.Height=0");

    // ---- collections ----------------------------------------------------------------------------------------

    [Fact]
    public void CollectionsOfScalarsAreJoinedWithCommas() => Lines(
        KissmetricsFormatter.FormatTrack(
            Options(),
            "bob",
            new Lists(
                Array: [1, 2, 3],
                List: ["a,b", null, "ü"],
                ReadOnlyList: [0.5, 1e21, 450],
                Enumerable: new[] { Tier.Free, Tier.GoldPlus, (Tier)7 },
                WithNulls: [1, null, 2],
                Guids: [s_guid, Guid.Empty],
                Times: [When, When.AddSeconds(1.5)],
                Amounts: [450.00m, 0.10m]),
            When),
        "/e?_k=km-key&_p=bob&_n=Lists&_t=1388534400&_d=1" +
        "&Lists%20-%20Array=1%2C2%2C3" +
        "&Lists%20-%20List=a%2Cb%2C%2C%C3%BC" +
        "&Lists%20-%20ReadOnlyList=0.5%2C1e%2B21%2C450" +
        "&Lists%20-%20Enumerable=Free%2CGold%20Plus%20%26%20more%2C7" +
        "&Lists%20-%20WithNulls=1%2C%2C2" +
        "&Lists%20-%20Guids=0f8fad5b-d9cb-469f-a165-70867728950e%2C00000000-0000-0000-0000-000000000000" +
        "&Lists%20-%20Times=1388534400%2C1388534401" +
        "&Lists%20-%20Amounts=450%2C0.1");

    [Fact]
    public void AnEnumerableThatIsNotAListIsWalkedInOrderLikeAList()
    {
        static IEnumerable<Tier> Sequence()
        {
            yield return Tier.Free;
            yield return Tier.GoldPlus;
            yield return (Tier)7;
        }

        IReadOnlyList<string> fromSequence = KissmetricsFormatter.FormatTrack(Options(), "bob", new Lists(null, null, null, Sequence(), null, null, null, null), When);
        IReadOnlyList<string> fromList = KissmetricsFormatter.FormatTrack(Options(), "bob", new Lists(null, null, null, new List<Tier> { Tier.Free, Tier.GoldPlus, (Tier)7 }, null, null, null, null), When);
        Lines(fromSequence, "/e?_k=km-key&_p=bob&_n=Lists&_t=1388534400&_d=1&Lists%20-%20Enumerable=Free%2CGold%20Plus%20%26%20more%2C7");
        Assert.Equal(fromSequence, fromList);
    }

    [Fact]
    public void EmptyCollectionsAreSentEmpty() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new Lists([], [], [], [], [], [], [], []), When),
        "/e?_k=km-key&_p=bob&_n=Lists&_t=1388534400&_d=1" +
        "&Lists%20-%20Array=&Lists%20-%20List=&Lists%20-%20ReadOnlyList=&Lists%20-%20Enumerable=" +
        "&Lists%20-%20WithNulls=&Lists%20-%20Guids=&Lists%20-%20Times=&Lists%20-%20Amounts=");

    [Fact]
    public void NullCollectionsOmitTheirProperties() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new Lists(null, null, null, null, null, null, null, null), When),
        "/e?_k=km-key&_p=bob&_n=Lists&_t=1388534400&_d=1");

    [Fact]
    public void NullElementsAreEmptyWhereverTheyAre() => Lines(
        KissmetricsFormatter.FormatTrack(Options(prefix: false), "bob", new Lists([7], [null], null, null, [null, null], null, null, null), When),
        "/e?_k=km-key&_p=bob&_n=Lists&_t=1388534400&_d=1&Array=7&List=&WithNulls=%2C");

    /// <summary>Choice (mapping.md is silent): a NaN or infinite element is left empty, like a null element.</summary>
    [Fact]
    public void NonFiniteElementsAreEmpty() => Lines(
        KissmetricsFormatter.FormatTrack(Options(prefix: false), "bob", new Lists(null, null, [double.NaN, 1, double.PositiveInfinity], null, null, null, null, null), When),
        "/e?_k=km-key&_p=bob&_n=Lists&_t=1388534400&_d=1&ReadOnlyList=%2C1%2C");

    // ---- struct annotated types ----------------------------------------------------------------------------

    [Fact]
    public void StructTypesAreSentLikeRecords()
    {
        Lines(
            KissmetricsFormatter.FormatTrack(Options(), "bob", new StructEvent("Pro", 3, 1.5), When),
            "/e?_k=km-key&_p=bob&_n=Struct%20Event&_t=1388534400&_d=1&Struct%20Event%20-%20Plan=Pro&Struct%20Event%20-%20Count=3" +
            "&Struct%20Event%20-%20Amount=1.5&Billing%20Amount=1.5");
        Lines(
            KissmetricsFormatter.FormatIdentify(Options(), "u1", new StructTraits("a@b.co", 42), timestamp: When),
            "/s?_k=km-key&_p=u1&_t=1388534400&_d=1&Email=a%40b.co&Age=42&id=u1");
        Lines(
            KissmetricsFormatter.FormatGroup(Options(), "bob", "g1", new StructCompany { Name = "Acme" }, When),
            "/s?_k=km-key&_p=bob&_t=1388534400&_d=1&Group%20-%20Name=Acme&Group%20-%20id=g1");
        Lines(
            KissmetricsFormatter.FormatPage(Options(), "bob", new StructPage("u"), When),
            "/e?_k=km-key&_p=bob&_n=Viewed%20Struct%20Page&_t=1388534400&_d=1&Page%20-%20Url=u&Page%20-%20name=Struct");
        Lines(
            KissmetricsFormatter.FormatScreen(Options(), "bob", new StructScreen("t"), When),
            "/e?_k=km-key&_p=bob&_n=Viewed%20Struct%20Screen&_t=1388534400&_d=1&Screen%20-%20Tab=t&Screen%20-%20name=Struct");
    }

    // ---- names: [KissmetricsProperty] and [KissmetricsIgnore] ------------------------------------------------

    [Fact]
    public void AttributesOnPositionalParametersCountWithoutAPropertyTarget() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new PositionalAttributes("Pro", "s3cret", "t", "k"), When),
        "/e?_k=km-key&_p=bob&_n=Positional&_t=1388534400&_d=1&Positional%20-%20Plan%20Name=Pro&Positional%20-%20Targeted=t&Positional%20-%20Kept=k");

    [Fact]
    public void AttributesOnOrdinaryPropertiesAndOnlyPublicInstanceGettersAreSent()
    {
        var regular = new RegularAttributes { Plan = "Pro", Secret = "s3cret", Kept = "k", PrivateGetter = "p" };
        Assert.Equal("hidden", regular.ShowHidden());
        Lines(
            KissmetricsFormatter.FormatTrack(Options(), "bob", regular, When),
            "/e?_k=km-key&_p=bob&_n=Regular&_t=1388534400&_d=1&Regular%20-%20Plan%20Name=Pro&Regular%20-%20Kept=k");
    }
}
