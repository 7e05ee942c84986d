using System;
using System.Collections.Generic;
using System.Linq;
using Kissmetrics.Typed.Generator.Model;
using Kissmetrics.Typed.Internal;

namespace Kissmetrics.Typed.Generator.Parsing;

/// <summary>A naming problem found once every wire name is known (KM003, KM004).</summary>
internal readonly struct NameProblem
{
    public NameProblem(ProblemKind kind, string memberPath, string wireName, string? otherMemberPath)
    {
        Kind = kind;
        MemberPath = memberPath;
        WireName = wireName;
        OtherMemberPath = otherMemberPath;
    }

    public ProblemKind Kind { get; }

    /// <summary>The C# path of the member at fault (<c>Address.City</c>).</summary>
    public string MemberPath { get; }

    public string WireName { get; }

    public string? OtherMemberPath { get; }
}

/// <summary>
/// Applies the naming policy and the mapping rules to a <see cref="TypeSpec"/>: every property gets its wire
/// names (flattened, with and without the event prefix), revenue gets <c>Billing Amount</c>, pages get their
/// event names. The result is what is emitted; analyzers read the same result.
/// </summary>
internal static class SerializerResolver
{
    public static SerializerSpec? Resolve(TypeSpec type, NamingPolicy policy, Action<NameProblem>? report = null)
    {
        SerializerSpec spec = Build(type, policy, report, out bool valid);
        return valid ? spec : null;
    }

    /// <summary>
    /// The same names as <see cref="Resolve"/>, returned even when a name is reserved or collides (the problems
    /// go to <paramref name="report"/>): the analyzers still look at the other names. Never emitted.
    /// </summary>
    public static SerializerSpec ResolveUnchecked(TypeSpec type, NamingPolicy policy, Action<NameProblem>? report = null) =>
        Build(type, policy, report, out _);

    private static SerializerSpec Build(TypeSpec type, NamingPolicy policy, Action<NameProblem>? report, out bool valid)
    {
        string? eventPrefix = type.Kind == SpecKind.Event ? WireNames.EventPrefix(type.EventName!) : null;
        string? fixedPrefix = type.Kind switch
        {
            SpecKind.GroupTraits => KissmetricsWireNames.GroupPrefix,
            SpecKind.Page or SpecKind.Screen => WireNames.ViewPrefix(type.Kind),
            _ => null,
        };

        var naming = new Naming(policy, eventPrefix, fixedPrefix);
        IEnumerable<MemberSpec> topLevel = type.Members.Where(m => m.ClrName != type.ProductsMember);
        List<PropertyWrite> properties = Properties(topLevel, parent: null, naming);

        if (type.Kind == SpecKind.Event)
        {
            MarkRevenue(properties, type.Members.Where(m => m.ClrName != type.ProductsMember).ToList(), policy);
            if (type.ProductsMember is not null && !properties.Any(p => p.WritesBillingAmount || IsRevenueName(p)))
            {
                AddTotalAsRevenue(properties, eventPrefix!);
            }
        }

        ProductsWrite? products = null;
        if (type.ProductsMember is not null)
        {
            MemberSpec member = type.Members.First(m => m.ClrName == type.ProductsMember);
            ValueSpec element = member.Value.Element!;
            List<PropertyWrite> productProperties = Properties(element.Children, parent: null, naming);
            MarkRevenue(productProperties, element.Children.ToList(), policy);
            products = new ProductsWrite(member.ClrName, member.Value, productProperties.ToEquatableArray());
        }

        var constants = new List<ConstantWrite>();
        string? encodedNamed = null, encodedCategorized = null;
        if (type.Kind is SpecKind.Page or SpecKind.Screen)
        {
            if (!string.IsNullOrWhiteSpace(type.PageName))
            {
                constants.Add(new ConstantWrite(fixedPrefix + "name", type.PageName!));
                encodedNamed = Internal.PercentEncoding.Encode(WireNames.ViewEventName(type.Kind, type.PageName!));
            }

            if (!string.IsNullOrWhiteSpace(type.PageCategory))
            {
                constants.Add(new ConstantWrite(fixedPrefix + "category", type.PageCategory!));
                encodedCategorized = Internal.PercentEncoding.Encode(WireNames.ViewEventName(type.Kind, type.PageCategory!));
            }
        }

        valid = CheckNames(type, properties, constants, parentPath: null, report);
        if (products is not null)
        {
            valid &= CheckNames(type, products.Properties.ToList(), new List<ConstantWrite>(), products.ClrName, report);
        }

        return new SerializerSpec(
            type,
            HintName(type),
            type.EventName is null ? null : Internal.PercentEncoding.Encode(type.EventName),
            encodedNamed,
            encodedCategorized,
            properties.ToEquatableArray(),
            constants.ToEquatableArray(),
            products,
            PlanRows.Entry(type, properties, constants, products));
    }

    /// <summary>Every name a type sends, leaves only, in order, with the C# path each comes from.</summary>
    public static IEnumerable<(string MemberPath, PropertyWrite Write)> Leaves(IEnumerable<PropertyWrite> properties, string? parentPath = null)
    {
        foreach (PropertyWrite property in properties)
        {
            string path = parentPath is null ? property.ClrName : parentPath + "." + property.ClrName;
            if (property.Value.Kind == ValueKind.Object)
            {
                foreach ((string MemberPath, PropertyWrite Write) leaf in Leaves(property.Children, path))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return (path, property);
            }
        }
    }

