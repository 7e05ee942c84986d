// The fuzzed types flatten nested objects and join collections on purpose, without the attributes that acknowledge it.
#pragma warning disable KM008 // a nested object will be flattened
#pragma warning disable KM009 // a collection will be joined
#pragma warning disable CA1819 // properties returning arrays: one of the collection shapes fuzzed
#pragma warning disable CA1002 // List<T>: one of the collection shapes fuzzed

using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Runtime.Serialization;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Kissmetrics.Typed.Tests.Serialization;

/// <summary>An enum for the fuzz: a plain name, an <see cref="EnumMemberAttribute"/> value full of reserved characters, and undefined numbers.</summary>
public enum FuzzTier
{
    Free,

    [EnumMember(Value = "Gold & Co = #1 ?/%+ x")]
    Gold,

    Big = 1000,
}

public sealed record FuzzLeaf(string? Note, double Weight);

public sealed record FuzzPart(string? Label, long Rank, FuzzLeaf? Leaf);

/// <summary>Every value kind of mapping.md §3 the generator accepts, nested objects and collections included.</summary>
[KissmetricsEvent("Fuzz Event")]
public partial record FuzzEvent(
    string? FzText,
    string FzOther,
    double FzNumber,
    double? FzMaybe,
    float FzSingle,
    decimal FzAmount,
    long FzCount,
    int FzInt,
    bool FzFlag,
    DateTimeOffset FzAt,
    DateTime FzWhen,
    DateOnly FzDay,
    Guid FzId,
    FuzzTier FzTier,
    FuzzTier? FzMaybeTier,
    FuzzPart? FzPart,
    string?[]? FzTags,
    double[]? FzValues,
    List<long?>? FzRanks);

[KissmetricsTraits]
public partial record FuzzTraits(string? FzEmail, double FzScore, FuzzPart? FzProfile, string?[]? FzRoles);

[KissmetricsGroupTraits]
public partial record FuzzGroupTraits(string? FzName, long FzEmployees);

[KissmetricsPage("Fuzz Docs")]
public partial record FuzzPage(string? FzUrl, double FzDepth);

