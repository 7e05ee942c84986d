using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Runtime.Serialization;
using System.Text.RegularExpressions;

namespace Kissmetrics.Typed.Benchmarks.Alternatives;

/// <summary>
/// What a team writes without a generator: reflection over the record into a <see cref="Dictionary{TKey,TValue}"/>
/// of <c>string</c> to <c>object</c>, nested objects flattened into dotted names, the event prefix added,
/// every name and value through <see cref="Uri.EscapeDataString(string)"/>, and the request built by string
/// concatenation. It follows the same mapping rules (revenue and <c>Billing Amount</c>, completed orders,
/// enum member values, Unix seconds), so it produces byte for byte what the generated serializer writes.
/// </summary>
/// <remarks>
/// Fair, not a straw man: the reflection metadata (properties, names, attributes, enum member values) is looked up
/// once per type and cached, as any reasonable hand-written version would; what remains per call is the work the
/// approach cannot avoid: boxing every value through <see cref="PropertyInfo.GetValue(object)"/>, a dictionary,
/// a string per name and per value, and the concatenation.
/// </remarks>
public static class NaiveSerializer
{
    private static readonly ConcurrentDictionary<Type, Member[]> s_members = new();
    private static readonly ConcurrentDictionary<Type, string> s_eventNames = new();
    private static readonly ConcurrentDictionary<Enum, string> s_enumNames = new();
    private static readonly Regex s_completedOrder = new(
        "^[ _]?completed[ _]?order[ _]?|^[ _]?order[ _]?completed[ _]?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

    /// <summary>The requests of a track call, each followed by <c>'\n'</c>, as one string.</summary>
    public static string Track(KissmetricsOptions options, string person, object @event, DateTimeOffset timestamp)
    {
        Type type = @event.GetType();
        string eventName = s_eventNames.GetOrAdd(type, static t => t.GetCustomAttribute<KissmetricsEventAttribute>()!.Name);
        long t = timestamp.ToUnixTimeSeconds();
        bool completedOrder = s_completedOrder.IsMatch(eventName);

        var properties = new Dictionary<string, object>();
        IList? products = null;
        foreach (Member member in Members(type))
        {
            object? value = member.Property.GetValue(@event);
            if (completedOrder && products is null && member.Name.Equals("products", StringComparison.OrdinalIgnoreCase) && value is IList list)
            {
                products = list;
                continue;
            }

            Add(properties, member, value, prefix: null);
        }

        if (products is not null && !properties.Keys.Any(k => k.Equals("revenue", StringComparison.OrdinalIgnoreCase) || k == "Billing Amount") &&
            properties.FirstOrDefault(p => p.Key.Equals("total", StringComparison.OrdinalIgnoreCase)).Value is { } total)
        {
            properties["revenue"] = total;
            AddBillingAmount(properties, total);
        }

        string prefix = options.PrefixProperties ? eventName + " - " : string.Empty;
        string control = "_k=" + Uri.EscapeDataString(options.ApiKey!) + "&_p=" + Uri.EscapeDataString(person);
        string request = "/e?" + control + "&_n=" + Uri.EscapeDataString(eventName) + "&_t=" + t.ToString(CultureInfo.InvariantCulture) + "&_d=1" +
            Query(properties, prefix) + "\n";

        if (products is not null)
        {
            for (int i = 0; i < products.Count; i++)
            {
                var productProperties = new Dictionary<string, object>();
                object product = products[i]!;
                foreach (Member member in Members(product.GetType()))
                {
                    Add(productProperties, member, member.Property.GetValue(product), prefix: null);
                }

                request += "/s?" + control + "&_t=" + (t + i).ToString(CultureInfo.InvariantCulture) + "&_d=1" + Query(productProperties, prefix) + "\n";
            }
        }

        return request;
    }

    private static string Query(Dictionary<string, object> properties, string prefix)
    {
        var parts = new List<string>(properties.Count);
        foreach (KeyValuePair<string, object> property in properties)
        {
            string name = property.Key == "Billing Amount" ? property.Key : prefix + property.Key;
            parts.Add(Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(Format(property.Value)));
        }

        return parts.Count == 0 ? string.Empty : "&" + string.Join("&", parts);
    }

    private static void Add(Dictionary<string, object> properties, Member member, object? value, string? prefix)
    {
        if (value is null)
        {
            return;
        }

        string name = prefix + member.Name;
        if (member.IsNested)
        {
            foreach (Member child in Members(member.Property.PropertyType))
            {
                Add(properties, child, child.Property.GetValue(value), name + ".");
            }

            return;
        }

        properties[name] = value;
        if (member.IsRevenue && prefix is null)
        {
            AddBillingAmount(properties, value);
        }
    }

    private static void AddBillingAmount(Dictionary<string, object> properties, object value)
    {
        if (Convert.ToDecimal(value, CultureInfo.InvariantCulture) != 0)
        {
            properties["Billing Amount"] = value;
        }
    }

    private static string Format(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        Enum e => s_enumNames.GetOrAdd(e, static e =>
            e.GetType().GetField(e.ToString())?.GetCustomAttribute<EnumMemberAttribute>()?.Value ?? e.ToString()),
        IEnumerable items => string.Join(",", items.Cast<object?>().Select(item => item is null ? string.Empty : Format(item))),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static Member[] Members(Type type) => s_members.GetOrAdd(type, static t => t
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
        .Select(p => new Member(
            p,
            p.GetCustomAttribute<KissmetricsPropertyAttribute>()?.Name ?? p.Name,
            p.GetCustomAttribute<KissmetricsRevenueAttribute>() is not null || p.Name.Equals("revenue", StringComparison.OrdinalIgnoreCase),
            IsNested(p.PropertyType)))
        .ToArray());

    private static bool IsNested(Type type) =>
        type != typeof(string) && !type.IsValueType && !typeof(IEnumerable).IsAssignableFrom(type);

    private sealed record Member(PropertyInfo Property, string Name, bool IsRevenue, bool IsNested);
}
