using System.Collections.Generic;
using System.Linq;
using System.Text;
using Kissmetrics.Typed.Generator.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace Kissmetrics.Typed.Generator.Emitting;

/// <summary>
/// Writes the assembly's tracking plan: a class whose <c>WriteTo</c> lists, computed at compile time, every annotated
/// type with its Kissmetrics names and each property's wire names, JSON type and flags, as the parser resolved them
/// (<see cref="SerializerSpec.Plan"/>): this class only lays them out. The JSON layout itself is the runtime's
/// <c>TrackingPlanWriter</c>.
/// </summary>
internal sealed class PlanEmitter
{
    public const string ClassName = Kissmetrics.Typed.Internal.TrackingPlanFormat.PlanClass;
    private const string Writer = "global::Kissmetrics.Typed.Plan.TrackingPlanWriter";
    private const string Property = "global::Kissmetrics.Typed.Plan.PlanProperty";

    private readonly SourceWriter _out = new();

    public static string HintName => ClassName + ".g.cs";

    /// <summary>The namespace the plan class goes in: the assembly's name made a valid namespace.</summary>
    public static string Namespace(string assemblyName)
    {
        IEnumerable<string> segments = assemblyName.Split('.').Select(segment =>
        {
            var identifier = new StringBuilder();
            foreach (char c in segment)
            {
                identifier.Append(char.IsLetterOrDigit(c) || c == '_' ? c : '_');
            }

            string text = identifier.Length == 0 || char.IsDigit(identifier[0]) ? "_" + identifier : identifier.ToString();
            return SyntaxFacts.GetKeywordKind(text) != SyntaxKind.None ? "@" + text : text;
        });
        return string.Join(".", segments);
    }

    /// <summary>The MSBuild property that switches the plan class off (<c>false</c>), as the generator sees it.</summary>
    public const string BuildProperty = "build_property.KissmetricsGenerateTrackingPlan";

    /// <summary>Whether the plan class is generated: unless the switch says <c>false</c>.</summary>
    public static bool IsEnabled(string? value) => !string.Equals(value?.Trim(), "false", System.StringComparison.OrdinalIgnoreCase);

    /// <summary>The plan class, in the global namespace when <paramref name="globalNamespace"/>, else in <see cref="Namespace"/>.</summary>
    public static string Emit(AssemblySpec assembly, bool globalNamespace = false) => new PlanEmitter().EmitPlan(assembly, globalNamespace);

    private string EmitPlan(AssemblySpec assembly, bool globalNamespace)
    {
        _out.WriteFileHeader(assembly.Language);
        if (!globalNamespace)
        {
            _out.OpenBlock("namespace " + Namespace(assembly.AssemblyName));
        }

        _out.WriteLine("/// <summary>");
        _out.WriteLine("/// The tracking plan of this assembly, computed at compile time: every Kissmetrics event, page, screen and traits");
        _out.WriteLine("/// type with the names Kissmetrics receives. Write it to <c>kissmetrics-plan.json</c> and check it in: the drift check");
        _out.WriteLine("/// then shows every change to what reaches Kissmetrics in code review.");
        _out.WriteLine("/// </summary>");
        _out.WriteLine(GeneratedCodeStamp.Attribute);
        _out.OpenBlock("internal static class " + ClassName);
        _out.WriteLine("/// <summary>The plan as indented JSON.</summary>");
        _out.WriteLine("public static string " + Kissmetrics.Typed.Internal.TrackingPlanFormat.ToJsonMethod + "() => " + Writer + ".ToJson(WriteTo);");
        _out.WriteLine();
        _out.WriteLine("/// <summary>Writes the plan with <paramref name=\"writer\"/>.</summary>");
        _out.WriteLine("/// <param name=\"writer\">Where the JSON goes.</param>");
        _out.OpenBlock("public static void WriteTo(global::System.Text.Json.Utf8JsonWriter writer)");
        _out.WriteLine(Writer + ".WriteStart(writer, " + Literal(assembly.AssemblyName) + ");");
        foreach (SerializerSpec spec in Ordered(assembly.Serializers))
        {
            EmitEntry(spec);
        }

        _out.WriteLine(Writer + ".WriteEnd(writer);");
        _out.CloseBlock();
        _out.CloseBlock();
        if (!globalNamespace)
        {
            _out.CloseBlock();
        }

        return _out.ToString();
    }

    /// <summary>Entries in a stable order: by kind, then by name, then by type.</summary>
    public static IEnumerable<SerializerSpec> Ordered(IEnumerable<SerializerSpec> serializers) => serializers
        .OrderBy(s => s.Type.Kind)
        .ThenBy(s => s.Plan.Name ?? string.Empty, System.StringComparer.Ordinal)
        .ThenBy(s => s.Type.Shape.FullTypeName, System.StringComparer.Ordinal);

    private void EmitEntry(SerializerSpec spec)
    {
        PlanEntrySpec entry = spec.Plan;
        _out.WriteLine(Writer + ".WriteEntry(");
        _out.WriteLine("    writer,");
        _out.WriteLine("    new global::Kissmetrics.Typed.Plan.PlanEntry(" + Literal(entry.Kind) + ", " + Literal(entry.TypeName) + ", " +
            Literal(entry.Name) + ", " + Literal(entry.CategorizedName) + ", " + Literal(entry.Description) + "),");
        WriteArray(entry.Properties.Select(Construct).ToList(), last: entry.Products is null);
        if (entry.Products is { } products)
        {
            WriteArray(products.Select(Construct).ToList(), last: true);
        }
    }

    private static string Construct(PlanRowSpec row)
    {
        string enumValues = row.EnumValues is not { } values ? "null" : "new[] { " + string.Join(", ", values.Select(Literal)) + " }";
        return "new " + Property + "(" + Literal(row.Member) + ", " + Literal(row.Name) + ", " + Literal(row.PrefixedName) + ", " + Literal(row.JsonType) + ", " +
            Literal(row.Format) + ", " + Bool(row.Required) + ", " + enumValues + ", " + Literal(row.Description) + ", " + Bool(row.Flattened) + ", " +
            Bool(row.Joined) + ", " + Bool(row.Revenue) + ")";
    }

    private void WriteArray(List<string> items, bool last)
    {
        if (items.Count == 0)
        {
            _out.WriteLine("    global::System.Array.Empty<" + Property + ">()" + (last ? ");" : ","));
            return;
        }

        _out.WriteLine("    new " + Property + "[]");
        _out.WriteLine("    {");
        foreach (string item in items)
        {
            _out.WriteLine("        " + item + ",");
        }

        _out.WriteLine("    }" + (last ? ");" : ","));
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Literal(string? value) => value is null ? "null" : SymbolDisplay.FormatLiteral(value, quote: true);
}