    /// <summary>Unique per type and kind: a type may carry two of the attributes (an event that is also traits).</summary>
    public static string HintName(TypeSpec type)
    {
        string nested = string.Concat(type.ContainingTypes.Select(t => t.Name + "."));
        return (type.Namespace.Length == 0 ? string.Empty : type.Namespace + ".") + nested + type.TypeName + ".Kissmetrics" + type.Kind + ".g.cs";
    }

    private static List<PropertyWrite> Properties(IEnumerable<MemberSpec> members, string? parent, Naming naming)
    {
        var writes = new List<PropertyWrite>();
        foreach (MemberSpec member in members)
        {
            string name = WireNames.MemberName(member, naming.Policy);
            string path = parent is null ? name : WireNames.Flatten(parent, name);
            EquatableArray<PropertyWrite> children = member.Value.Kind == ValueKind.Object
                ? Properties(member.Value.Children, path, naming).ToEquatableArray()
                : EquatableArray<PropertyWrite>.Empty;
            (string wire, string? prefixed) = naming.Names(path);
            writes.Add(new PropertyWrite(member.ClrName, member.Value, wire, prefixed, WritesBillingAmount: false, children, member.Info));
        }

        return writes;
    }

    private static void MarkRevenue(List<PropertyWrite> properties, List<MemberSpec> members, NamingPolicy policy)
    {
        int index = members.FindIndex(m => m.IsRevenue);
        if (index < 0)
        {
            index = members.FindIndex(m => WireNames.IsImplicitRevenue(WireNames.MemberName(m, policy)));
        }

        if (index >= 0 && properties[index].Value.IsNumber)
        {
            properties[index] = properties[index] with { WritesBillingAmount = true };
        }
    }

    private static bool IsRevenueName(PropertyWrite property) => WireNames.IsImplicitRevenue(property.WireName);

    private static void AddTotalAsRevenue(List<PropertyWrite> properties, string eventPrefix)
    {
        PropertyWrite? total = properties.FirstOrDefault(p => p.Value.IsNumber && string.Equals(p.WireName, WireNames.Total, StringComparison.OrdinalIgnoreCase));
        if (total is not null)
        {
            properties.Add(new PropertyWrite(total.ClrName, total.Value, WireNames.Revenue, eventPrefix + WireNames.Revenue, WritesBillingAmount: true, EquatableArray<PropertyWrite>.Empty, total.Info));
        }
    }

    private static bool CheckNames(TypeSpec type, List<PropertyWrite> properties, List<ConstantWrite> constants, string? parentPath, Action<NameProblem>? report)
    {
        bool valid = true;
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (ConstantWrite constant in constants)
        {
            seen[constant.WireName] = "the added '" + constant.WireName + "'";
        }

        if (type.Kind == SpecKind.Traits)
        {
            seen[KissmetricsWireNames.IdentifyId] = "the person id (" + KissmetricsWireNames.IdentifyId + ")";
        }
        else if (type.Kind == SpecKind.GroupTraits)
        {
            seen[KissmetricsWireNames.GroupId] = "the group id (" + KissmetricsWireNames.GroupId + ")";
        }

        foreach ((string path, PropertyWrite write) in Leaves(properties, parentPath))
        {
            string unprefixed = type.Kind switch
            {
                SpecKind.GroupTraits => write.WireName.Substring(KissmetricsWireNames.GroupPrefix.Length),
                SpecKind.Page or SpecKind.Screen => write.WireName.Substring(WireNames.ViewPrefix(type.Kind).Length),
                _ => write.WireName,
            };
            if (WireNames.IsReserved(unprefixed))
            {
                valid = false;
                report?.Invoke(new NameProblem(ProblemKind.ReservedName, path, unprefixed, null));
            }

            // The synthetic revenue copied from an order's total shares the total's member: not a collision of the user's.
            if (seen.TryGetValue(write.WireName, out string? other))
            {
                if (other != path)
                {
                    valid = false;
                    report?.Invoke(new NameProblem(ProblemKind.Collision, path, write.WireName, other));
                }
            }
            else
            {
                seen.Add(write.WireName, path);
            }

            // The revenue is also sent as `Billing Amount`, never prefixed: a property of that name would be a second one.
            if (write.WritesBillingAmount)
            {
                if (seen.TryGetValue(KissmetricsWireNames.BillingAmount, out string? named) && named != path)
                {
                    valid = false;
                    report?.Invoke(new NameProblem(ProblemKind.Collision, named, KissmetricsWireNames.BillingAmount, path));
                }
                else
                {
                    seen[KissmetricsWireNames.BillingAmount] = path;
                }
            }
        }

        return valid;
    }

    private sealed class Naming
    {
        private readonly string? _eventPrefix;
        private readonly string? _fixedPrefix;

        public Naming(NamingPolicy policy, string? eventPrefix, string? fixedPrefix)
        {
            Policy = policy;
            _eventPrefix = eventPrefix;
            _fixedPrefix = fixedPrefix;
        }

        public NamingPolicy Policy { get; }

        public (string Wire, string? Prefixed) Names(string path)
        {
            if (_fixedPrefix is not null)
            {
                return (_fixedPrefix + path, null);
            }

            if (_eventPrefix is not null && !WireNames.IsNeverPrefixed(path))
            {
                return (path, _eventPrefix + path);
            }

            return (path, null);
        }
    }
}
