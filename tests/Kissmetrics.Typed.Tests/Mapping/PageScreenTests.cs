using System.Collections.Generic;
using Xunit;
using static Kissmetrics.Typed.Tests.Mapping.Golden;

namespace Kissmetrics.Typed.Tests.Mapping;

/// <summary>mapping.md §8: pages and screens, every row of the table and every combination of the two settings.</summary>
public sealed class PageScreenTests
{
    [Fact]
    public void ANamedPageIsViewedNamePageWithPagePrefixedPropertiesAndItsName() => Lines(
        KissmetricsFormatter.FormatPage(Options(), "bob", new DocsPage("https://example.com/docs?q=1", "https://google.com/"), When),
        "/e?_k=km-key&_p=bob&_n=Viewed%20Docs%20Page&_t=1388534400&_d=1" +
        "&Page%20-%20url=https%3A%2F%2Fexample.com%2Fdocs%3Fq%3D1&Page%20-%20referrer=https%3A%2F%2Fgoogle.com%2F&Page%20-%20name=Docs");

    [Fact]
    public void PagePropertiesArePrefixedWhateverPrefixPropertiesSays() => Lines(
        KissmetricsFormatter.FormatPage(Options(prefix: false), "bob", new DocsPage("u", null), When),
        "/e?_k=km-key&_p=bob&_n=Viewed%20Docs%20Page&_t=1388534400&_d=1&Page%20-%20url=u&Page%20-%20name=Docs");

    [Theory]
    [InlineData(true, true, "Viewed%20Name%20Page")]
    [InlineData(true, false, "Viewed%20Name%20Page")]
    [InlineData(false, true, "Viewed%20Category%20Page")]
    public void ANamedCategorizedPageUsesTheNameWhenAllowedElseTheCategory(bool named, bool categorized, string eventName) => Lines(
        KissmetricsFormatter.FormatPage(Options(named: named, categorized: categorized), "bob", new NamedCategorizedPage(), When),
        "/e?_k=km-key&_p=bob&_n=" + eventName + "&_t=1388534400&_d=1&Page%20-%20name=Name&Page%20-%20category=Category");

    [Fact]
    public void ANamedCategorizedPageSendsNothingWhenNeitherIsAllowed() =>
        Assert.Empty(KissmetricsFormatter.FormatPage(Options(named: false, categorized: false), "bob", new NamedCategorizedPage(), When));

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public void APageWithOnlyACategoryIsViewedCategoryPage(bool named, bool categorized) => Lines(
        KissmetricsFormatter.FormatPage(Options(named: named, categorized: categorized), "bob", new GuidesPage("intro"), When),
        "/e?_k=km-key&_p=bob&_n=Viewed%20Guides%20Page&_t=1388534400&_d=1&Page%20-%20Section=intro&Page%20-%20category=Guides");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void APageWithOnlyACategorySendsNothingWhenCategoriesAreNotTracked(bool named) =>
        Assert.Empty(KissmetricsFormatter.FormatPage(Options(named: named, categorized: false), "bob", new GuidesPage("intro"), When));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void APageWithOnlyANameSendsNothingWhenNamesAreNotTracked(bool categorized) =>
        Assert.Empty(KissmetricsFormatter.FormatPage(Options(named: false, categorized: categorized), "bob", new DocsPage("u", "r"), When));

    [Fact]
    public void ANamedPageIsSentWhenOnlyCategoriesAreNotTracked() => Lines(
        KissmetricsFormatter.FormatPage(Options(categorized: false), "bob", new DocsPage("u", null), When),
        "/e?_k=km-key&_p=bob&_n=Viewed%20Docs%20Page&_t=1388534400&_d=1&Page%20-%20url=u&Page%20-%20name=Docs");

    // ---- screens --------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ANamedScreenIsViewedNameScreenWithScreenPrefixedProperties(bool prefix) => Lines(
        KissmetricsFormatter.FormatScreen(Options(prefix), "bob", new HomeScreen("feed & more"), When),
        "/e?_k=km-key&_p=bob&_n=Viewed%20Home%20Screen&_t=1388534400&_d=1&Screen%20-%20tab=feed%20%26%20more&Screen%20-%20name=Home");

    [Theory]
    [InlineData(true, true, "Viewed%20Name%20Screen")]
    [InlineData(true, false, "Viewed%20Name%20Screen")]
    [InlineData(false, true, "Viewed%20Category%20Screen")]
    public void ANamedCategorizedScreenUsesTheNameWhenAllowedElseTheCategory(bool named, bool categorized, string eventName) => Lines(
        KissmetricsFormatter.FormatScreen(Options(named: named, categorized: categorized), "bob", new NamedCategorizedScreen(2), When),
        "/e?_k=km-key&_p=bob&_n=" + eventName + "&_t=1388534400&_d=1&Screen%20-%20Depth=2&Screen%20-%20name=Name&Screen%20-%20category=Category");

    [Fact]
    public void ANamedCategorizedScreenSendsNothingWhenNeitherIsAllowed() =>
        Assert.Empty(KissmetricsFormatter.FormatScreen(Options(named: false, categorized: false), "bob", new NamedCategorizedScreen(2), When));

    [Fact]
    public void AScreenWithOnlyACategory()
    {
        Lines(
            KissmetricsFormatter.FormatScreen(Options(named: false), "bob", new SettingsScreen(), When),
            "/e?_k=km-key&_p=bob&_n=Viewed%20Settings%20Screen&_t=1388534400&_d=1&Screen%20-%20category=Settings");
        Assert.Empty(KissmetricsFormatter.FormatScreen(Options(categorized: false), "bob", new SettingsScreen(), When));
    }

    [Fact]
    public void AScreenWithOnlyANameSendsNothingWhenNamesAreNotTracked() =>
        Assert.Empty(KissmetricsFormatter.FormatScreen(Options(named: false), "bob", new HomeScreen("feed"), When));

    [Fact]
    public void NullPagePropertiesAreOmittedButNameAndCategoryAreAlwaysSent()
    {
        IReadOnlyList<string> lines = KissmetricsFormatter.FormatPage(Options(), "bob", new GuidesPage(null), When);
        Lines(lines, "/e?_k=km-key&_p=bob&_n=Viewed%20Guides%20Page&_t=1388534400&_d=1&Page%20-%20category=Guides");
    }
}