/// <summary>
/// Issue 15: seeded random values through the real serialization path (<c>KissmetricsFormatter.Write*</c>, the bytes
/// the client queues), each request decoded by a strict percent-decoder that rejects anything malformed and compared,
/// parameter by parameter, with what docs/mapping.md says it must be. <c>KISSMETRICS_FUZZ_VALUES</c> sets how many random
/// values (each property value, list element, null, person, id and time counts one; a call carries about 20):
/// 100,000 by default, 1,000,000 in CI's fuzz step.
/// </summary>
public sealed class ValueFuzzTests
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public ValueFuzzTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    private const int Seed = 0x15F022; // issue 15
    private const string ApiKey = "fuzz-api-key-51d0";
    private const string Marker = "qzx"; // starts every token the log test embeds in persons and values

    [ThreadStatic]
    private static byte[]? t_decoded;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly double[] s_doubles =
    [
        double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 0.0, 1e21, 1e20, 1e-7, 1e-6, 5e-324,
        9007199254740993, 9007199254740992, double.MaxValue, double.MinValue, 0.1 + 0.2, 123e19, 1.5e300, -1e-300,
        450.0, 100, 1e100, -123.456, 0.000001234, 4.35, 1.7976931348623157e308, 2.2250738585072014e-308,
    ];

    private static readonly float[] s_singles =
    [
        float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, 0.1f, float.Epsilon, float.MaxValue, float.MinValue, 1e21f, 1e-7f, 16777217f, 3.4e-38f,
    ];

    private static readonly decimal[] s_decimals =
    [
        0m, 450.00m, 0.10m, decimal.MaxValue, decimal.MinValue, 0.0000000000000000000000000001m, -1.5m, new decimal(0, 0, 0, true, 3), 1e28m,
    ];

    private static readonly long[] s_longs = [9007199254740993, long.MinValue, long.MaxValue, 0, -1, 1L << 53, -(1L << 53) - 1];

    private static readonly string[] s_specials =
    [
        "&", "=", "+", "%", "#", "?", "/", " ", "&k=v", "&_k=x", "?_p=y", "%41", "%2", "%zz", "%%", "%20", "+%2B", "\r\n", ",", ":", "..", "~", "\\", "\"", "'", "<>", "\0",
    ];

    /// <summary>How many values: <c>KISSMETRICS_FUZZ_VALUES</c>, else 100,000.</summary>
    private static int Count => int.TryParse(Environment.GetEnvironmentVariable("KISSMETRICS_FUZZ_VALUES"), NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count > 0 ? count : 100_000;

    [Fact]
    public void RandomValuesNeverThrowNeverInjectAParameterAndDecodeToWhatTheMappingSays()
    {
        int count = Count;
        long calls = 0;
        long values = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Two cores: half the values each, every half from its own seed, so a failure names its seed and call.
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, half =>
        {
            var fuzzer = new Fuzzer(new Random(Seed + half), tokens: false);
            var buffer = new ArrayBufferWriter<byte>(4096);
            int target = count / 2 + (half == 0 ? count % 2 : 0);
            int call = 0;
            for (; fuzzer.Values < target; call++)
            {
                Call generated = fuzzer.Next();
                buffer.ResetWrittenCount();
                try
                {
                    generated.Write(buffer);
                }
                catch (Exception exception)
                {
                    Assert.Fail($"seed {Seed + half}, call {call} ({generated.Kind}) threw {exception}");
                }

                AssertLines(buffer.WrittenSpan, generated, $"seed {Seed + half}, call {call} ({generated.Kind})");
            }

            Interlocked.Add(ref calls, call);
            Interlocked.Add(ref values, fuzzer.Values);
        });
        _output.WriteLine($"{values:N0} values in {calls:N0} calls, seeds {Seed} and {Seed + 1}: {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(values >= count);
    }

    [Fact]
    public void TheStrictDecoderRejectsWhatIsMalformed()
    {
        foreach (string bad in new[]
        {
            "/x?_k=a", "/e_k=a", "/e?_k=a b", "/e?_k=a+b", "/e?_k=%4", "/e?_k=%4g", "/e?_k=%4a", "/e?_k=%41", "/e?_k=a=b", "/e?_k",
            "/e?_k=a&&_p=b", "/e?_k=a&", "/e?_k=%FF", "/e?_k=%ED%A0%80", "/e?_k=\u00e9", "/e?_k=a#b", "/e?_k=a/b", "/e?_k=a?b",
        })
        {
            Assert.False(TryDecode(Encoding.Latin1.GetBytes(bad), out _, out _, out _), bad);
        }

        Assert.True(TryDecode("/e?_k=a%20b&x=&%C3%A9=%F0%9F%98%80"u8, out string path, out List<KeyValuePair<string, string>> pairs, out string? error), error);
        Assert.Equal("/e", path);
        Assert.Equal([new("_k", "a b"), new("x", string.Empty), new("\u00e9", "\U0001F600")], pairs);
    }

    /// <summary>
    /// The same values through a client and a loopback tracker (GET and, past 2048 bytes, POST; some answers fail, so
    /// retries and rejections are logged): every request the tracker received decodes strictly to one the
    /// mapping expects, and no log record at Trace holds a person, a value, a key or the API key.
    /// </summary>
    [Fact]
    public async Task ThroughAClientNoPersonValueOrKeyReachesAnyLogRecordAtTrace()
    {
        const int Calls = 2_000;
        await using LoopbackTracker tracker = await LoopbackTracker.StartAsync();
        tracker.Enqueue(
            TrackerResponse.Status(400),
            TrackerResponse.Status(503),
            TrackerResponse.Abort,
            TrackerResponse.Status(500),
            TrackerResponse.Status(500),
            TrackerResponse.Status(429, retryAfterSeconds: 0));
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        using HttpClient http = DeliveryTestKit.NewHttpClient();
        KissmetricsOptions options = DeliveryTestKit.Options(tracker);
        options.ApiKey = ApiKey;
        options.MaxAttempts = 2;
        options.MaxConcurrency = 8;
        var expected = new HashSet<string>(StringComparer.Ordinal);
        var fuzzer = new Fuzzer(new Random(Seed - 1), tokens: true);
        await using (KissmetricsClient client = DeliveryTestKit.NewClient(options, http, TimeProvider.System, loggerFactory))
        {
            for (int i = 0; i < Calls; i++)
            {
                Call call = fuzzer.Next();
                call.Send(client);
                foreach ((string path, List<KeyValuePair<string, string>> parameters) in call.Expected)
                {
                    expected.Add(Key(path, parameters));
                }
            }

            await DeliveryTestKit.FlushAsync(client);
            Assert.True(client.Statistics.Rejected > 0 && client.Statistics.Retried > 0);
        }

        var received = new HashSet<string>(StringComparer.Ordinal);
        foreach (RecordedRequest request in tracker.Requests)
        {
            string line = request.Path + "?" + (request.Method == "POST" ? request.BodyText : request.RawQuery);
            Assert.True(TryDecode(Encoding.ASCII.GetBytes(line), out string path, out List<KeyValuePair<string, string>> pairs, out string? error), error);
            string key = Key(path, pairs);
            if (!expected.Contains(key))
            {
                string person = pairs[1].Value; // shows the request expected for the same person beside it
                string near = expected.FirstOrDefault(k => k.Contains("\u0002" + person + "\u0001", StringComparison.Ordinal)) ?? "(none)";
                Assert.Fail($"received {request.Method} {Escape(key.Replace('\u0001', '&').Replace('\u0002', '='), 100000)}\nexpected {Escape(near.Replace('\u0001', '&').Replace('\u0002', '='), 100000)}");
            }

            received.Add(key);
        }

        Assert.Equal(expected.Count, received.Count); // every request arrived (the rejected one once, the rest delivered)
        Assert.Contains(tracker.Requests, r => r.Method == "POST");

        IReadOnlyCollection<CapturedLog> captured = logs.Logs;
        Assert.Contains(captured, l => l.EventId.Name == "Rejected");
        Assert.Contains(captured, l => l.EventId.Name == "Retrying");
        Assert.All(captured, l =>
        {
            Assert.DoesNotContain(ApiKey, l.Everything, StringComparison.Ordinal);
            Assert.DoesNotContain(Marker, l.Everything, StringComparison.OrdinalIgnoreCase); // every person and string value carries one
            Assert.DoesNotContain("Fz", l.Everything, StringComparison.Ordinal); // every property name
            Assert.DoesNotContain("Fuzz", l.Everything, StringComparison.Ordinal); // the event and page names
            Assert.DoesNotContain("_k=", l.Everything, StringComparison.Ordinal);
            Assert.DoesNotContain("_p=", l.Everything, StringComparison.Ordinal);
        });
    }

    private static string Key(string path, List<KeyValuePair<string, string>> parameters) =>
        path + "\u0001" + string.Join("\u0001", parameters.Select(p => p.Key + "\u0002" + p.Value));

    private static void AssertLines(ReadOnlySpan<byte> written, Call call, string where)
    {
        int index = 0;
        while (!written.IsEmpty)
        {
            int end = written.IndexOf((byte)'\n');
            if (end < 0)
            {
                Assert.Fail($"{where}: a request not ended by a line feed");
            }

            ReadOnlySpan<byte> line = written.Slice(0, end);
            written = written.Slice(end + 1);
            if (!TryDecode(line, out string path, out List<KeyValuePair<string, string>> pairs, out string? error))
            {
                Assert.Fail($"{where}, request {index}: {error}: {Encoding.Latin1.GetString(line)}");
            }

            if (index >= call.Expected.Count)
            {
                Assert.Fail($"{where}: more requests than the {call.Expected.Count} expected");
            }

            (string expectedPath, List<KeyValuePair<string, string>> expectedPairs) = call.Expected[index];
            if (path != expectedPath || !pairs.SequenceEqual(expectedPairs))
            {
                Assert.Fail($"{where}, request {index}:\nexpected {expectedPath} {Show(expectedPairs)}\nactual   {path} {Show(pairs)}");
            }

            index++;
        }

        if (index != call.Expected.Count)
        {
            Assert.Fail($"{where}: {index} requests, expected {call.Expected.Count}");
        }
    }

    private static string Show(List<KeyValuePair<string, string>> pairs) =>
        string.Join(" & ", pairs.Select(p => Escape(p.Key) + "=" + Escape(p.Value)));

    private static string Escape(string text, int max = 200)
    {
        var builder = new StringBuilder();
        foreach (char c in text.Length > max ? text.Substring(0, max) + "..." : text)
        {
            builder.Append(c is >= ' ' and <= '~' ? c.ToString() : "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    /// <summary>
    /// A strict decoder of one request: printable ASCII only (no raw space), <c>/e?</c>, <c>/s?</c> or <c>/a?</c>, then
    /// <c>name=value</c> pairs joined by single <c>&amp;</c>, each name and value only unreserved characters
    /// (<c>A-Z a-z 0-9 - . _ ~</c>) and <c>%XX</c> with upper-case hex that encodes a byte outside that set, decoding to
    /// well-formed UTF-8. Anything else (a raw reserved character, a second <c>=</c>, an empty pair, lower-case hex,
    /// an encoded unreserved byte, an overlong or surrogate UTF-8 sequence) is malformed.
    /// </summary>
    private static bool TryDecode(ReadOnlySpan<byte> line, out string path, out List<KeyValuePair<string, string>> pairs, out string? error)
    {
        path = string.Empty;
        pairs = new List<KeyValuePair<string, string>>();
        foreach (byte b in line)
        {
            if (b is < 0x21 or > 0x7E)
            {
                error = $"byte 0x{b:X2} is not printable ASCII";
                return false;
            }
        }

        if (line.Length < 3 || line[0] != '/' || line[1] is not ((byte)'e' or (byte)'s' or (byte)'a') || line[2] != '?')
        {
            error = "not /e?, /s? or /a?";
            return false;
        }

        path = "/" + (char)line[1];
        ReadOnlySpan<byte> query = line.Slice(3);
        byte[] bytes = t_decoded is { } reused && reused.Length >= query.Length ? reused : t_decoded = new byte[Math.Max(query.Length, 4096)];
        while (true)
        {
            int amp = query.IndexOf((byte)'&');
            ReadOnlySpan<byte> pair = amp < 0 ? query : query.Slice(0, amp);
            int equals = pair.IndexOf((byte)'=');
            if (equals <= 0)
            {
                error = "a parameter without a name or without '='";
                return false;
            }

            if (!TryDecodeComponent(pair.Slice(0, equals), bytes, out string? name, out error)
                || !TryDecodeComponent(pair.Slice(equals + 1), bytes, out string? value, out error))
            {
                return false;
            }

            pairs.Add(new KeyValuePair<string, string>(name!, value!));
            if (amp < 0)
            {
                error = null;
                return true;
            }

            query = query.Slice(amp + 1);
        }
    }

    private static bool TryDecodeComponent(ReadOnlySpan<byte> encoded, byte[] bytes, out string? text, out string? error)
    {
        int length = 0;
        text = null;
        for (int i = 0; i < encoded.Length; i++)
        {
            byte c = encoded[i];
            if (IsUnreserved(c))
            {
                bytes[length++] = c;
            }
            else if (c == '%')
            {
                if (i + 2 >= encoded.Length || !IsUpperHex(encoded[i + 1]) || !IsUpperHex(encoded[i + 2]))
                {
                    error = "'%' not followed by two upper-case hex digits";
                    return false;
                }

                byte decoded = (byte)((Hex(encoded[i + 1]) << 4) | Hex(encoded[i + 2]));
                if (IsUnreserved(decoded))
                {
                    error = $"an unreserved byte encoded (%{decoded:X2})";
                    return false;
                }

                bytes[length++] = decoded;
                i += 2;
            }
            else
            {
                error = $"a raw '{(char)c}'";
                return false;
            }
        }

        try
        {
            text = s_strictUtf8.GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            error = "malformed UTF-8";
            return false;
        }

        error = null;
        return true;
    }

    private static bool IsUnreserved(byte c) => c is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~';

    private static bool IsUpperHex(byte c) => c is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'A' and <= (byte)'F');

    private static int Hex(byte c) => c <= '9' ? c - '0' : c - 'A' + 10;

    // ---- The expected text of each value, from docs/mapping.md, computed apart from the runtime's code ----------

    /// <summary>A string as is, except that a surrogate without its partner becomes U+FFFD.</summary>
    private static string ExpectedText(string value)
    {
        StringBuilder? builder = null;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            bool paired = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
            if (paired)
            {
                builder?.Append(c).Append(value[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                builder ??= new StringBuilder(value, 0, i, value.Length);
                builder.Append('\uFFFD');
            }
            else
            {
                builder?.Append(c);
            }
        }

        return builder?.ToString() ?? value;
    }

    /// <summary>JavaScript's <c>Number#toString</c> (ECMA-262 Number::toString, radix 10) of the shortest round-trip digits; null (omitted) for NaN and infinities.</summary>
    private static string? ExpectedNumber(double value) =>
        double.IsFinite(value) ? JavaScriptForm(value == 0 ? "0" : value.ToString("R", CultureInfo.InvariantCulture)) : null;

    /// <summary>The same for a <see cref="float"/>, from the float's own shortest digits.</summary>
    private static string? ExpectedNumber(float value) =>
        float.IsFinite(value) ? JavaScriptForm(value == 0 ? "0" : value.ToString("R", CultureInfo.InvariantCulture)) : null;

    /// <summary>Rewrites .NET's shortest round-trip text (<c>-1.2345E-07</c>, <c>123.45</c>, <c>1E+21</c>) as ECMA-262 writes the same digits.</summary>
    private static string JavaScriptForm(string roundTrip)
    {
        bool negative = roundTrip.StartsWith('-');
        string text = negative ? roundTrip.Substring(1) : roundTrip;
        int exponent = 0;
        int e = text.IndexOf('E', StringComparison.Ordinal);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text.Substring(0, e);
        }

        int point = text.IndexOf('.', StringComparison.Ordinal);
        string digits = point < 0 ? text : text.Remove(point, 1);
        int n = (point < 0 ? text.Length : point) + exponent; // value = 0.digits x 10^n
        int leading = 0;
        while (leading < digits.Length - 1 && digits[leading] == '0')
        {
            leading++;
        }

        digits = digits.Substring(leading).TrimEnd('0');
        n -= leading;
        if (digits.Length == 0)
        {
            return "0";
        }

        int k = digits.Length;
        string result;
        if (k <= n && n <= 21)
        {
            result = digits + new string('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            result = digits.Substring(0, n) + "." + digits.Substring(n);
        }
        else if (-6 < n && n <= 0)
        {
            result = "0." + new string('0', -n) + digits;
        }
        else
        {
            int shown = n - 1;
            string sign = shown < 0 ? "-" : "+";
            result = digits.Substring(0, 1) + (k > 1 ? "." + digits.Substring(1) : string.Empty) + "e" + sign + Math.Abs(shown).ToString(CultureInfo.InvariantCulture);
        }

        return negative ? "-" + result : result;
    }

    /// <summary>Invariant, trailing zeros removed, no exponent.</summary>
    private static string ExpectedDecimal(decimal value)
    {
        string text = value.ToString(CultureInfo.InvariantCulture);
        if (text.Contains('.', StringComparison.Ordinal))
        {
            text = text.TrimEnd('0').TrimEnd('.');
        }

        return text == "-0" ? "0" : text;
    }

    private static string ExpectedInteger(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static long FloorSeconds(long ticksSinceEpoch) => FloorDivide(ticksSinceEpoch, TimeSpan.TicksPerSecond);

    private static long FloorDivide(long a, long b) => a / b - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);

    private static string ExpectedTime(DateTimeOffset value) => ExpectedInteger(FloorSeconds(value.UtcTicks - DateTime.UnixEpoch.Ticks));

    private static string ExpectedTime(DateTime value) =>
        ExpectedInteger(FloorSeconds((value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value).Ticks - DateTime.UnixEpoch.Ticks));

    private static string ExpectedTime(DateOnly value) => ExpectedInteger((value.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber) * 86_400L);

    private static string ExpectedTier(FuzzTier value) => value switch
    {
        FuzzTier.Free => "Free",
        FuzzTier.Gold => "Gold & Co = #1 ?/%+ x",
        FuzzTier.Big => "Big",
        _ => ((int)value).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>One generated call: what it sends, and how, to a formatter or to a client.</summary>
    private sealed class Call
    {
        public required string Kind { get; init; }

        public required Action<IBufferWriter<byte>> Write { get; init; }

        public required Action<KissmetricsClient> Send { get; init; }

        public List<(string Path, List<KeyValuePair<string, string>> Parameters)> Expected { get; } = new();
    }

    /// <summary>Seeded random calls and the requests docs/mapping.md says they send.</summary>
    private sealed class Fuzzer
    {
        private static readonly KissmetricsOptions s_prefixed = new() { ApiKey = ApiKey };
        private static readonly KissmetricsOptions s_unprefixed = new() { ApiKey = ApiKey, PrefixProperties = false };

        private readonly Random _random;
        private readonly bool _tokens;
        private long _values;

        public Fuzzer(Random random, bool tokens)
        {
            _random = random;
            _tokens = tokens;
        }

        /// <summary>How many random values so far.</summary>
        public long Values => _values;

        public Call Next()
        {
            int kind = _random.Next(10);
            return kind switch
            {
                < 5 => Track(),
                < 7 => Identify(),
                < 8 => Group(),
                < 9 => Alias(),
                _ => Page(),
            };
        }

        private Call Track()
        {
            bool prefix = _random.Next(4) != 0 || _tokens; // the client test's client prefixes (the default)
            KissmetricsOptions options = prefix ? s_prefixed : s_unprefixed;
            string person = Person();
            DateTimeOffset timestamp = Timestamp();
            var @event = new FuzzEvent(
                MaybeText(), Text(), Double(), MaybeDouble(), Single(), Decimal(), Long(), Int(), Bool(),
                Timestamp(), DateTime(), DateOnly(), Guid(), Tier(), MaybeTier(), Part(), Tags(), NumberList(), Ranks());
            var call = new Call
            {
                Kind = "track",
                Write = output => KissmetricsFormatter.WriteTrack(output, options, person, @event, timestamp),
                Send = client => client.Track(person, @event, timestamp),
            };
            string p = prefix ? "Fuzz Event - " : string.Empty;
            var parameters = Control(person, "Fuzz Event", timestamp);
            Add(parameters, p + "FzText", @event.FzText is null ? null : ExpectedText(@event.FzText));
            Add(parameters, p + "FzOther", ExpectedText(@event.FzOther));
            Add(parameters, p + "FzNumber", ExpectedNumber(@event.FzNumber));
            Add(parameters, p + "FzMaybe", @event.FzMaybe is { } maybe ? ExpectedNumber(maybe) : null);
            Add(parameters, p + "FzSingle", ExpectedNumber(@event.FzSingle));
            Add(parameters, p + "FzAmount", ExpectedDecimal(@event.FzAmount));
            Add(parameters, p + "FzCount", ExpectedInteger(@event.FzCount));
            Add(parameters, p + "FzInt", ExpectedInteger(@event.FzInt));
            Add(parameters, p + "FzFlag", @event.FzFlag ? "true" : "false");
            Add(parameters, p + "FzAt", ExpectedTime(@event.FzAt));
            Add(parameters, p + "FzWhen", ExpectedTime(@event.FzWhen));
            Add(parameters, p + "FzDay", ExpectedTime(@event.FzDay));
            Add(parameters, p + "FzId", @event.FzId.ToString("D"));
            Add(parameters, p + "FzTier", ExpectedTier(@event.FzTier));
            Add(parameters, p + "FzMaybeTier", @event.FzMaybeTier is { } tier ? ExpectedTier(tier) : null);
            AddPart(parameters, p + "FzPart.", @event.FzPart);
            Add(parameters, p + "FzTags", @event.FzTags is null ? null : string.Join(",", @event.FzTags.Select(t => t is null ? string.Empty : ExpectedText(t))));
            Add(parameters, p + "FzValues", @event.FzValues is null ? null : string.Join(",", @event.FzValues.Select(v => ExpectedNumber(v) ?? string.Empty)));
            Add(parameters, p + "FzRanks", @event.FzRanks is null ? null : string.Join(",", @event.FzRanks.Select(r => r is { } rank ? ExpectedInteger(rank) : string.Empty)));
            call.Expected.Add(("/e", parameters));
            return call;
        }

        private Call Identify()
        {
            string person = Person();
            string? anonymous = _random.Next(2) == 0 ? Person() : Null<string>();
            DateTimeOffset timestamp = Timestamp();
            var traits = new FuzzTraits(MaybeText(), Double(), Part(), Tags());
            var call = new Call
            {
                Kind = "identify",
                Write = output => KissmetricsFormatter.WriteIdentify(output, s_prefixed, person, traits, anonymous, timestamp),
                Send = client => client.Identify(person, traits, anonymous, timestamp),
            };
            var parameters = Control(person, null, timestamp);
            Add(parameters, "FzEmail", traits.FzEmail is null ? null : ExpectedText(traits.FzEmail));
            Add(parameters, "FzScore", ExpectedNumber(traits.FzScore));
            AddPart(parameters, "FzProfile.", traits.FzProfile);
            Add(parameters, "FzRoles", traits.FzRoles is null ? null : string.Join(",", traits.FzRoles.Select(t => t is null ? string.Empty : ExpectedText(t))));
            Add(parameters, "id", ExpectedText(person));
            call.Expected.Add(("/s", parameters));
            if (anonymous is not null)
            {
                call.Expected.Add(("/a", AliasParameters(person, anonymous)));
            }

            return call;
        }

        private Call Group()
        {
            string person = Person();
            string group = Person();
            DateTimeOffset timestamp = Timestamp();
            var traits = new FuzzGroupTraits(MaybeText(), Long());
            var call = new Call
            {
                Kind = "group",
                Write = output => KissmetricsFormatter.WriteGroup(output, s_unprefixed, person, group, traits, timestamp),
                Send = client => client.Group(person, group, traits, timestamp),
            };
            var parameters = Control(person, null, timestamp);
            Add(parameters, "Group - FzName", traits.FzName is null ? null : ExpectedText(traits.FzName));
            Add(parameters, "Group - FzEmployees", ExpectedInteger(traits.FzEmployees));
            Add(parameters, "Group - id", ExpectedText(group));
            call.Expected.Add(("/s", parameters));
            return call;
        }

        private Call Alias()
        {
            string previous = Person();
            string next = Person();
            var call = new Call
            {
                Kind = "alias",
                Write = output => KissmetricsFormatter.WriteAlias(output, s_prefixed, previous, next),
                Send = client => client.Alias(previous, next),
            };
            call.Expected.Add(("/a", AliasParameters(previous, next)));
            return call;
        }

        private Call Page()
        {
            string person = Person();
            DateTimeOffset timestamp = Timestamp();
            var page = new FuzzPage(MaybeText(), Double());
            var call = new Call
            {
                Kind = "page",
                Write = output => KissmetricsFormatter.WritePage(output, s_unprefixed, person, page, timestamp),
                Send = client => client.Page(person, page, timestamp),
            };
            var parameters = Control(person, "Viewed Fuzz Docs Page", timestamp);
            Add(parameters, "Page - FzUrl", page.FzUrl is null ? null : ExpectedText(page.FzUrl));
            Add(parameters, "Page - FzDepth", ExpectedNumber(page.FzDepth));
            Add(parameters, "Page - name", "Fuzz Docs");
            call.Expected.Add(("/e", parameters));
            return call;
        }

        private static List<KeyValuePair<string, string>> Control(string person, string? eventName, DateTimeOffset timestamp)
        {
            var parameters = new List<KeyValuePair<string, string>>(32) { new("_k", ApiKey), new("_p", ExpectedText(person)) };
            if (eventName is not null)
            {
                parameters.Add(new("_n", eventName));
            }

            parameters.Add(new("_t", ExpectedTime(timestamp)));
            parameters.Add(new("_d", "1"));
            return parameters;
        }

        private static List<KeyValuePair<string, string>> AliasParameters(string previous, string next) =>
            [new("_k", ApiKey), new("_p", ExpectedText(previous)), new("_n", ExpectedText(next))];

        private static void Add(List<KeyValuePair<string, string>> parameters, string name, string? value)
        {
            if (value is not null)
            {
                parameters.Add(new(name, value));
            }
        }

        private static void AddPart(List<KeyValuePair<string, string>> parameters, string prefix, FuzzPart? part)
        {
            if (part is null)
            {
                return;
            }

            Add(parameters, prefix + "Label", part.Label is null ? null : ExpectedText(part.Label));
            Add(parameters, prefix + "Rank", ExpectedInteger(part.Rank));
            if (part.Leaf is { } leaf)
            {
                Add(parameters, prefix + "Leaf.Note", leaf.Note is null ? null : ExpectedText(leaf.Note));
                Add(parameters, prefix + "Leaf.Weight", ExpectedNumber(leaf.Weight));
            }
        }

        // ---- random values --------------------------------------------------------------------------------

        private string Person()
        {
            string person = Text();
            return person.Length == 0 ? "p" : person;
        }

        private string? MaybeText() => _random.Next(8) == 0 ? Null<string>() : Text();

        /// <summary>A null counts as a value too.</summary>
        private T? Null<T>()
            where T : class
        {
            _values++;
            return null;
        }

        private T Counted<T>(T value)
        {
            _values++;
            return value;
        }

        private double? MaybeDouble()
        {
            if (_random.Next(4) == 0)
            {
                _values++;
                return null;
            }

            return Double();
        }

        private FuzzTier? MaybeTier()
        {
            if (_random.Next(3) == 0)
            {
                _values++;
                return null;
            }

            return Tier();
        }

        private int Int()
        {
            _values++;
            return _random.Next(int.MinValue, int.MaxValue);
        }

        private bool Bool()
        {
            _values++;
            return _random.Next(2) == 0;
        }

        /// <summary>
        /// Mostly short, sometimes hundreds or thousands of characters: letters, reserved characters and fake escapes,
        /// spaces, controls, the rest of the BMP, pairs, lone and reversed surrogates. With tokens, each carries a
        /// <see cref="Marker"/> token, so that the log test can look for it.
        /// </summary>
        private string Text()
        {
            int roll = _random.Next(1000);
            _values++;
            int length = roll < 700 ? _random.Next(0, 12) : roll < 950 ? _random.Next(12, 80) : roll < 995 ? _random.Next(80, 600) : _random.Next(600, 6000);
            var builder = new StringBuilder(length + 16);
            if (_tokens)
            {
                builder.Append(Marker).Append(_random.Next(100_000_000).ToString("D8", CultureInfo.InvariantCulture));
            }

            while (builder.Length < length)
            {
                switch (_random.Next(13))
                {
                    case 0:
                    case 1:
                        builder.Append("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"[_random.Next(66)]);
                        break;
                    case 2:
                        builder.Append(s_specials[_random.Next(s_specials.Length)]);
                        break;
                    case 3:
                        builder.Append(' ');
                        break;
                    case 4:
                        builder.Append(_random.Next(10) == 0 ? '\u007F' : (char)_random.Next(0, 0x20));
                        break;
                    case 5:
                        builder.Append((char)_random.Next(0x80, 0xD800));
                        break;
                    case 6:
                        builder.Append((char)_random.Next(0xE000, 0x10000)); // includes U+FEFF, U+FFFD, U+FFFE and U+FFFF
                        break;
                    case 7:
                        builder.Append(char.ConvertFromUtf32(_random.Next(0x10000, 0x110000)));
                        break;
                    case 8:
                        builder.Append((char)_random.Next(0xD800, 0xDC00)); // a high surrogate, alone unless a low one follows
                        break;
                    case 9:
                        builder.Append((char)_random.Next(0xDC00, 0xE000)); // a low surrogate
                        break;
                    case 10:
                        builder.Append(_random.Next(2) == 0 ? ',' : ':');
                        break;
                    case 11:
                        builder.Append((char)_random.Next(0x20, 0x7F));
                        break;
                    default:
                        builder.Append("\u0000\uFFFD\u2028\u200B\u0301\uD83D\uDE00"[_random.Next(7)]); // the emoji's halves, one at a time
                        break;
                }
            }

            return builder.ToString();
        }

        private double Double() => Counted(RandomDouble());

        private double RandomDouble() => _random.Next(10) switch
        {
            < 3 => s_doubles[_random.Next(s_doubles.Length)],
            < 6 => BitConverter.Int64BitsToDouble(_random.NextInt64(long.MinValue, long.MaxValue)),
            6 => _random.Next(-1_000_000, 1_000_000),
            7 => Math.Round(_random.NextDouble() * 1000, _random.Next(0, 6)),
            8 => (_random.Next(2) == 0 ? -1 : 1) * _random.NextDouble() * Math.Pow(10, _random.Next(-30, 30)),
            _ => _random.NextInt64(long.MinValue, long.MaxValue),
        };

        private float Single() => Counted(RandomSingle());

        private float RandomSingle() => _random.Next(4) switch
        {
            0 => s_singles[_random.Next(s_singles.Length)],
            1 => (float)(_random.NextDouble() * 1000),
            _ => BitConverter.Int32BitsToSingle(_random.Next(int.MinValue, int.MaxValue)),
        };

        private decimal Decimal() => Counted(RandomDecimal());

        private decimal RandomDecimal() => _random.Next(4) switch
        {
            0 => s_decimals[_random.Next(s_decimals.Length)],
            1 => Math.Round((decimal)_random.NextDouble() * 1000m, _random.Next(0, 5)),
            _ => new decimal(_random.Next(int.MinValue, int.MaxValue), _random.Next(int.MinValue, int.MaxValue), _random.Next(int.MinValue, int.MaxValue), _random.Next(2) == 0, (byte)_random.Next(0, 29)),
        };

        private long Long() => Counted(_random.Next(4) == 0 ? s_longs[_random.Next(s_longs.Length)] : _random.NextInt64(long.MinValue, long.MaxValue));

        private DateTimeOffset Timestamp()
        {
            _values++;
            var offset = TimeSpan.FromMinutes(_random.Next(-14 * 60, 14 * 60 + 1));
            long margin = TimeSpan.TicksPerDay;
            long utc = _random.Next(3) == 0
                ? _random.NextInt64(System.DateTime.MinValue.Ticks + margin, System.DateTime.MaxValue.Ticks - margin)
                : System.DateTime.UnixEpoch.Ticks + _random.NextInt64(-TimeSpan.TicksPerDay * 365 * 50, TimeSpan.TicksPerDay * 365 * 100);
            return new DateTimeOffset(utc + offset.Ticks, offset);
        }

        private DateTime DateTime()
        {
            _values++;
            switch (_random.Next(3))
            {
                case 0:
                    return new DateTime(_random.NextInt64(System.DateTime.MinValue.Ticks, System.DateTime.MaxValue.Ticks), DateTimeKind.Utc);
                case 1:
                    return new DateTime(_random.NextInt64(System.DateTime.MinValue.Ticks, System.DateTime.MaxValue.Ticks), DateTimeKind.Unspecified);
                default:
                    long from = new DateTime(1900, 1, 1).Ticks;
                    return new DateTime(_random.NextInt64(from, new DateTime(2200, 1, 1).Ticks), DateTimeKind.Local);
            }
        }

        private DateOnly DateOnly() => Counted(System.DateOnly.FromDayNumber(_random.Next(0, System.DateOnly.MaxValue.DayNumber + 1)));

        private Guid Guid()
        {
            _values++;
            Span<byte> bytes = stackalloc byte[16];
            _random.NextBytes(bytes);
            return new Guid(bytes);
        }

        private FuzzTier Tier() => Counted(_random.Next(3) == 0 ? (FuzzTier)_random.Next(-5, 2000) : (FuzzTier)(new[] { 0, 1, 1000 }[_random.Next(3)]));

        private FuzzPart? Part() => _random.Next(4) == 0
            ? Null<FuzzPart>()
            : new FuzzPart(MaybeText(), Long(), _random.Next(3) == 0 ? Null<FuzzLeaf>() : new FuzzLeaf(MaybeText(), Double()));

        private string?[]? Tags()
        {
            if (_random.Next(5) == 0)
            {
                _values++;
                return null;
            }

            var tags = new string?[_random.Next(0, 5)];
            for (int i = 0; i < tags.Length; i++)
            {
                tags[i] = _random.Next(6) == 0 ? Null<string>() : Text();
            }

            return tags;
        }

        private double[]? NumberList()
        {
            if (_random.Next(5) == 0)
            {
                _values++;
                return null;
            }

            var values = new double[_random.Next(0, 5)];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = Double();
            }

            return values;
        }

        private long? Null()
        {
            _values++;
            return null;
        }

        private List<long?>? Ranks()
        {
            if (_random.Next(5) == 0)
            {
                _values++;
                return null;
            }

            var ranks = new List<long?>();
            for (int i = _random.Next(0, 5); i > 0; i--)
            {
                ranks.Add(_random.Next(5) == 0 ? Null() : Long());
            }

            return ranks;
        }
    }
}
