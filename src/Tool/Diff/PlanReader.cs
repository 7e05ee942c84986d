using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kissmetrics.Typed.Internal;

namespace Kissmetrics.Typed.Tool.Diff;

/// <summary>A plan file that cannot be read: missing, not JSON, or not a plan of a version this tool knows.</summary>
internal sealed class PlanReadException(string message) : Exception(message);

/// <summary>
/// Reads <c>kissmetrics-plan.json</c> (the layout of the runtime's <c>TrackingPlanWriter</c>, field names from
/// <see cref="TrackingPlanFormat"/>), for the diff and the exports. The entry's <c>schema</c> and a revenue's
/// <c>alsoSentAs</c> are ignored: both follow from the other fields.
/// </summary>
internal static partial class PlanReader
{
    public static Plan ReadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new PlanReadException(path + ": cannot read the plan: " + (exception is FileNotFoundException or DirectoryNotFoundException ? "no such file" : exception.Message));
        }

        return Read(path, text);
    }

    public static Plan Read(string path, string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException exception)
        {
            string where = exception.LineNumber is long line
                ? ":" + (line + 1).ToString(CultureInfo.InvariantCulture) + ":" + ((exception.BytePositionInLine ?? 0) + 1).ToString(CultureInfo.InvariantCulture)
                : string.Empty;
            throw new PlanReadException(path + where + ": invalid JSON: " + PositionSuffix().Replace(exception.Message, string.Empty));
        }

        using (document)
        {
            return Read(path, document.RootElement);
        }
    }

    private static Plan Read(string path, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, string.Empty, "the plan must be a JSON object");
        }

        if (!root.TryGetProperty(TrackingPlanFormat.PlanVersion, out JsonElement version))
        {
            throw Invalid(path, string.Empty, "no '" + TrackingPlanFormat.PlanVersion + "': not a kissmetrics-plan.json");
        }

        if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out int number) || number != TrackingPlanFormat.Version)
        {
            throw Invalid(path, "/" + TrackingPlanFormat.PlanVersion, "unknown plan version " + version.GetRawText() + "; this tool reads version " + TrackingPlanFormat.Version.ToString(CultureInfo.InvariantCulture));
        }

        var entries = new List<PlanEntry>();
        int index = 0;
        foreach (JsonElement entry in Array(path, root, TrackingPlanFormat.Entries, string.Empty, required: true))
        {
            string pointer = "/" + TrackingPlanFormat.Entries + "/" + index.ToString(CultureInfo.InvariantCulture);
            if (entry.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, pointer, "an entry must be a JSON object");
            }

            entries.Add(new PlanEntry(
                String(path, entry, TrackingPlanFormat.Kind, pointer)!,
                String(path, entry, TrackingPlanFormat.Type, pointer)!,
                String(path, entry, TrackingPlanFormat.Name, pointer, required: false),
                String(path, entry, TrackingPlanFormat.CategorizedName, pointer, required: false),
                String(path, entry, TrackingPlanFormat.Description, pointer, required: false),
                Properties(path, entry, TrackingPlanFormat.Properties, pointer, required: true),
                Properties(path, entry, TrackingPlanFormat.Products, pointer, required: false)));
            index++;
        }

        return new Plan(path, entries);
    }

    private static List<PlanProperty> Properties(string path, JsonElement entry, string field, string pointer, bool required)
    {
        var properties = new List<PlanProperty>();
        int index = 0;
        foreach (JsonElement property in Array(path, entry, field, pointer, required))
        {
            string at = pointer + "/" + field + "/" + index.ToString(CultureInfo.InvariantCulture);
            if (property.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, at, "a property must be a JSON object");
            }

            properties.Add(new PlanProperty(
                String(path, property, TrackingPlanFormat.Member, at)!,
                String(path, property, TrackingPlanFormat.Name, at)!,
                String(path, property, TrackingPlanFormat.Type, at)!,
                String(path, property, TrackingPlanFormat.Format, at, required: false),
                Boolean(path, property, TrackingPlanFormat.Required, at),
                String(path, property, TrackingPlanFormat.Description, at, required: false),
                Strings(path, property, TrackingPlanFormat.Enum, at))
            {
                PrefixedName = String(path, property, TrackingPlanFormat.PrefixedName, at, required: false),
                Flattened = Boolean(path, property, TrackingPlanFormat.Flattened, at),
                Joined = Boolean(path, property, TrackingPlanFormat.Joined, at),
                Revenue = Boolean(path, property, TrackingPlanFormat.Revenue, at),
            });
            index++;
        }

        return properties;
    }

    private static JsonElement.ArrayEnumerator Array(string path, JsonElement owner, string field, string pointer, bool required)
    {
        if (!owner.TryGetProperty(field, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? throw Invalid(path, pointer, "no '" + field + "' array") : default;
        }

        return value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : throw Invalid(path, pointer + "/" + field, "'" + field + "' must be an array");
    }

    private static string? String(string path, JsonElement owner, string field, string pointer, bool required = true)
    {
        if (!owner.TryGetProperty(field, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? throw Invalid(path, pointer, "no '" + field + "'") : null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Invalid(path, pointer + "/" + field, "'" + field + "' must be a string");
    }

    private static bool Boolean(string path, JsonElement owner, string field, string pointer) =>
        !owner.TryGetProperty(field, out JsonElement value) ? false : value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(path, pointer + "/" + field, "'" + field + "' must be true or false"),
        };

    private static List<string>? Strings(string path, JsonElement owner, string field, string pointer)
    {
        if (!owner.TryGetProperty(field, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(path, pointer + "/" + field, "'" + field + "' must be an array of strings");
        }

        var values = new List<string>();
        foreach (JsonElement item in value.EnumerateArray())
        {
            values.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Invalid(path, pointer + "/" + field, "'" + field + "' must be an array of strings"));
        }

        return values;
    }

    private static PlanReadException Invalid(string path, string pointer, string message) =>
        new(path + ": " + (pointer.Length == 0 ? "/" : pointer) + ": " + message);

    // System.Text.Json ends its messages with " Path: $.x | LineNumber: 2 | BytePositionInLine: 4."; the position is
    // reported as line:column instead.
    [GeneratedRegex(@"\s*(Path: [^|]*\|\s*)?LineNumber: \d+ \| BytePositionInLine: \d+\.$")]
    private static partial Regex PositionSuffix();
}
