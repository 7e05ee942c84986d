using System;
using System.Collections.Generic;
using System.Globalization;
using Xunit;
using static Kissmetrics.Typed.Tests.Mapping.Golden;

namespace Kissmetrics.Typed.Tests.Mapping;

/// <summary>mapping.md §2 (the wire) and §4 (track): exact lines from <see cref="KissmetricsFormatter.FormatTrack"/>.</summary>
public sealed class TrackMappingTests
{
    // ---- §4: the table ------------------------------------------------------------------------------------

    [Fact]
    public void SignedUpIsPrefixedWithTheEventName() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new SignedUp("Pro"), When),
        "/e?_k=km-key&_p=bob&_n=Signed%20Up&_t=1388534400&_d=1&Signed%20Up%20-%20Plan=Pro");

    [Fact]
    public void AnEventDeclaringTheGeneratorsMethodNamesIsStillWrittenAndKeepsItsOwnMember()
    {
        var @event = new ClashingNames("Pro");
        Lines(
            KissmetricsFormatter.FormatTrack(Options(), "bob", @event, When),
            "/e?_k=km-key&_p=bob&_n=Clashing%20Names&_t=1388534400&_d=1&Clashing%20Names%20-%20Plan=Pro");
        Assert.Equal("the user's method", @event.WriteKissmetricsProperties());
    }

    [Fact]
    public void SignedUpWithoutPrefix() => Lines(
        KissmetricsFormatter.FormatTrack(Options(prefix: false), "bob", new SignedUp("Pro"), When),
        "/e?_k=km-key&_p=bob&_n=Signed%20Up&_t=1388534400&_d=1&Plan=Pro");

    [Fact]
    public void TheDocsFooBarPropExampleIsFlattenedJoinedAndPrefixed() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new SignedUp(null, new FooPart(new BarPart([1, 2, 3]))), When),
        "/e?_k=km-key&_p=bob&_n=Signed%20Up&_t=1388534400&_d=1&Signed%20Up%20-%20foo.bar.prop=1%2C2%2C3");

    [Fact]
    public void TheDocsFooBarPropExampleWithoutPrefix() => Lines(
        KissmetricsFormatter.FormatTrack(Options(prefix: false), "bob", new SignedUp("Pro", new FooPart(new BarPart([1, 2, 3]))), When),
        "/e?_k=km-key&_p=bob&_n=Signed%20Up&_t=1388534400&_d=1&Plan=Pro&foo.bar.prop=1%2C2%2C3");

    [Fact]
    public void RevenueIsSentPrefixedAndAsBillingAmount() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new RevenueEvent(9.99), When),
        "/e?_k=km-key&_p=bob&_n=event&_t=1388534400&_d=1&event%20-%20revenue=9.99&Billing%20Amount=9.99");

    [Fact]
    public void RevenueWithoutPrefixStillSendsBillingAmount() => Lines(
        KissmetricsFormatter.FormatTrack(Options(prefix: false), "bob", new RevenueEvent(9.99), When),
        "/e?_k=km-key&_p=bob&_n=event&_t=1388534400&_d=1&revenue=9.99&Billing%20Amount=9.99");

    [Fact]
    public void ZeroRevenueSendsNoBillingAmount() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new Refund(0m), When),
        "/e?_k=km-key&_p=bob&_n=Refund&_t=1388534400&_d=1&Refund%20-%20revenue=0");

    [Fact]
    public void ZeroDoubleRevenueSendsNoBillingAmount() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new RevenueEvent(0.0), When),
        "/e?_k=km-key&_p=bob&_n=event&_t=1388534400&_d=1&event%20-%20revenue=0");

    [Fact]
    public void NegativeRevenueIsARefundAndSendsBillingAmount() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new Refund(-5.50m), When),
        "/e?_k=km-key&_p=bob&_n=Refund&_t=1388534400&_d=1&Refund%20-%20revenue=-5.5&Billing%20Amount=-5.5");

    [Fact]
    public void NullRevenueSendsNothing() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new RevenueEvent(null), When),
        "/e?_k=km-key&_p=bob&_n=event&_t=1388534400&_d=1");

    [Fact]
    public void RevenueIsFoundIgnoringCaseAndBillingAmountFollowsItInPlace() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new Upgraded("Pro", 5m, 2), When),
        "/e?_k=km-key&_p=bob&_n=Upgraded&_t=1388534400&_d=1&Upgraded%20-%20Plan=Pro&Upgraded%20-%20Revenue=5&Billing%20Amount=5&Upgraded%20-%20Seats=2");

    [Fact]
    public void KissmetricsRevenueOnADifferentlyNamedPropertyWinsOverOneNamedRevenue() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new Purchased("book", 12.50m, 3m), When),
        "/e?_k=km-key&_p=bob&_n=Purchased&_t=1388534400&_d=1&Purchased%20-%20Item=book&Purchased%20-%20Price=12.5&Billing%20Amount=12.5&Purchased%20-%20revenue=3");

    [Fact]
    public void KissmetricsRevenueOnAnOrdinaryProperty() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new Renewed { Cents = 999 }, When),
        "/e?_k=km-key&_p=bob&_n=Renewed&_t=1388534400&_d=1&Renewed%20-%20Cents=999&Billing%20Amount=999");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void APropertyNamedBillingAmountIsNeverPrefixed(bool prefix) => Lines(
        KissmetricsFormatter.FormatTrack(Options(prefix), "bob", new Charged("Pro", 5m), When),
        "/e?_k=km-key&_p=bob&_n=Charged&_t=1388534400&_d=1&" + (prefix ? "Charged%20-%20" : string.Empty) + "Plan=Pro&Billing%20Amount=5");

    [Fact]
    public void APropertyNamedBillingAmountIsAnOrdinaryPropertyEvenWhenZero() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new Charged("Pro", 0m), When),
        "/e?_k=km-key&_p=bob&_n=Charged&_t=1388534400&_d=1&Charged%20-%20Plan=Pro&Billing%20Amount=0");

    [Fact]
    public void ARevenueThatIsNotANumberIsOnlyAProperty() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new Tipped("9.99"), When),
        "/e?_k=km-key&_p=bob&_n=Tipped&_t=1388534400&_d=1&Tipped%20-%20revenue=9.99");

    [Theory]
    [InlineData(double.NaN, "")]
    [InlineData(double.PositiveInfinity, "")]
    [InlineData(double.NegativeInfinity, "")]
    [InlineData(1e21, "&Estimated%20-%20Revenue=1e%2B21&Billing%20Amount=1e%2B21")]
    [InlineData(-0.5, "&Estimated%20-%20Revenue=-0.5&Billing%20Amount=-0.5")]
    public void ANonFiniteDoubleRevenueOmitsBothNames(double revenue, string properties) => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new Estimated(revenue), When),
        Event("Estimated", properties));

    // ---- §2: control parameters, order, time ---------------------------------------------------------------

    [Fact]
    public void PropertiesFollowDeclarationOrderNestedMembersDepthFirst() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new Ordering("1", new OuterPart("2", new InnerPart("3", "4"), "5"), "6"), When),
        "/e?_k=km-key&_p=bob&_n=Ordering&_t=1388534400&_d=1" +
        "&Ordering%20-%20First=1&Ordering%20-%20Outer.A=2&Ordering%20-%20Outer.Inner.X=3&Ordering%20-%20Outer.Inner.Y=4" +
        "&Ordering%20-%20Outer.C=5&Ordering%20-%20Last=6");

    [Fact]
    public void BaseTypeMembersComeFirst() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new DerivedEvent { FromBase = "b", FromDerived = "d" }, When),
        "/e?_k=km-key&_p=bob&_n=Derived&_t=1388534400&_d=1&Derived%20-%20FromBase=b&Derived%20-%20FromDerived=d");

    public static IEnumerable<object[]> Timestamps() =>
    [
        [new DateTimeOffset(2014, 1, 1, 0, 0, 0, TimeSpan.Zero), "1388534400"],
        [new DateTimeOffset(2014, 1, 1, 2, 0, 0, 999, TimeSpan.FromHours(2)), "1388534400"],
        [new DateTimeOffset(2013, 12, 31, 19, 0, 0, 500, TimeSpan.FromHours(-5)), "1388534400"],
        [new DateTimeOffset(2014, 1, 1, 5, 30, 1, 999, TimeSpan.FromHours(5.5)).AddTicks(9_999), "1388534401"],
        [new DateTimeOffset(1969, 12, 31, 23, 59, 59, 500, TimeSpan.Zero), "-1"],
        [new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(-1), "-1"],
        [new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero), "0"],
    ];

    [Theory]
    [MemberData(nameof(Timestamps))]
    public void TimeIsTheFloorOfUtcUnixSeconds(DateTimeOffset timestamp, string expected) => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new SignedUp("Pro"), timestamp),
        "/e?_k=km-key&_p=bob&_n=Signed%20Up&_t=" + expected + "&_d=1&Signed%20Up%20-%20Plan=Pro");

    [Fact]
    public void WithoutATimestampTheTimeIsTakenWhenTheCallIsMade()
    {
        long before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string line = Assert.Single(KissmetricsFormatter.FormatTrack(Options(), "bob", new SignedUp("Pro")));
        long after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        const string Head = "/e?_k=km-key&_p=bob&_n=Signed%20Up&_t=";
        const string Tail = "&_d=1&Signed%20Up%20-%20Plan=Pro";
        Assert.StartsWith(Head, line, StringComparison.Ordinal);
        Assert.EndsWith(Tail, line, StringComparison.Ordinal);
        long t = long.Parse(line.AsSpan(Head.Length, line.Length - Head.Length - Tail.Length), NumberStyles.None, CultureInfo.InvariantCulture);
        Assert.InRange(t, before, after);
    }

    [Fact]
    public void AliasCarriesOnlyKeyPersonAndName() => Lines(
        KissmetricsFormatter.FormatAlias(Options(), "bob", "robert"),
        "/a?_k=km-key&_p=bob&_n=robert");

    // ---- §2: encoding ------------------------------------------------------------------------------------

    [Fact]
    public void EventAndPropertyNamesArePercentEncoded() => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new EncodedNames("a&b=c#d+e f"), When),
        "/e?_k=km-key&_p=bob&_n=Caf%C3%A9%20%26%20Co%20%3D%20%231%20%2B%20%C3%BC&_t=1388534400&_d=1" +
        "&Caf%C3%A9%20%26%20Co%20%3D%20%231%20%2B%20%C3%BC%20-%20%C3%9Cn%C3%AF%20code%20%26%20%3D%20%23%20%2B=a%26b%3Dc%23d%2Be%20f");

    [Theory]
    [InlineData("a&b", "a%26b")]
    [InlineData("a=b", "a%3Db")]
    [InlineData("#frag", "%23frag")]
    [InlineData("1+1", "1%2B1")]
    [InlineData("two words", "two%20words")]
    [InlineData("line\nbreak\r\n", "line%0Abreak%0D%0A")]
    [InlineData("100%", "100%25")]
    [InlineData("-._~AZaz09", "-._~AZaz09")]
    [InlineData("/?:@!$'()*,;[]", "%2F%3F%3A%40%21%24%27%28%29%2A%2C%3B%5B%5D")]
    [InlineData("café", "caf%C3%A9")]
    [InlineData("日本", "%E6%97%A5%E6%9C%AC")]
    [InlineData("😀", "%F0%9F%98%80")]
    [InlineData("&_p=mallory", "%26_p%3Dmallory")]
    public void ValuesArePercentEncodedAndCannotStartAParameter(string value, string encoded) => Lines(
        KissmetricsFormatter.FormatTrack(Options(), "bob", new TextEvent(value), When),
        "/e?_k=km-key&_p=bob&_n=Text&_t=1388534400&_d=1&Text%20-%20Value=" + encoded);

    /// <summary>Built in code: xunit's theory-data serialization would replace a lone surrogate before the test sees it.</summary>
    [Fact]
    public void ALoneSurrogateInAValueBecomesTheReplacementCharacter()
    {
        (string Value, string Encoded)[] cases =
        [
            ("x" + (char)0xD800 + "y", "x%EF%BF%BDy"),
            ("x" + (char)0xDC00, "x%EF%BF%BD"),
            (((char)0xD83D).ToString(), "%EF%BF%BD"),
            ((char)0xDE00 + "😀" + (char)0xD83D, "%EF%BF%BD%F0%9F%98%80%EF%BF%BD"),
        ];
        foreach ((string value, string encoded) in cases)
        {
            Lines(
                KissmetricsFormatter.FormatTrack(Options(), "bob", new TextEvent(value), When),
                "/e?_k=km-key&_p=bob&_n=Text&_t=1388534400&_d=1&Text%20-%20Value=" + encoded);
        }
    }

    [Fact]
    public void ALoneSurrogateInThePersonBecomesTheReplacementCharacter()
    {
        Lines(
            KissmetricsFormatter.FormatTrack(Options(), "u" + (char)0xD800, new SignedUp("Pro"), When),
            "/e?_k=km-key&_p=u%EF%BF%BD&_n=Signed%20Up&_t=1388534400&_d=1&Signed%20Up%20-%20Plan=Pro");
        Lines(
            KissmetricsFormatter.FormatTrack(Options(), (char)0xDFFF + "u", new SignedUp("Pro"), When),
            "/e?_k=km-key&_p=%EF%BF%BDu&_n=Signed%20Up&_t=1388534400&_d=1&Signed%20Up%20-%20Plan=Pro");
        Lines(
            KissmetricsFormatter.FormatAlias(Options(), "a" + (char)0xD800, "b" + (char)0xDC00),
            "/a?_k=km-key&_p=a%EF%BF%BD&_n=b%EF%BF%BD");
    }

    [Fact]
    public void ASurrogatePairAcrossTheEncodersChunkBoundaryStaysOneCharacter()
    {
        foreach (int before in new[] { 168, 169, 170, 339, 340 })
        {
            string value = new string('a', before) + "😀b";
            Lines(
                KissmetricsFormatter.FormatTrack(Options(), "bob", new TextEvent(value), When),
                "/e?_k=km-key&_p=bob&_n=Text&_t=1388534400&_d=1&Text%20-%20Value=" + new string('a', before) + "%F0%9F%98%80b");
        }
    }

    [Fact]
    public void ALongNonAsciiValueIsEncodedWhole()
    {
        string value = string.Concat(System.Linq.Enumerable.Repeat("é日", 500));
        Lines(
            KissmetricsFormatter.FormatTrack(Options(), "bob", new TextEvent(value), When),
            "/e?_k=km-key&_p=bob&_n=Text&_t=1388534400&_d=1&Text%20-%20Value=" + string.Concat(System.Linq.Enumerable.Repeat("%C3%A9%E6%97%A5", 500)));
    }

    [Theory]
    [InlineData("bob & alice=1", "bob%20%26%20alice%3D1")]
    [InlineData("a+b#c", "a%2Bb%23c")]
    [InlineData("bob@example.com", "bob%40example.com")]
    [InlineData("żółw", "%C5%BC%C3%B3%C5%82w")]
    public void ThePersonIsPercentEncoded(string person, string encoded) => Lines(
        KissmetricsFormatter.FormatTrack(Options(), person, new SignedUp("Pro"), When),
        "/e?_k=km-key&_p=" + encoded + "&_n=Signed%20Up&_t=1388534400&_d=1&Signed%20Up%20-%20Plan=Pro");

    [Fact]
    public void TheApiKeyIsPercentEncoded()
    {
        var options = new KissmetricsOptions { ApiKey = "k&y=1" };
        Lines(
            KissmetricsFormatter.FormatTrack(options, "bob", new SignedUp("Pro"), When),
            "/e?_k=k%26y%3D1&_p=bob&_n=Signed%20Up&_t=1388534400&_d=1&Signed%20Up%20-%20Plan=Pro");
    }
}
