using System;
using Xunit;
using static Kissmetrics.Typed.Tests.Mapping.Golden;

namespace Kissmetrics.Typed.Tests.Mapping;

/// <summary>mapping.md §5 (identify), §6 (group) and §7 (alias), as exact lines.</summary>
public sealed class IdentifyGroupAliasTests
{
    // ---- §5 identify ----------------------------------------------------------------------------------------

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void IdentifySetsTheTraitsNeverPrefixedAndTheId(bool prefix) => Lines(
        KissmetricsFormatter.FormatIdentify(Options(prefix), "u1", new UserTraits("a@b.co"), timestamp: When),
        "/s?_k=km-key&_p=u1&_t=1388534400&_d=1&Email=a%40b.co&id=u1");

    [Fact]
    public void IdentifyWithAnAnonymousIdAliasesItAfterwards() => Lines(
        KissmetricsFormatter.FormatIdentify(Options(), "user-id", new UserTraits("a@b.co"), "anonymous-id", When),
        "/s?_k=km-key&_p=user-id&_t=1388534400&_d=1&Email=a%40b.co&id=user-id",
        "/a?_k=km-key&_p=user-id&_n=anonymous-id");

    [Fact]
    public void IdentifyFlattensNestedTraits() => Lines(
        KissmetricsFormatter.FormatIdentify(Options(), "u1", new UserTraits("a@b.co", new PostalAddress("Zürich", null), 42), timestamp: When),
        "/s?_k=km-key&_p=u1&_t=1388534400&_d=1&Email=a%40b.co&Address.City=Z%C3%BCrich&Age=42&id=u1");

    [Fact]
    public void IdentifyOmitsNullTraitsButAlwaysSendsTheId() => Lines(
        KissmetricsFormatter.FormatIdentify(Options(), "u1", new UserTraits(null), timestamp: When),
        "/s?_k=km-key&_p=u1&_t=1388534400&_d=1&id=u1");

    [Fact]
    public void IdentifyEncodesThePersonInPAndInId() => Lines(
        KissmetricsFormatter.FormatIdentify(Options(), "a b&c", new UserTraits(null), "anon+1", When),
        "/s?_k=km-key&_p=a%20b%26c&_t=1388534400&_d=1&id=a%20b%26c",
        "/a?_k=km-key&_p=a%20b%26c&_n=anon%2B1");

    [Fact]
    public void AnEmptyAnonymousIdIsAnArgumentException() =>
        Assert.Throws<ArgumentException>(() => KissmetricsFormatter.FormatIdentify(Options(), "u1", new UserTraits(null), string.Empty, When));

    // ---- §6 group -------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GroupPrefixesEveryTraitWithGroupAndAddsTheGroupId(bool prefix) => Lines(
        KissmetricsFormatter.FormatGroup(Options(prefix), "bob", "123", new CompanyTraits("Test Inc", 250), When),
        "/s?_k=km-key&_p=bob&_t=1388534400&_d=1&Group%20-%20Name=Test%20Inc&Group%20-%20Employees=250&Group%20-%20id=123");

    [Fact]
    public void GroupFlattensAndJoinsTraits() => Lines(
        KissmetricsFormatter.FormatGroup(Options(), "bob", "acme & co", new CompanyTraits("Acme", 5, new PostalAddress("Paris", "FR"), ["b2b", "saas"]), When),
        "/s?_k=km-key&_p=bob&_t=1388534400&_d=1&Group%20-%20Name=Acme&Group%20-%20Employees=5" +
        "&Group%20-%20Address.City=Paris&Group%20-%20Address.Country=FR&Group%20-%20Tags=b2b%2Csaas&Group%20-%20id=acme%20%26%20co");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void AMissingGroupIdIsAnArgumentException(string? groupId) =>
        Assert.Throws<ArgumentException>(() => KissmetricsFormatter.FormatGroup(Options(), "bob", groupId!, new CompanyTraits("Acme", 5), When));

    // ---- §7 alias -------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AliasIsPreviousAndNewIdWithoutTime(bool prefix) => Lines(
        KissmetricsFormatter.FormatAlias(Options(prefix), "old@example.com", "new@example.com"),
        "/a?_k=km-key&_p=old%40example.com&_n=new%40example.com");

    [Theory]
    [InlineData(null, "new")]
    [InlineData("", "new")]
    [InlineData("old", null)]
    [InlineData("old", "")]
    public void AMissingAliasIdIsAnArgumentException(string? previousId, string? newId) =>
        Assert.Throws<ArgumentException>(() => KissmetricsFormatter.FormatAlias(Options(), previousId!, newId!));
}
