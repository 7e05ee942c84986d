using System;
using System.Collections.Generic;
using Xunit;

namespace Kissmetrics.Typed.Tests.Mapping;

/// <summary>The fixed inputs of the golden lines: one API key, one person, one instant (2014-01-01T00:00:00Z).</summary>
internal static class Golden
{
    public const string ApiKey = "km-key";

    public const string Person = "bob";

    /// <summary><see cref="When"/> as Unix seconds.</summary>
    public const string T = "1388534400";

    /// <summary>2014-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset When = new(2014, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static KissmetricsOptions Options(bool prefix = true, bool named = true, bool categorized = true) => new()
    {
        ApiKey = ApiKey,
        PrefixProperties = prefix,
        TrackNamedPages = named,
        TrackCategorizedPages = categorized,
    };

    /// <summary>A whole <c>/e</c> line for <see cref="Person"/> at <see cref="When"/>: the control parameters, then <paramref name="properties"/> as given.</summary>
    public static string Event(string encodedEventName, string properties = "") =>
        "/e?_k=" + ApiKey + "&_p=" + Person + "&_n=" + encodedEventName + "&_t=" + T + "&_d=1" + properties;

    /// <summary>Exactly these lines, in this order.</summary>
    public static void Lines(IReadOnlyList<string> actual, params string[] expected) => Assert.Equal(expected, actual);
}
