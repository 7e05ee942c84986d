using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Serialization;

namespace Kissmetrics.Typed.Testing;

/// <summary>
/// An <see cref="IKissmetricsClient"/> for your unit tests: it sends nothing and records every request each call would
/// send, with its path and decoded parameters, exactly as <see cref="KissmetricsClient"/> would send it. Thread-safe.
/// </summary>
/// <example>
/// <code>
/// var kissmetrics = new RecordingKissmetricsClient();
/// new SignupService(kissmetrics).SignUp("bob", "Pro");
/// RecordedKissmetricsRequest request = Assert.Single(kissmetrics.Requests);
/// Assert.Equal("Signed Up", request.EventName);
/// Assert.Equal("Pro", request["Signed Up - Plan"]);
/// </code>
/// </example>
public sealed class RecordingKissmetricsClient : IKissmetricsClient
{
    private readonly object _gate = new();
    private readonly List<RecordedKissmetricsRequest> _requests = new();
    private readonly KissmetricsOptions _options;
    private readonly TimeProvider _timeProvider;
    private int _flushes;

    /// <summary>Creates a recorder with the default mapping settings and the API key <c>test-api-key</c>.</summary>
    public RecordingKissmetricsClient()
        : this(new KissmetricsOptions { ApiKey = "test-api-key" })
    {
    }

    /// <summary>Creates a recorder with your mapping settings (an <see cref="KissmetricsOptions.ApiKey"/> is required, as for the real client).</summary>
    /// <param name="options">The settings the requests are formatted with.</param>
    /// <param name="timeProvider">The clock for <c>_t</c> when a call gives no timestamp; <see cref="TimeProvider.System"/> by default.</param>
    public RecordingKissmetricsClient(KissmetricsOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>A snapshot of every request recorded so far, in call order.</summary>
    public IReadOnlyList<RecordedKissmetricsRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>The event names (<c>_n</c> of the <c>/e</c> requests) recorded so far, in call order.</summary>
    public IReadOnlyList<string> EventNames => Requests.Where(r => r.Path == "/e").Select(r => r.EventName!).ToArray();

    /// <summary>How many times <see cref="FlushAsync"/> was called.</summary>
    public int FlushCount => Volatile.Read(ref _flushes);

    /// <summary>Whether <see cref="DisposeAsync"/> was called.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>Forgets the requests recorded so far.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _requests.Clear();
        }
    }

    /// <inheritdoc />
    public void Track<TEvent>(string person, TEvent @event, DateTimeOffset? timestamp = null)
        where TEvent : IKissmetricsEvent
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        KissmetricsFormatter.WriteTrack(buffer, _options, person, @event, timestamp ?? _timeProvider.GetUtcNow());
        Record(buffer);
    }

    /// <inheritdoc />
    public void Identify<TTraits>(string person, TTraits traits, string? anonymousId = null, DateTimeOffset? timestamp = null)
        where TTraits : IKissmetricsTraits
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        KissmetricsFormatter.WriteIdentify(buffer, _options, person, traits, anonymousId, timestamp ?? _timeProvider.GetUtcNow());
        Record(buffer);
    }

    /// <inheritdoc />
    public void Group<TTraits>(string person, string groupId, TTraits traits, DateTimeOffset? timestamp = null)
        where TTraits : IKissmetricsGroupTraits
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        KissmetricsFormatter.WriteGroup(buffer, _options, person, groupId, traits, timestamp ?? _timeProvider.GetUtcNow());
        Record(buffer);
    }

    /// <inheritdoc />
    public void Page<TPage>(string person, TPage page, DateTimeOffset? timestamp = null)
        where TPage : IKissmetricsPage
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        KissmetricsFormatter.WritePage(buffer, _options, person, page, timestamp ?? _timeProvider.GetUtcNow());
        Record(buffer);
    }

    /// <inheritdoc />
    public void Screen<TScreen>(string person, TScreen screen, DateTimeOffset? timestamp = null)
        where TScreen : IKissmetricsScreen
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        KissmetricsFormatter.WriteScreen(buffer, _options, person, screen, timestamp ?? _timeProvider.GetUtcNow());
        Record(buffer);
    }

    /// <inheritdoc />
    public void Alias(string previousId, string newId)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        KissmetricsFormatter.WriteAlias(buffer, _options, previousId, newId);
        Record(buffer);
    }

    /// <inheritdoc />
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _flushes);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        IsDisposed = true;
        return default;
    }

    private void Record(ArrayBufferWriter<byte> buffer)
    {
        IReadOnlyList<string> lines = KissmetricsFormatter.SplitLines(buffer.WrittenSpan);
        lock (_gate)
        {
            foreach (string line in lines)
            {
                _requests.Add(RecordedKissmetricsRequest.Parse(line));
            }
        }
    }
}

