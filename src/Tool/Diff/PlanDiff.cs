using System;
using System.Collections.Generic;
using System.Linq;
using Kissmetrics.Typed.Internal;

namespace Kissmetrics.Typed.Tool.Diff;

/// <summary>One difference between two plans, and whether it is breaking for Kissmetrics.</summary>
/// <param name="Breaking">Whether the change splits history in Kissmetrics (or, for enum values, empties the reports that filter on a value).</param>
/// <param name="What">What changed: <c>event removed</c>, <c>property renamed</c>, <c>type changed</c>...</param>
/// <param name="Entry">The entry: <c>event "Signed Up"</c>, <c>traits QuickStart.UserTraits</c>.</param>
/// <param name="Property">The property's wire name (<c>products: Sku</c> for a product's), or <see langword="null"/> for the entry itself.</param>
/// <param name="Details">The before and after: <c>string -> integer</c>.</param>
internal sealed record PlanChange(bool Breaking, string What, string Entry, string? Property, string Details);

/// <summary>
/// Compares two plans. Entries are matched by kind and Kissmetrics name (traits and group traits, which have no
/// name, by kind and C# type); properties by wire name. What is left unmatched on both sides is paired as a rename when
/// the pairing is certain: same kind and C# type (entries) or same C# member and JSON type (properties), else the same
/// JSON type and the same non-empty description, with one candidate on each side. The rest is removed and added.
/// </summary>
/// <remarks>
/// Breaking, because Kissmetrics keys history by name and infers a property's type from its values: a removed or
/// renamed event or property, a changed categorized name (the page's second event), a changed JSON type or format,
/// and a removed enum value (its reports and segments stop receiving data). Not breaking: an added event or property,
/// an added enum value, a property that became or stopped being an enum, and a requiredness change (the same name
/// keeps its history; a property that became optional is simply absent from some events).
/// </remarks>
internal static class PlanDiff
{
    public static List<PlanChange> Compare(Plan before, Plan after)
    {
        var changes = new List<PlanChange>();
        var unmatchedOld = new List<PlanEntry>();
        var newByKey = after.Entries.GroupBy(Key).ToDictionary(group => group.Key, group => group.First());
        var matchedNew = new HashSet<PlanEntry>();
        foreach (PlanEntry old in before.Entries)
        {
            if (newByKey.TryGetValue(Key(old), out PlanEntry? current) && matchedNew.Add(current))
            {
                CompareEntry(changes, old, current);
            }
            else
            {
                unmatchedOld.Add(old);
            }
        }

        var unmatchedNew = after.Entries.Where(entry => !matchedNew.Contains(entry)).ToList();
        foreach (PlanEntry old in unmatchedOld)
        {
            PlanEntry? current = Single(unmatchedNew, entry => entry.Kind == old.Kind && entry.Type == old.Type)
                ?? (string.IsNullOrEmpty(old.Description) ? null : Single(unmatchedNew, entry => entry.Kind == old.Kind && entry.Description == old.Description)
                    is { } byDescription && Single(unmatchedOld, entry => entry.Kind == old.Kind && entry.Description == old.Description) is not null ? byDescription : null);
            if (current is null)
            {
                changes.Add(new PlanChange(true, Noun(old.Kind) + " removed", Label(old), null, old.Type));
                continue;
            }

            unmatchedNew.Remove(current);
            changes.Add(new PlanChange(true, Noun(old.Kind) + " renamed", Label(old), null, Label(old, nameOnly: true) + " -> " + Label(current, nameOnly: true)));
            CompareEntry(changes, old, current);
        }

        foreach (PlanEntry added in unmatchedNew)
        {
            changes.Add(new PlanChange(false, Noun(added.Kind) + " added", Label(added), null, added.Type));
        }

        return changes;
    }

    private static void CompareEntry(List<PlanChange> changes, PlanEntry old, PlanEntry current)
    {
        string label = Label(current);
        if (old.Name == current.Name && old.CategorizedName != current.CategorizedName)
        {
            changes.Add(new PlanChange(old.CategorizedName is not null, "categorized name changed", label, null, Quote(old.CategorizedName) + " -> " + Quote(current.CategorizedName)));
        }

        CompareProperties(changes, label, string.Empty, old.Properties, current.Properties);
        CompareProperties(changes, label, "products: ", old.Products, current.Products);
    }

