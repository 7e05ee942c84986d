using System;
using System.Collections.Generic;
using System.Globalization;
using Kissmetrics.Typed.Internal;

namespace Kissmetrics.Typed.Generator.Diagnostics.Drift;

/// <summary>
/// The checked-in tracking plan (<c>kissmetrics-plan.json</c>), read back: only what the drift check compares, each
/// fact with the span of its text in the file. The layout is the runtime's <c>TrackingPlanWriter</c>; fields the drift
/// check does not compare (descriptions, schema, required, flattened, joined) are ignored, so editing them is not drift.
/// </summary>
internal sealed class PlanFile
{
    /// <summary>The file name the drift check looks for among the project's <c>AdditionalFiles</c>.</summary>
    public const string FileName = TrackingPlanFormat.FileName;

    /// <summary>The <c>planVersion</c> this reader understands (<see cref="TrackingPlanFormat.Version"/>, as the runtime writes it).</summary>
    public const int SupportedVersion = TrackingPlanFormat.Version;

    private PlanFile(List<PlanFileEntry> entries) => Entries = entries;

    public IReadOnlyList<PlanFileEntry> Entries { get; }

    /// <summary>Reads <paramref name="text"/>.</summary>
    /// <exception cref="JsonReadException">The text is not JSON, or not a plan of a version this reader knows.</exception>
    public static PlanFile Read(string text)
    {
        JsonValue root = JsonReader.Parse(text);
        JsonObject plan = Object(root, "the plan");
        JsonValue version = plan[TrackingPlanFormat.PlanVersion] ?? throw new JsonReadException("the plan has no '" + TrackingPlanFormat.PlanVersion + "'", plan.Start);
        if (version is not JsonNumber number || number.AsInt32() != SupportedVersion)
        {
            throw new JsonReadException("'" + TrackingPlanFormat.PlanVersion + "' must be " + SupportedVersion.ToString(CultureInfo.InvariantCulture) + "; this plan was written by another version of Kissmetrics.Typed", version.Start);
        }

        JsonArray entries = Array(plan[TrackingPlanFormat.Entries], "'" + TrackingPlanFormat.Entries + "'", plan);
        var read = new List<PlanFileEntry>();
        var keys = new HashSet<(string, string)>();
        foreach (JsonValue item in entries.Items)
        {
            JsonObject entry = Object(item, "an entry");
            JsonString kind = String(entry, TrackingPlanFormat.Kind, "an entry");
            JsonString type = String(entry, TrackingPlanFormat.Type, "an entry");
            if (!keys.Add((kind.Value, type.Value)))
            {
                throw new JsonReadException("the " + kind.Value + " entry of '" + type.Value + "' appears twice", type.Start);
            }

            read.Add(new PlanFileEntry(
                kind.Value,
                type,
                OptionalString(entry, TrackingPlanFormat.Name),
                OptionalString(entry, TrackingPlanFormat.CategorizedName),
                Properties(entry, TrackingPlanFormat.Properties) ?? throw new JsonReadException("an entry has no '" + TrackingPlanFormat.Properties + "'", entry.Start),
                Properties(entry, TrackingPlanFormat.Products)));
        }

        return new PlanFile(read);
    }

    private static List<PlanFileProperty>? Properties(JsonObject entry, string name)
    {
        if (entry[name] is not { } value)
        {
            return null;
        }

        JsonArray array = Array(value, "'" + name + "'", entry);
        var properties = new List<PlanFileProperty>();
        var members = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonValue item in array.Items)
        {
            JsonObject property = Object(item, "a property");
            JsonString member = String(property, TrackingPlanFormat.Member, "a property");
            if (!members.Add(member.Value))
            {
                throw new JsonReadException("the property '" + member.Value + "' appears twice in one entry", member.Start);
            }

            properties.Add(new PlanFileProperty(
                member,
                String(property, TrackingPlanFormat.Name, "a property").Value,
                OptionalString(property, TrackingPlanFormat.PrefixedName),
                String(property, TrackingPlanFormat.Type, "a property").Value,
                OptionalString(property, TrackingPlanFormat.Format),
                OptionalStrings(property, TrackingPlanFormat.Enum),
                OptionalBoolean(property, TrackingPlanFormat.Revenue)));
        }