/// <summary>One request a <see cref="RecordingKissmetricsClient"/> recorded.</summary>
public sealed class RecordedKissmetricsRequest
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private RecordedKissmetricsRequest(string line, string path, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        Line = line;
        Path = path;
        Parameters = parameters;
    }

    /// <summary>The request as sent: <c>&lt;path&gt;?&lt;query&gt;</c>, percent-encoded.</summary>
    public string Line { get; }

    /// <summary><c>/e</c> (event), <c>/s</c> (properties) or <c>/a</c> (alias).</summary>
    public string Path { get; }

    /// <summary>Every parameter in order, decoded: control parameters (<c>_k _p _n _t _d</c>) first, then the properties.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; }

    /// <summary>The properties only (every parameter whose name does not start with <c>_</c>), decoded.</summary>
    public IReadOnlyDictionary<string, string> Properties
    {
        get
        {
            var properties = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, string> parameter in Parameters)
            {
                if (!parameter.Key.StartsWith('_'))
                {
                    properties[parameter.Key] = parameter.Value;
                }
            }

            return properties;
        }
    }

    /// <summary>The person (<c>_p</c>).</summary>
    public string? Person => Get("_p");

    /// <summary>The event name (<c>_n</c> of an <c>/e</c> request), or <see langword="null"/>.</summary>
    public string? EventName => Path == "/e" ? Get("_n") : null;

    /// <summary>The time (<c>_t</c>), or <see langword="null"/> for an alias.</summary>
    public DateTimeOffset? Timestamp => Get("_t") is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(long.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture)) : null;

    /// <summary>The decoded value of the parameter <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> when there is none.</summary>
    /// <param name="name">The decoded parameter name, for example <c>Signed Up - Plan</c>.</param>
    public string this[string name] => Get(name) ?? throw new KeyNotFoundException($"The request has no parameter '{name}'.");

    /// <summary>The decoded value of the parameter <paramref name="name"/>, or <see langword="null"/>.</summary>
    /// <param name="name">The decoded parameter name.</param>
    public string? Get(string name)
    {
        foreach (KeyValuePair<string, string> parameter in Parameters)
        {
            if (parameter.Key == name)
            {
                return parameter.Value;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public override string ToString() => Path + " " + string.Join(", ", Parameters.Where(p => p.Key != "_k").Select(p => p.Key + "=" + p.Value));

    internal static RecordedKissmetricsRequest Parse(string line)
    {
        int query = line.IndexOf('?', StringComparison.Ordinal);
        string path = query < 0 ? line : line.Substring(0, query);
        var parameters = new List<KeyValuePair<string, string>>();
        if (query >= 0)
        {
            foreach (string pair in line.Substring(query + 1).Split('&'))
            {
                if (pair.Length == 0)
                {
                    continue;
                }

                int equals = pair.IndexOf('=', StringComparison.Ordinal);
                parameters.Add(equals < 0
                    ? new(Decode(pair), string.Empty)
                    : new(Decode(pair.Substring(0, equals)), Decode(pair.Substring(equals + 1))));
            }
        }

        return new RecordedKissmetricsRequest(line, path, parameters);
    }

    private static string Decode(string text)
    {
        byte[] bytes = new byte[text.Length];
        int length = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 2 < text.Length && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
            {
                bytes[length++] = (byte)((Uri.FromHex(text[i + 1]) << 4) | Uri.FromHex(text[i + 2]));
                i += 2;
            }
            else
            {
                bytes[length++] = (byte)text[i];
            }
        }

        return s_utf8.GetString(bytes, 0, length);
    }
}
