using System.Collections.Generic;
using System.Linq;
using Kissmetrics.Typed.Generator.Model;
using Kissmetrics.Typed.Internal;

namespace Kissmetrics.Typed.Generator.Parsing;

/// <summary>
/// Resolves what the tracking plan says of a serializer (<see cref="PlanEntrySpec"/>): its kind word, Kissmetrics names,
/// and each property's wire names, JSON type and flags. Computed once, with the serializer, so the plan emitter only
/// lays out text and the drift analyzer reads the same rows.
/// </summary>
internal static class PlanRows
{
    /// <summary>The plan's word for a kind (the Kissmetrics call it becomes).</summary>
    public static string Kind(SpecKind kind) => kind switch
    {
        SpecKind.Event => TrackingPlanFormat.TrackKind,
        SpecKind.Traits => TrackingPlanFormat.IdentifyKind,
        SpecKind.GroupTraits => TrackingPlanFormat.GroupKind,
        SpecKind.Page => TrackingPlanFormat.PageKind,
        _ => TrackingPlanFormat.ScreenKind,
    };

    /// <summary>The entry's name: the event name, or a page's or screen's <c>Viewed ... Page</c>; none for traits.</summary>
    public static string? EntryName(TypeSpec type) => type.Kind switch
    {
        SpecKind.Event => type.EventName,
        SpecKind.Page or SpecKind.Screen => type.PageName is { } name && !string.IsNullOrWhiteSpace(name) ? WireNames.ViewEventName(type.Kind, name) : null,
        _ => null,
    };

    /// <summary>The plan entry of a type from its resolved writes.</summary>
    public static PlanEntrySpec Entry(TypeSpec type, IEnumerable<PropertyWrite> properties, IEnumerable<ConstantWrite> constants, ProductsWrite? products)
    {
        string? categorized = type.Kind is SpecKind.Page or SpecKind.Screen && !string.IsNullOrWhiteSpace(type.PageCategory)
            ? WireNames.ViewEventName(type.Kind, type.PageCategory!)
            : null;
        var rows = new List<PlanRowSpec>();
        Collect(properties, parentPath: null, ancestorsRequired: true, flattened: false, rows);
        foreach (ConstantWrite constant in constants)
        {
            rows.Add(new PlanRowSpec(PlanRowSpec.ConstantMember(constant.WireName), constant.WireName, null, "string", null, true, new[] { constant.Value }.ToEquatableArray(), null, false, false, false));
        }

        EquatableArray<PlanRowSpec>? productRows = null;
        if (products is not null)
        {
            var collected = new List<PlanRowSpec>();
            Collect(products.Properties, parentPath: null, ancestorsRequired: true, flattened: false, collected);
            productRows = collected.ToEquatableArray();
        }

        return new PlanEntrySpec(Kind(type.Kind), type.Shape.FullTypeName.Replace("global::", string.Empty), EntryName(type), categorized, type.Shape.Summary, rows.ToEquatableArray(), productRows);
    }

    private static void Collect(IEnumerable<PropertyWrite> writes, string? parentPath, bool ancestorsRequired, bool flattened, List<PlanRowSpec> into)
    {
        foreach (PropertyWrite write in writes)
        {
            string path = parentPath is null ? write.ClrName : parentPath + "." + write.ClrName;
            bool required = ancestorsRequired && write.Info.IsRequired;
            if (write.Value.Kind == ValueKind.Object)
            {
                Collect(write.Children, path, required, flattened: true, into);
                continue;
            }

            (string jsonType, string? format) = JsonType(write.Value);
            EquatableArray<string>? enumValues = write.Value.Kind == ValueKind.Enum ? write.Value.EnumMembers.Select(m => m.WireValue).ToEquatableArray() : null;
            into.Add(new PlanRowSpec(path, write.WireName, write.PrefixedWireName, jsonType, format, required, enumValues, write.Info.Summary, flattened,
                write.Value.Kind == ValueKind.Collection, write.WritesBillingAmount));
        }
    }

    private static (string Type, string? Format) JsonType(ValueSpec value) => value.Kind switch
    {
        ValueKind.Boolean => ("boolean", null),
        ValueKind.Int64 or ValueKind.UInt64 => ("integer", null),
        ValueKind.Double or ValueKind.Single or ValueKind.Decimal => ("number", null),
        ValueKind.DateTime or ValueKind.DateTimeOffset or ValueKind.DateOnly => ("integer", "unix-time"),
        ValueKind.Guid => ("string", "uuid"),
        _ => ("string", null),
    };
}