    private static void CompareProperties(List<PlanChange> changes, string entry, string scope, IReadOnlyList<PlanProperty> old, IReadOnlyList<PlanProperty> current)
    {
        var currentByName = new Dictionary<string, PlanProperty>(StringComparer.Ordinal);
        foreach (PlanProperty property in current)
        {
            currentByName.TryAdd(property.Name, property);
        }

        var matched = new HashSet<PlanProperty>();
        var unmatchedOld = new List<PlanProperty>();
        foreach (PlanProperty before in old)
        {
            if (currentByName.TryGetValue(before.Name, out PlanProperty? after) && matched.Add(after))
            {
                CompareProperty(changes, entry, scope + after.Name, before, after);
            }
            else
            {
                unmatchedOld.Add(before);
            }
        }

        var unmatchedNew = current.Where(property => !matched.Contains(property)).ToList();
        foreach (PlanProperty before in unmatchedOld)
        {
            PlanProperty? after = Single(unmatchedNew, property => property.Member == before.Member && property.TypeText == before.TypeText)
                ?? (string.IsNullOrEmpty(before.Description) ? null : Single(unmatchedNew, property => property.TypeText == before.TypeText && property.Description == before.Description)
                    is { } byDescription && Single(unmatchedOld, property => property.TypeText == before.TypeText && property.Description == before.Description) is not null ? byDescription : null);
            if (after is null)
            {
                changes.Add(new PlanChange(true, "property removed", entry, scope + before.Name, before.TypeText));
                continue;
            }

            unmatchedNew.Remove(after);
            changes.Add(new PlanChange(true, "property renamed", entry, scope + before.Name, Quote(before.Name) + " -> " + Quote(after.Name) + " (" + after.TypeText + ")"));
            CompareProperty(changes, entry, scope + after.Name, before, after);
        }

        foreach (PlanProperty added in unmatchedNew)
        {
            changes.Add(new PlanChange(false, "property added", entry, scope + added.Name, added.TypeText + (added.Required ? ", required" : ", optional")));
        }
    }

    private static void CompareProperty(List<PlanChange> changes, string entry, string property, PlanProperty before, PlanProperty after)
    {
        if (before.TypeText != after.TypeText)
        {
            changes.Add(new PlanChange(true, "type changed", entry, property, before.TypeText + " -> " + after.TypeText));
        }

        if (before.Required != after.Required)
        {
            changes.Add(new PlanChange(false, "requiredness changed", entry, property, Requiredness(before) + " -> " + Requiredness(after)));
        }

        if (before.EnumValues is { } oldValues && after.EnumValues is { } newValues)
        {
            var removed = oldValues.Where(value => !newValues.Contains(value, StringComparer.Ordinal)).ToList();
            var added = newValues.Where(value => !oldValues.Contains(value, StringComparer.Ordinal)).ToList();
            if (removed.Count > 0)
            {
                changes.Add(new PlanChange(true, "enum values removed", entry, property, string.Join(", ", removed.Select(Quote))));
            }

            if (added.Count > 0)
            {
                changes.Add(new PlanChange(false, "enum values added", entry, property, string.Join(", ", added.Select(Quote))));
            }
        }
        else if (before.EnumValues is null != after.EnumValues is null)
        {
            changes.Add(new PlanChange(false, after.EnumValues is null ? "no longer an enum" : "now an enum", entry, property, after.EnumValues is null ? "any value" : string.Join(", ", after.EnumValues.Select(Quote))));
        }
    }

    private static T? Single<T>(List<T> candidates, Func<T, bool> match)
        where T : class
    {
        T? found = null;
        foreach (T candidate in candidates)
        {
            if (match(candidate))
            {
                if (found is not null)
                {
                    return null;
                }

                found = candidate;
            }
        }

        return found;
    }

    private static (string Kind, string Key) Key(PlanEntry entry) => (entry.Kind, entry.Name ?? "type:" + entry.Type);

    private static string Requiredness(PlanProperty property) => property.Required ? "required" : "optional";

    private static string Quote(string? text) => text is null ? "(none)" : "\"" + text + "\"";

    private static string Noun(string kind) => kind switch
    {
        TrackingPlanFormat.TrackKind => "event",
        TrackingPlanFormat.IdentifyKind => "traits",
        TrackingPlanFormat.GroupKind => "group traits",
        _ => kind,
    };

    private static string Label(PlanEntry entry) => Noun(entry.Kind) + " " + Label(entry, nameOnly: true);

    private static string Label(PlanEntry entry, bool nameOnly) => entry.Name is null ? entry.Type : Quote(entry.Name);
}
