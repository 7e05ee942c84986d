using System;
using System.Text.RegularExpressions;
using Kissmetrics.Typed.Generator.Model;

namespace Kissmetrics.Typed.Generator.Parsing;

/// <summary>
/// The one home of the wire-name rules (mapping.md §3-§9): prefixes, flattening, revenue and completed orders.
/// The generator and the analyzers both call it, so a diagnostic and the generated code cannot disagree. The fixed
/// names the runtime writes too (<c>Billing Amount</c>, <c>Group - </c>, the ids) are <c>Internal.KissmetricsWireNames</c>'s.
/// </summary>
internal static class WireNames
{
    /// <summary>The property a completed order's <c>total</c> is copied to when it has no revenue.</summary>
    public const string Revenue = "revenue";

    /// <summary>The order total that serves as revenue when an order has none.</summary>
    public const string Total = "total";

    /// <summary>The collection of objects a completed order sends one request per element of.</summary>
    public const string Products = "products";

    /// <summary>The separator between a parent and a child of a flattened object.</summary>
    public const string FlattenSeparator = ".";

    private static readonly Regex s_completedOrder = new(
        "^[ _]?completed[ _]?order[ _]?|^[ _]?order[ _]?completed[ _]?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary><c>Signed Up - </c>: the prefix of track properties when <c>PrefixProperties</c> is on.</summary>
    public static string EventPrefix(string eventName) => eventName + " - ";

    /// <summary><c>Page - </c> or <c>Screen - </c>, applied whatever <c>PrefixProperties</c> says.</summary>
    public static string ViewPrefix(SpecKind kind) => kind == SpecKind.Screen ? "Screen - " : "Page - ";

    /// <summary><c>Viewed Docs Page</c> / <c>Viewed Home Screen</c>.</summary>
    public static string ViewEventName(SpecKind kind, string nameOrCategory) =>
        "Viewed " + nameOrCategory + (kind == SpecKind.Screen ? " Screen" : " Page");

    /// <summary>Whether an event name is one of a completed order (mapping.md §9).</summary>
    public static bool IsCompletedOrderName(string eventName) => s_completedOrder.IsMatch(eventName);

    /// <summary>The name of one member: explicit, or the C# name through the policy.</summary>
    public static string MemberName(MemberSpec member, NamingPolicy policy) =>
        MemberName(member.ClrName, member.ExplicitName, policy);

    /// <summary>The name of one member: <paramref name="explicitName"/> (<c>[KissmetricsProperty]</c>), or <paramref name="clrName"/> through the policy.</summary>
    public static string MemberName(string clrName, string? explicitName, NamingPolicy policy) =>
        explicitName ?? NamingPolicies.Apply(policy, clrName);

    /// <summary>The name of a flattened child under its parent.</summary>
    public static string Flatten(string parent, string child) => parent + FlattenSeparator + child;

    /// <summary>Whether a member is the revenue when none is marked: the one named <c>revenue</c>, ignoring case.</summary>
    public static bool IsImplicitRevenue(string wireName) => string.Equals(wireName, Revenue, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a name is never prefixed: <c>Billing Amount</c>.</summary>
    public static bool IsNeverPrefixed(string wireName) => string.Equals(wireName, Internal.KissmetricsWireNames.BillingAmount, StringComparison.Ordinal);

    /// <summary>Names starting with <c>_</c> are Kissmetrics control parameters.</summary>
    public static bool IsReserved(string wireName) => wireName.StartsWith("_", StringComparison.Ordinal);

    /// <summary>Kissmetrics accepts event and property names shorter than this.</summary>
    public const int MaxNameLength = 255;

    /// <summary>Whether Kissmetrics rejects a name for its length (prefix included).</summary>
    public static bool IsTooLong(string name) => name.Length >= MaxNameLength;

    /// <summary>Whether a name contains <c>,</c> or <c>:</c>, which Kissmetrics turns into spaces.</summary>
    public static bool HasSeparator(string name) => name.IndexOf(',') >= 0 || name.IndexOf(':') >= 0;

    /// <summary>The name Kissmetrics stores for <paramref name="name"/>: <c>,</c> and <c>:</c> become spaces.</summary>
    public static string WithoutSeparators(string name) => name.Replace(',', ' ').Replace(':', ' ');

    /// <summary><paramref name="name"/> without its leading underscores (the reserved prefix).</summary>
    public static string WithoutReservedPrefix(string name) => name.TrimStart('_');
}
