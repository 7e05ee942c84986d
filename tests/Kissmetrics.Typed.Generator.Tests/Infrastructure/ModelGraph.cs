using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Kissmetrics.Typed.Generator.Tests.Infrastructure;

/// <summary>
/// Walks a pipeline model by reflection (every instance field, recursively, plus the declared type of every
/// property) and reports what must never be cached in an incremental pipeline: <see cref="ISymbol"/>,
/// <see cref="SyntaxNode"/>, <see cref="Location"/>, <see cref="SemanticModel"/>, <see cref="Compilation"/>,
/// <see cref="ImmutableArray{T}"/> and <see cref="List{T}"/> (and, holding those, <see cref="SyntaxTree"/>,
/// <see cref="SyntaxToken"/>, <see cref="SyntaxReference"/>, <see cref="AttributeData"/>, <see cref="TypedConstant"/>,
/// <see cref="Diagnostic"/>).
/// </summary>
public static class ModelGraph
{
    private const int MaxDepth = 64;

    private static readonly Type[] ForbiddenBaseTypes =
    [
        typeof(ISymbol), typeof(SyntaxNode), typeof(Location), typeof(SemanticModel), typeof(Compilation),
        typeof(SyntaxTree), typeof(SyntaxReference), typeof(AttributeData), typeof(Diagnostic),
    ];

    private static readonly Type[] ForbiddenValueTypes = [typeof(SyntaxToken), typeof(SyntaxTrivia), typeof(TypedConstant)];

    private static readonly Type[] ForbiddenGenericDefinitions = [typeof(ImmutableArray<>), typeof(List<>)];

    /// <summary>Fails listing every forbidden value or declared type reachable from <paramref name="model"/>.</summary>
    public static void AssertClean(object? model, string rootName = "model")
    {
        IReadOnlyList<string> violations = FindViolations(model, rootName);
        if (violations.Count > 0)
        {
            Assert.Fail($"The model holds types that break incremental caching or root compilations:{Environment.NewLine}  "
                + string.Join(Environment.NewLine + "  ", violations));
        }
    }

    /// <summary>
    /// Fails on anything forbidden in a pipeline step's output value. Unlike <see cref="AssertClean"/>, the step
    /// plumbing at the top is unwrapped first: a <c>Combine</c> step's tuple and a <c>Collect</c> step's
    /// <see cref="ImmutableArray{T}"/> are Roslyn's own shapes; what they carry is checked.
    /// </summary>
    public static void AssertCleanStepOutput(object? output, string rootName = "output")
    {
        var violations = new List<string>();
        foreach ((object? value, string path) in UnwrapStepOutput(output, rootName))
        {
            violations.AddRange(FindViolations(value, path));
        }

        if (violations.Count > 0)
        {
            Assert.Fail($"A pipeline step output holds types that break incremental caching or root compilations:{Environment.NewLine}  "
                + string.Join(Environment.NewLine + "  ", violations));
        }
    }

    /// <summary>Every path from <paramref name="model"/> to a forbidden value or declared type; empty when clean.</summary>
    public static IReadOnlyList<string> FindViolations(object? model, string rootName = "model")
    {
        var violations = new List<string>();
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        Walk(model, rootName, 0, violations, visited);
        return violations;
    }

    /// <summary>Whether <paramref name="type"/> may not appear in a model (unwrapping <see cref="Nullable{T}"/>).</summary>
    public static bool IsForbidden(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsGenericType && ForbiddenGenericDefinitions.Contains(type.GetGenericTypeDefinition()))
        {
            return true;
        }

        return ForbiddenValueTypes.Contains(type) || ForbiddenBaseTypes.Any(t => t.IsAssignableFrom(type));
    }

    /// <summary>A step output with Roslyn's <c>Combine</c> tuples and <c>Collect</c> arrays unwrapped into the values they carry.</summary>
    internal static IEnumerable<(object? Value, string Path)> UnwrapStepOutput(object? output, string path)
    {
        if (output is ITuple tuple && output.GetType().IsValueType && output.GetType().FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal))
        {
            for (int i = 0; i < tuple.Length; i++)
            {
                foreach ((object? Value, string Path) inner in UnwrapStepOutput(tuple[i], $"{path}.Item{i + 1}"))
                {
                    yield return inner;
                }
            }
        }
        else if (output is not null
            && output.GetType().IsGenericType
            && output.GetType().GetGenericTypeDefinition() == typeof(ImmutableArray<>))
        {
            int i = 0;
            foreach (object? item in (IEnumerable)output)
            {
                yield return (item, $"{path}[{i++}]");
            }
        }
        else
        {
            yield return (output, path);
        }
    }

    private static void Walk(object? value, string path, int depth, List<string> violations, HashSet<object> visited)
    {
        if (value is null)
        {
            return;
        }

        Type type = value.GetType();
        if (IsForbidden(type))
        {
            violations.Add($"{path}: {type.FullName}");
            return;
        }

        if (IsLeaf(type) || depth > MaxDepth || (!type.IsValueType && !visited.Add(value)))
        {
            return;
        }

        if (value is Array array)
        {
            int i = 0;
            foreach (object? item in array)
            {
                Walk(item, $"{path}[{i++}]", depth + 1, violations, visited);
            }

            return;
        }

        for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            const BindingFlags Flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            foreach (PropertyInfo property in t.GetProperties(Flags))
            {
                // Declared types only: a property is never invoked (it may compute, throw or recurse).
                if (IsForbidden(property.PropertyType))
                {
                    violations.Add($"{path}.{property.Name}: declared as {property.PropertyType.FullName}");
                }
            }

            foreach (FieldInfo field in t.GetFields(Flags))
            {
                string name = $"{path}.{FieldDisplayName(field)}";
                if (IsForbidden(field.FieldType))
                {
                    violations.Add($"{name}: declared as {field.FieldType.FullName}");
                    continue;
                }

                Walk(field.GetValue(value), name, depth + 1, violations, visited);
            }
        }
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type.IsPointer
        || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime) || type == typeof(DateTimeOffset)
        || type == typeof(TimeSpan) || type == typeof(Guid)
        || typeof(Type).IsAssignableFrom(type) || typeof(MemberInfo).IsAssignableFrom(type) || typeof(Delegate).IsAssignableFrom(type);

    // "<Name>k__BackingField" -> "Name".
    private static string FieldDisplayName(FieldInfo field) =>
        field.Name.StartsWith('<') && field.Name.IndexOf(">k__BackingField", StringComparison.Ordinal) is > 1 and var end
            ? field.Name[1..end]
            : field.Name;
}
