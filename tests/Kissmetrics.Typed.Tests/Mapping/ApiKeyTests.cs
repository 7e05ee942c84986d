using System;
using Xunit;
using static Kissmetrics.Typed.Tests.Mapping.Golden;

namespace Kissmetrics.Typed.Tests.Mapping;

/// <summary>The API key is percent-encoded once per key and reused; these pin that the reuse never sends a stale or unchecked key.</summary>
public sealed class ApiKeyTests
{
    [Fact]
    public void AKeyChangedBetweenCallsIsSentFromTheNextCall()
    {
        KissmetricsOptions options = Options();
        Lines(KissmetricsFormatter.FormatAlias(options, "a", "b"), "/a?_k=km-key&_p=a&_n=b");

        options.ApiKey = "second key";
        Lines(KissmetricsFormatter.FormatAlias(options, "a", "b"), "/a?_k=second%20key&_p=a&_n=b");

        options.ApiKey = "km-key";
        Lines(KissmetricsFormatter.FormatTrack(options, "a", new SignedUp("Pro"), When), "/e?_k=km-key&_p=a&_n=Signed%20Up&_t=1388534400&_d=1&Signed%20Up%20-%20Plan=Pro");
    }

    [Fact]
    public void AKeyWithReservedAndNonAsciiCharactersIsEncoded()
    {
        KissmetricsOptions options = Options();
        options.ApiKey = "k&y=é";
        Lines(KissmetricsFormatter.FormatAlias(options, "a", "b"), "/a?_k=k%26y%3D%C3%A9&_p=a&_n=b");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void AMissingOrBlankKeyIsAClearConfigurationErrorEveryTime(string? key)
    {
        KissmetricsOptions options = Options();
        options.ApiKey = key;
        for (int attempt = 0; attempt < 2; attempt++)
        {
            var exception = Assert.Throws<KissmetricsConfigurationException>(() => KissmetricsFormatter.FormatTrack(options, "a", new SignedUp("Pro"), When));
            Assert.Contains("KissmetricsOptions.ApiKey is required", exception.Message, StringComparison.Ordinal);
        }
    }
}
