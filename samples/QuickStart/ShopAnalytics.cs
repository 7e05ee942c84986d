using Kissmetrics.Typed;

namespace QuickStart;

/// <summary>
/// The sample's typed tracking client: the generator adds a method per event, traits, page and screen type
/// (<c>SignedUp(person, plan, ...)</c>) and the interface <see cref="IShopAnalytics"/> to mock in tests.
/// </summary>
[KissmetricsClient]
public partial class ShopAnalytics;

/// <summary>
/// Declared here and filled by the generator: ASP.NET Core's request delegate generator (on under PublishAot) cannot
/// see generated types, so a minimal API handler taking it needs this declaration (KM025).
/// </summary>
public partial interface IShopAnalytics;