        return properties;
    }

    private static JsonObject Object(JsonValue value, string what) =>
        value as JsonObject ?? throw new JsonReadException(what + " must be a JSON object", value.Start);

    private static JsonArray Array(JsonValue? value, string what, JsonObject owner) =>
        value is null ? throw new JsonReadException("there is no " + what + " array", owner.Start)
        : value as JsonArray ?? throw new JsonReadException(what + " must be a JSON array", value.Start);

    private static JsonString String(JsonObject owner, string name, string what) => owner[name] switch
    {
        JsonString value => value,
        null => throw new JsonReadException(what + " has no '" + name + "'", owner.Start),
        JsonValue other => throw new JsonReadException("'" + name + "' must be a string", other.Start),
    };

    private static List<string>? OptionalStrings(JsonObject owner, string name)
    {
        switch (owner[name])
        {
            case null:
            case JsonValue { Kind: JsonKind.Null }:
                return null;
            case JsonArray array:
                var values = new List<string>();
                foreach (JsonValue item in array.Items)
                {
                    values.Add(item is JsonString text ? text.Value : throw new JsonReadException("'" + name + "' must hold strings", item.Start));
                }

                return values;
            case JsonValue other:
                throw new JsonReadException("'" + name + "' must be an array", other.Start);
        }
    }

    private static bool OptionalBoolean(JsonObject owner, string name) => owner[name] switch
    {
        null => false,
        JsonValue { Kind: JsonKind.True } => true,
        JsonValue { Kind: JsonKind.False } => false,
        JsonValue other => throw new JsonReadException("'" + name + "' must be true or false", other.Start),
    };

    private static string? OptionalString(JsonObject owner, string name) => owner[name] switch
    {
        JsonString value => value.Value,
        null => null,
        JsonValue { Kind: JsonKind.Null } => null,
        JsonValue other => throw new JsonReadException("'" + name + "' must be a string", other.Start),
    };
}

/// <summary>One entry of the plan file, keyed by <see cref="Kind"/> and <see cref="Type"/> (the C# type, which a Kissmetrics rename keeps).</summary>
internal sealed class PlanFileEntry
{
    public PlanFileEntry(string kind, JsonString type, string? name, string? categorizedName, List<PlanFileProperty> properties, List<PlanFileProperty>? products)
    {
        Kind = kind;
        TypeValue = type;
        Name = name;
        CategorizedName = categorizedName;
        Properties = properties;
        Products = products;
    }

    public string Kind { get; }

    public string Type => TypeValue.Value;

    /// <summary>The <c>type</c> string, with its span: where a removed entry is reported.</summary>
    public JsonString TypeValue { get; }

    public string? Name { get; }

    public string? CategorizedName { get; }

    public IReadOnlyList<PlanFileProperty> Properties { get; }

    public IReadOnlyList<PlanFileProperty>? Products { get; }
}

/// <summary>One property of the plan file, keyed by <see cref="Member"/> (the C# member path).</summary>
internal sealed class PlanFileProperty
{
    public PlanFileProperty(JsonString member, string name, string? prefixedName, string jsonType, string? format, IReadOnlyList<string>? enumValues, bool revenue)
    {
        EnumValues = enumValues;
        Revenue = revenue;
        MemberValue = member;
        Name = name;
        PrefixedName = prefixedName;
        JsonType = jsonType;
        Format = format;
    }

    public string Member => MemberValue.Value;

    /// <summary>The <c>member</c> string, with its span: where a removed property is reported.</summary>
    public JsonString MemberValue { get; }

    public string Name { get; }

    public string? PrefixedName { get; }

    public string JsonType { get; }

    public string? Format { get; }

    /// <summary>The values an enum is sent as; <see langword="null"/> for any other property.</summary>
    public IReadOnlyList<string>? EnumValues { get; }

    /// <summary>Whether the property is also sent as revenue (<c>Billing Amount</c>).</summary>
    public bool Revenue { get; }
}
