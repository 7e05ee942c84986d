using System;
using System.Buffers;
using Xunit;
using static Kissmetrics.Typed.Tests.Mapping.Golden;

namespace Kissmetrics.Typed.Tests.Mapping;

/// <summary>contract.md: a null or empty person is an <see cref="ArgumentException"/>; no API key is a <see cref="KissmetricsConfigurationException"/>. Nothing is written.</summary>
public sealed class CallValidationTests
{
    public static TheoryData<string> Calls() => ["track", "identify", "group", "page", "screen", "alias"];

    private static void Call(string call, ArrayBufferWriter<byte> output, KissmetricsOptions options, string person)
    {
        switch (call)
        {
            case "track":
                KissmetricsFormatter.WriteTrack(output, options, person, new SignedUp("Pro"), When);
                break;
            case "identify":
                KissmetricsFormatter.WriteIdentify(output, options, person, new UserTraits("a@b.co"), "anon", When);
                break;
            case "group":
                KissmetricsFormatter.WriteGroup(output, options, person, "g1", new CompanyTraits("Acme", 1), When);
                break;
            case "page":
                KissmetricsFormatter.WritePage(output, options, person, new DocsPage("u", null), When);
                break;
            case "screen":
                KissmetricsFormatter.WriteScreen(output, options, person, new HomeScreen("t"), When);
                break;
            default:
                KissmetricsFormatter.WriteAlias(output, options, person, "new");
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public void ANullPersonIsAnArgumentException(string call)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => Call(call, output, Options(), null!));
        Assert.Equal(0, output.WrittenCount);
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public void AnEmptyPersonIsAnArgumentException(string call)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => Call(call, output, Options(), string.Empty));
        Assert.Equal(0, output.WrittenCount);
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public void AMissingApiKeyIsAConfigurationError(string call)
    {
        foreach (string? apiKey in new[] { null, string.Empty })
        {
            var output = new ArrayBufferWriter<byte>();
            Assert.Throws<KissmetricsConfigurationException>(() => Call(call, output, new KissmetricsOptions { ApiKey = apiKey }, "bob"));
            Assert.Equal(0, output.WrittenCount);
        }
    }

    [Fact]
    public void AMissingApiKeyIsAnErrorEvenWhenAPageWouldSendNothing() =>
        Assert.Throws<KissmetricsConfigurationException>(() =>
            KissmetricsFormatter.FormatPage(new KissmetricsOptions { TrackNamedPages = false, TrackCategorizedPages = false }, "bob", new DocsPage("u", null), When));

    [Fact]
    public void TheFormatMethodsThrowTheSame()
    {
        Assert.Throws<ArgumentException>(() => KissmetricsFormatter.FormatTrack(Options(), string.Empty, new SignedUp("Pro"), When));
        Assert.Throws<ArgumentException>(() => KissmetricsFormatter.FormatIdentify(Options(), null!, new UserTraits(null)));
        Assert.Throws<ArgumentException>(() => KissmetricsFormatter.FormatGroup(Options(), string.Empty, "g", new CompanyTraits("a", 1)));
        Assert.Throws<ArgumentException>(() => KissmetricsFormatter.FormatPage(Options(), string.Empty, new GuidesPage(null)));
        Assert.Throws<ArgumentException>(() => KissmetricsFormatter.FormatScreen(Options(), null!, new SettingsScreen()));
        Assert.Throws<KissmetricsConfigurationException>(() => KissmetricsFormatter.FormatTrack(new KissmetricsOptions(), "bob", new SignedUp("Pro"), When));
        Assert.Throws<KissmetricsConfigurationException>(() => KissmetricsFormatter.FormatAlias(new KissmetricsOptions { ApiKey = string.Empty }, "a", "b"));
    }
}
