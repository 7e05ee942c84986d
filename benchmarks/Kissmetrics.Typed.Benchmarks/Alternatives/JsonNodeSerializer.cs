using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Kissmetrics.Typed.Benchmarks.Alternatives;

/// <summary>
/// The System.Text.Json way: <see cref="JsonSerializer.SerializeToNode{TValue}(TValue, JsonSerializerOptions?)"/>,
/// then the node tree flattened into the query (dotted names, arrays joined with <c>,</c>), with the same mapping
/// rules as the generated serializer. The options are built once: enums as their <c>[JsonStringEnumMemberName]</c>,
/// <see cref="DateTimeOffset"/> as Unix seconds.
/// </summary>
public static class JsonNodeSerializer
{
    private static readonly JsonSerializerOptions s_options = new()
    {
        Converters = { new JsonStringEnumConverter(), new UnixSecondsConverter() },
    };

    private static readonly Regex s_completedOrder = new(
        "^[ _]?completed[ _]?order[ _]?|^[ _]?order[ _]?completed[ _]?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

    /// <summary>The requests of a track call, each followed by <c>'\n'</c>, as one string.</summary>
    public static string Track<TEvent>(KissmetricsOptions options, string person, string eventName, TEvent @event, DateTimeOffset timestamp)
    {
        JsonObject root = JsonSerializer.SerializeToNode(@event, s_options)!.AsObject();
        long t = timestamp.ToUnixTimeSeconds();
        string prefix = options.PrefixProperties ? eventName + " - " : string.Empty;
        string control = "_k=" + Uri.EscapeDataString(options.ApiKey!) + "&_p=" + Uri.EscapeDataString(person);

        JsonArray? products = null;
        if (s_completedOrder.IsMatch(eventName))
        {
            string? key = root.Select(p => p.Key).FirstOrDefault(k => k.Equals("products", StringComparison.OrdinalIgnoreCase));
            if (key is not null && root[key] is JsonArray array)
            {
                products = array;
                root.Remove(key);
            }
        }

        var query = new List<string>();
        Flatten(root, null, prefix, query, topLevel: true);
        if (products is not null && !root.Any(p => p.Key.Equals("revenue", StringComparison.OrdinalIgnoreCase)) &&
            root.FirstOrDefault(p => p.Key.Equals("total", StringComparison.OrdinalIgnoreCase)).Value is JsonValue total)
        {
            Add(query, prefix + "revenue", total);
            AddBillingAmount(query, total);
        }

        string request = "/e?" + control + "&_n=" + Uri.EscapeDataString(eventName) + "&_t=" + t.ToString(CultureInfo.InvariantCulture) + "&_d=1" +
            Join(query) + "\n";
        if (products is not null)
        {
            for (int i = 0; i < products.Count; i++)
            {
                var productQuery = new List<string>();
                Flatten(products[i]!.AsObject(), null, prefix, productQuery, topLevel: true);
                request += "/s?" + control + "&_t=" + (t + i).ToString(CultureInfo.InvariantCulture) + "&_d=1" + Join(productQuery) + "\n";
            }
        }

        return request;
    }

    private static void Flatten(JsonObject node, string? parent, string prefix, List<string> query, bool topLevel)
    {
        foreach (KeyValuePair<string, JsonNode?> property in node)
        {
            string name = parent is null ? property.Key : parent + "." + property.Key;
            switch (property.Value)
            {
                case null:
                    break;
                case JsonObject nested:
                    Flatten(nested, name, prefix, query, topLevel: false);
                    break;
                case JsonArray array:
                    query.Add(Uri.EscapeDataString(prefix + name) + "=" + Uri.EscapeDataString(string.Join(",", array.Select(Text))));
                    break;
                case JsonValue value:
                    Add(query, prefix + name, value);
                    if (topLevel && property.Key.Equals("revenue", StringComparison.OrdinalIgnoreCase))
                    {
                        AddBillingAmount(query, value);
                    }

                    break;
            }
        }
    }

    private static void Add(List<string> query, string name, JsonValue value) =>
        query.Add(Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(Text(value)));

    private static void AddBillingAmount(List<string> query, JsonValue value)
    {
        if (value.GetValueKind() == JsonValueKind.Number && value.GetValue<decimal>() != 0)
        {
            Add(query, "Billing Amount", value);
        }
    }

    private static string Text(JsonNode? node) => node switch
    {
        null => string.Empty,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(s_options),
    };

    private static string Join(List<string> query) => query.Count == 0 ? string.Empty : "&" + string.Join("&", query);

    /// <summary>Kissmetrics wants dates as Unix seconds.</summary>
    private sealed class UnixSecondsConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64());

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value.ToUnixTimeSeconds());
    }
}
