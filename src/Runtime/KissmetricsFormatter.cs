using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text;
using Kissmetrics.Typed.Serialization;

namespace Kissmetrics.Typed;

/// <summary>
/// Shows, byte for byte, what a client call sends, without sending it. Each request is <c>&lt;path&gt;?&lt;query&gt;</c>
/// (for example <c>/e?_k=...&amp;_p=bob&amp;_n=Signed%20Up&amp;_t=1388534400&amp;_d=1&amp;Signed%20Up%20-%20Plan=Pro</c>),
/// whether the transport later sends it as GET or POST. The <c>Write...</c> methods allocate nothing.
/// </summary>
public static class KissmetricsFormatter
{
    // KissmetricsWireNames.IdentifyId and .GroupId, percent-encoded ahead of time so a call only copies the bytes;
    // a test pins each to PercentEncoding.Encode of the shared name.
    internal static ReadOnlySpan<byte> EncodedIdentifyId => "id"u8;

    internal static ReadOnlySpan<byte> EncodedGroupId => "Group%20-%20id"u8;

    /// <summary>The lines a <c>Track</c> call sends: the event, then one line per product of a completed order.</summary>
    /// <param name="options">The API key and the mapping settings.</param>
    /// <param name="person">The person (<c>_p</c>).</param>
    /// <param name="event">The event, a type annotated with <see cref="KissmetricsEventAttribute"/>.</param>
    /// <param name="timestamp">When it happened (<c>_t</c>); the current time when omitted.</param>
    /// <exception cref="ArgumentException"><paramref name="person"/> is null or empty.</exception>
    public static IReadOnlyList<string> FormatTrack<TEvent>(KissmetricsOptions options, string person, TEvent @event, DateTimeOffset? timestamp = null)
        where TEvent : IKissmetricsEvent
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteTrack(buffer, options, person, @event, timestamp);
        return SplitLines(buffer.WrittenSpan);
    }

    /// <summary>Writes what a <c>Track</c> call sends into <paramref name="output"/>, each request followed by <c>'\n'</c>. Allocates nothing.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="options">The API key and the mapping settings.</param>
    /// <param name="person">The person (<c>_p</c>).</param>
    /// <param name="event">The event, a type annotated with <see cref="KissmetricsEventAttribute"/>.</param>
    /// <param name="timestamp">When it happened (<c>_t</c>); the current time when omitted.</param>
    /// <exception cref="ArgumentException"><paramref name="person"/> is null or empty.</exception>
    public static void WriteTrack<TEvent>(IBufferWriter<byte> output, KissmetricsOptions options, string person, TEvent @event, DateTimeOffset? timestamp = null)
        where TEvent : IKissmetricsEvent
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new KissmetricsWriter(output);
        WriteTrack(ref writer, options, person, @event, UnixSeconds(timestamp));
        writer.Flush();
    }

    /// <summary>The lines an <c>Identify</c> call sends: <c>/s</c> with the traits and <c>id</c>, then <c>/a</c> when an anonymous id is given.</summary>
    /// <param name="options">The API key and the mapping settings.</param>
    /// <param name="person">The person (<c>_p</c>).</param>
    /// <param name="traits">The traits, a type annotated with <see cref="KissmetricsTraitsAttribute"/>.</param>
    /// <param name="anonymousId">The person's anonymous id, aliased to <paramref name="person"/> when given.</param>
    /// <param name="timestamp">When it happened (<c>_t</c>); the current time when omitted.</param>
    public static IReadOnlyList<string> FormatIdentify<TTraits>(KissmetricsOptions options, string person, TTraits traits, string? anonymousId = null, DateTimeOffset? timestamp = null)
        where TTraits : IKissmetricsTraits
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteIdentify(buffer, options, person, traits, anonymousId, timestamp);
        return SplitLines(buffer.WrittenSpan);
    }

    /// <summary>Writes what an <c>Identify</c> call sends. Allocates nothing.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="options">The API key and the mapping settings.</param>
    /// <param name="person">The person (<c>_p</c>).</param>
    /// <param name="traits">The traits, a type annotated with <see cref="KissmetricsTraitsAttribute"/>.</param>
    /// <param name="anonymousId">The person's anonymous id, aliased to <paramref name="person"/> when given.</param>
    /// <param name="timestamp">When it happened (<c>_t</c>); the current time when omitted.</param>
    public static void WriteIdentify<TTraits>(IBufferWriter<byte> output, KissmetricsOptions options, string person, TTraits traits, string? anonymousId = null, DateTimeOffset? timestamp = null)
        where TTraits : IKissmetricsTraits
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new KissmetricsWriter(output);
        WriteIdentify(ref writer, options, person, traits, anonymousId, UnixSeconds(timestamp));
        writer.Flush();
    }

    /// <summary>The line a <c>Group</c> call sends: <c>/s</c> with <c>Group - &lt;trait&gt;</c> and <c>Group - id</c>.</summary>
    /// <param name="options">The API key and the mapping settings.</param>
    /// <param name="person">The person (<c>_p</c>).</param>
    /// <param name="groupId">The group's id, sent as <c>Group - id</c>.</param>
    /// <param name="traits">The traits, a type annotated with <see cref="KissmetricsGroupTraitsAttribute"/>.</param>
    /// <param name="timestamp">When it happened (<c>_t</c>); the current time when omitted.</param>
    public static IReadOnlyList<string> FormatGroup<TTraits>(KissmetricsOptions options, string person, string groupId, TTraits traits, DateTimeOffset? timestamp = null)
        where TTraits : IKissmetricsGroupTraits
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteGroup(buffer, options, person, groupId, traits, timestamp);
        return SplitLines(buffer.WrittenSpan);
    }

    /// <summary>Writes what a <c>Group</c> call sends. Allocates nothing.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="options">The API key and the mapping settings.</param>
    /// <param name="person">The person (<c>_p</c>).</param>
    /// <param name="groupId">The group's id, sent as <c>Group - id</c>.</param>
    /// <param name="traits">The traits, a type annotated with <see cref="KissmetricsGroupTraitsAttribute"/>.</param>
    /// <param name="timestamp">When it happened (<c>_t</c>); the current time when omitted.</param>
    public static void WriteGroup<TTraits>(IBufferWriter<byte> output, KissmetricsOptions options, string person, string groupId, TTraits traits, DateTimeOffset? timestamp = null)
        where TTraits : IKissmetricsGroupTraits
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new KissmetricsWriter(output);
        WriteGroup(ref writer, options, person, groupId, traits, UnixSeconds(timestamp));
        writer.Flush();
    }

    /// <summary>The line a <c>Page</c> call sends (<c>Viewed &lt;name or category&gt; Page</c>), or none when the settings allow neither.</summary>
    /// <param name="options">The API key and the mapping settings.</param>
    /// <param name="person">The person (<c>_p</c>).</param>
    /// <param name="page">The page, a type annotated with <see cref="KissmetricsPageAttribute"/>.</param>
    /// <param name="timestamp">When it happened (<c>_t</c>); the current time when omitted.</param>
    public static IReadOnlyList<string> FormatPage<TPage>(KissmetricsOptions options, string person, TPage page, DateTimeOffset? timestamp = null)
        where TPage : IKissmetricsPage
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WritePage(buffer, options, person, page, timestamp);
        return SplitLines(buffer.WrittenSpan);
    }

    /// <summary>Writes what a <c>Page</c> call sends. Allocates nothing.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="options">The API key and the mapping settings.</param>
    /// <param name="person">The person (<c>_p</c>).</param>
    /// <param name="page">The page, a type annotated with <see cref="KissmetricsPageAttribute"/>.</param>
    /// <param name="timestamp">When it happened (<c>_t</c>); the current time when omitted.</param>
    public static void WritePage<TPage>(IBufferWriter<byte> output, KissmetricsOptions options, string person, TPage page, DateTimeOffset? timestamp = null)
        where TPage : IKissmetricsPage
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new KissmetricsWriter(output);
        WriteView(ref writer, options, person, page, UnixSeconds(timestamp));
        writer.Flush();
    }

    /// <summary>The line a <c>Screen</c> call sends (<c>Viewed &lt;name or category&gt; Screen</c>), or none when the settings allow neither.</summary>
    /// <param name="options">The API key and the mapping settings.</param>
    /// <param name="person">The person (<c>_p</c>).</param>
    /// <param name="screen">The screen, a type annotated with <see cref="KissmetricsScreenAttribute"/>.</param>
    /// <param name="timestamp">When it happened (<c>_t</c>); the current time when omitted.</param>
    public static IReadOnlyList<string> FormatScreen<TScreen>(KissmetricsOptions options, string person, TScreen screen, DateTimeOffset? timestamp = null)
        where TScreen : IKissmetricsScreen
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteScreen(buffer, options, person, screen, timestamp);
        return SplitLines(buffer.WrittenSpan);
    }

    /// <summary>Writes what a <c>Screen</c> call sends. Allocates nothing.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="options">The API key and the mapping settings.</param>
    /// <param name="person">The person (<c>_p</c>).</param>
    /// <param name="screen">The screen, a type annotated with <see cref="KissmetricsScreenAttribute"/>.</param>
    /// <param name="timestamp">When it happened (<c>_t</c>); the current time when omitted.</param>
    public static void WriteScreen<TScreen>(IBufferWriter<byte> output, KissmetricsOptions options, string person, TScreen screen, DateTimeOffset? timestamp = null)
        where TScreen : IKissmetricsScreen
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new KissmetricsWriter(output);
        WriteView(ref writer, options, person, screen, UnixSeconds(timestamp));
        writer.Flush();
    }

    /// <summary>The line an <c>Alias</c> call sends: <c>/a</c> with <c>_p</c> and <c>_n</c>, and no time.</summary>
    /// <param name="options">The API key.</param>
    /// <param name="previousId">The identity used so far (<c>_p</c>).</param>
    /// <param name="newId">The identity to join to it (<c>_n</c>).</param>
    public static IReadOnlyList<string> FormatAlias(KissmetricsOptions options, string previousId, string newId)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        WriteAlias(buffer, options, previousId, newId);
        return SplitLines(buffer.WrittenSpan);
    }

    /// <summary>Writes what an <c>Alias</c> call sends. Allocates nothing.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="options">The API key.</param>
    /// <param name="previousId">The identity used so far (<c>_p</c>).</param>
    /// <param name="newId">The identity to join to it (<c>_n</c>).</param>
    public static void WriteAlias(IBufferWriter<byte> output, KissmetricsOptions options, string previousId, string newId)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new KissmetricsWriter(output);
        WriteAlias(ref writer, options, previousId, newId);
        writer.Flush();
    }

    // ---- validation (docs/validation.md) --------------------------------------------------------------------

    /// <summary>The DataAnnotations rules the event's values break, whatever <see cref="KissmetricsOptions.Validation"/> says; empty when none.</summary>
    /// <param name="event">The event, a type annotated with <see cref="KissmetricsEventAttribute"/>.</param>
    /// <param name="options">The mapping settings (wire names are reported with the prefix when <see cref="KissmetricsOptions.PrefixProperties"/> is on); the defaults when omitted.</param>
    public static IReadOnlyList<KissmetricsViolation> ValidateTrack<TEvent>(TEvent @event, KissmetricsOptions? options = null)
        where TEvent : IKissmetricsEvent
    {
        ThrowIfNull(@event, nameof(@event));
        var violations = new List<KissmetricsViolation>();
        var context = new KissmetricsValidationContext(options?.PrefixProperties ?? true, violations);
        @event.Validate(ref context);
        return violations;
    }

    /// <summary>The DataAnnotations rules the traits' values break; empty when none.</summary>
    /// <param name="traits">The traits, a type annotated with <see cref="KissmetricsTraitsAttribute"/>.</param>
    public static IReadOnlyList<KissmetricsViolation> ValidateIdentify<TTraits>(TTraits traits)
        where TTraits : IKissmetricsTraits
    {
        ThrowIfNull(traits, nameof(traits));
        var violations = new List<KissmetricsViolation>();
        var context = new KissmetricsValidationContext(prefixProperties: false, violations);
        traits.Validate(ref context);
        return violations;
    }

    /// <summary>The DataAnnotations rules the group traits' values break; empty when none.</summary>
    /// <param name="traits">The traits, a type annotated with <see cref="KissmetricsGroupTraitsAttribute"/>.</param>
    public static IReadOnlyList<KissmetricsViolation> ValidateGroup<TTraits>(TTraits traits)
        where TTraits : IKissmetricsGroupTraits
    {
        ThrowIfNull(traits, nameof(traits));
        var violations = new List<KissmetricsViolation>();
        var context = new KissmetricsValidationContext(prefixProperties: false, violations);
        traits.Validate(ref context);
        return violations;
    }

    /// <summary>The DataAnnotations rules the page's or screen's values break; empty when none.</summary>
    /// <param name="view">The page or screen, a type annotated with <see cref="KissmetricsPageAttribute"/> or <see cref="KissmetricsScreenAttribute"/>.</param>
    public static IReadOnlyList<KissmetricsViolation> ValidateView<TView>(TView view)
        where TView : IKissmetricsView
    {
        ThrowIfNull(view, nameof(view));
        var violations = new List<KissmetricsViolation>();
        var context = new KissmetricsValidationContext(prefixProperties: false, violations);
        view.Validate(ref context);
        return violations;
    }

    // ---- the request layouts, shared with the client ------------------------------------------------------

    internal static void WriteTrack<TEvent>(ref KissmetricsWriter writer, KissmetricsOptions options, string person, TEvent @event, long unixSeconds)
        where TEvent : IKissmetricsEvent
    {
        ValidateId(person, nameof(person));
        ThrowIfNull(@event, nameof(@event));
        ReadOnlySpan<byte> apiKey = RequireApiKey(options);
        bool prefixed = options.PrefixProperties;

        WriteControl(ref writer, "/e?_k="u8, apiKey, person);
        writer.WriteEncoded("_n"u8, @event.EncodedEventName);
        WriteTime(ref writer, unixSeconds);
        @event.WriteProperties(ref writer, prefixed);
        writer.WriteByte((byte)'\n');

        // Products go out as /s at _t + index: Kissmetrics keeps one value per person, property and second.
        int products = @event.ProductCount;
        for (int index = 0; index < products; index++)
        {
            WriteControl(ref writer, "/s?_k="u8, apiKey, person);
            WriteTime(ref writer, unixSeconds + index);
            @event.WriteProduct(ref writer, index, prefixed);
            writer.WriteByte((byte)'\n');
        }
    }

    internal static void WriteIdentify<TTraits>(ref KissmetricsWriter writer, KissmetricsOptions options, string person, TTraits traits, string? anonymousId, long unixSeconds)
        where TTraits : IKissmetricsTraits
    {
        ValidateId(person, nameof(person));
        ThrowIfNull(traits, nameof(traits));
        if (anonymousId is not null)
        {
            ValidateId(anonymousId, nameof(anonymousId));
        }

        ReadOnlySpan<byte> apiKey = RequireApiKey(options);
        WriteControl(ref writer, "/s?_k="u8, apiKey, person);
        WriteTime(ref writer, unixSeconds);
        traits.WriteProperties(ref writer);
        writer.WriteString(EncodedIdentifyId, person);
        writer.WriteByte((byte)'\n');

        if (anonymousId is not null)
        {
            WriteAliasLine(ref writer, apiKey, person, anonymousId);
        }
    }

    internal static void WriteGroup<TTraits>(ref KissmetricsWriter writer, KissmetricsOptions options, string person, string groupId, TTraits traits, long unixSeconds)
        where TTraits : IKissmetricsGroupTraits
    {
        ValidateId(person, nameof(person));
        ValidateId(groupId, nameof(groupId));
        ThrowIfNull(traits, nameof(traits));
        ReadOnlySpan<byte> apiKey = RequireApiKey(options);
        WriteControl(ref writer, "/s?_k="u8, apiKey, person);
        WriteTime(ref writer, unixSeconds);
        traits.WriteProperties(ref writer);
        writer.WriteString(EncodedGroupId, groupId);
        writer.WriteByte((byte)'\n');
    }

    internal static void WriteView<TView>(ref KissmetricsWriter writer, KissmetricsOptions options, string person, TView view, long unixSeconds)
        where TView : IKissmetricsView
    {
        ValidateId(person, nameof(person));
        ThrowIfNull(view, nameof(view));
        ReadOnlySpan<byte> apiKey = RequireApiKey(options);

        // The name wins when both may be used; when neither may, nothing is sent (mapping.md §8).
        ReadOnlySpan<byte> eventName = options.TrackNamedPages ? view.EncodedNamedEventName : default;
        if (eventName.IsEmpty && options.TrackCategorizedPages)
        {
            eventName = view.EncodedCategorizedEventName;
        }

        if (eventName.IsEmpty)
        {
            return;
        }

        WriteControl(ref writer, "/e?_k="u8, apiKey, person);
        writer.WriteEncoded("_n"u8, eventName);
        WriteTime(ref writer, unixSeconds);
        view.WriteProperties(ref writer);
        writer.WriteByte((byte)'\n');
    }

    internal static void WriteAlias(ref KissmetricsWriter writer, KissmetricsOptions options, string previousId, string newId)
    {
        ValidateId(previousId, nameof(previousId));
        ValidateId(newId, nameof(newId));
        WriteAliasLine(ref writer, RequireApiKey(options), previousId, newId);
    }

    internal static IReadOnlyList<string> SplitLines(ReadOnlySpan<byte> written)
    {
        var lines = new List<string>();
        while (!written.IsEmpty)
        {
            int end = written.IndexOf((byte)'\n');
            lines.Add(Encoding.ASCII.GetString(written.Slice(0, end)));
            written = written.Slice(end + 1);
        }

        return lines;
    }

    internal static long UnixSeconds(DateTimeOffset? timestamp) =>
        UnixTime.Seconds(timestamp ?? TimeProvider.System.GetUtcNow());

    internal static void ValidateId(string? id, string parameterName)
    {
        if (string.IsNullOrEmpty(id))
        {
            throw new ArgumentException("A Kissmetrics identity must be a non-empty string.", parameterName);
        }
    }

    // ArgumentNullException.ThrowIfNull(object) would box a struct event, traits or view on every call; so would
    // `value is null` where the JIT does not optimise (Debug builds), unless value types skip it.
    private static void ThrowIfNull<T>(T value, string parameterName)
    {
        if (!typeof(T).IsValueType && value is null)
        {
            throw new ArgumentNullException(parameterName);
        }
    }

    private static void WriteAliasLine(ref KissmetricsWriter writer, ReadOnlySpan<byte> apiKey, string previousId, string newId)
    {
        WriteControl(ref writer, "/a?_k="u8, apiKey, previousId);
        writer.WriteString("_n"u8, newId);
        writer.WriteByte((byte)'\n');
    }

    private static void WriteControl(ref KissmetricsWriter writer, ReadOnlySpan<byte> pathAndKey, ReadOnlySpan<byte> encodedApiKey, string person)
    {
        writer.WriteAscii(pathAndKey);
        writer.WriteAscii(encodedApiKey);
        writer.WriteString("_p"u8, person);
    }

    private static void WriteTime(ref KissmetricsWriter writer, long unixSeconds)
    {
        writer.WriteInt64("_t"u8, unixSeconds);
        writer.WriteAscii("&_d=1"u8);
    }

    private static ReadOnlySpan<byte> RequireApiKey(KissmetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.GetEncodedApiKey();
    }
}
