// Compiled into both the runtime (TrackingPlanWriter writes the plan file) and the generator (the drift check reads
// it back), so a field can never be written under one name and looked for under another.
namespace Kissmetrics.Typed.Internal;

/// <summary>The layout of <c>kissmetrics-plan.json</c>: its version, the field names of the plan, its entries and their properties, and the kind words.</summary>
internal static class TrackingPlanFormat
{
    /// <summary>The version of the layout, written as <see cref="PlanVersion"/>; a reader refuses any other.</summary>
    public const int Version = 1;

    // The class the generator emits in every assembly with annotated types, and its method returning the plan: the
    // plans tool finds it by these names in a built assembly.
    public const string PlanClass = "KissmetricsTrackingPlan";
    public const string ToJsonMethod = "ToJson";

    // The checked-in plan's file name: the drift check looks for it among the AdditionalFiles.
    public const string FileName = "kissmetrics-plan.json";

    // The plan object.
    public const string Comment = "$comment";
    public const string PlanVersion = "planVersion";
    public const string Assembly = "assembly";
    public const string Entries = "entries";

    // An entry.
    public const string Kind = "kind";
    public const string Type = "type";
    public const string Name = "name";
    public const string CategorizedName = "categorizedName";
    public const string Description = "description";
    public const string Properties = "properties";
    public const string Products = "products";
    public const string Schema = "schema";

    // A property (also Name, Type, Description).
    public const string Member = "member";
    public const string PrefixedName = "prefixedName";
    public const string Format = "format";
    public const string Required = "required";
    public const string Enum = "enum";
    public const string Flattened = "flattened";
    public const string Joined = "joined";
    public const string Revenue = "revenue";
    public const string AlsoSentAs = "alsoSentAs";

    // The kind of an entry: the Kissmetrics call its type becomes.
    public const string TrackKind = "track";
    public const string IdentifyKind = "identify";
    public const string GroupKind = "group";
    public const string PageKind = "page";
    public const string ScreenKind = "screen";
}
