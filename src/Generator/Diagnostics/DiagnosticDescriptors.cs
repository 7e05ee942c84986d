using Microsoft.CodeAnalysis;

namespace Kissmetrics.Typed.Generator.Diagnostics;

/// <summary>
/// KM001-KM013, exactly as the contract's table, then KM014-KM022 (issue 6), KM023 (issue 16) and KM024-KM025 (issue 17): ids are never reused; each has the page
/// <c>docs/diagnostics/KMnnn.md</c> as its help link.
/// </summary>
public static class DiagnosticDescriptors
{
    /// <summary>The category of every rule.</summary>
    public const string Category = "Kissmetrics";

    /// <summary>The key of <see cref="Diagnostic.Properties"/> holding the name a rename fix proposes (KM003, KM011).</summary>
    public const string SuggestedNameKey = "KissmetricsSuggestedName";

    private const string HelpLinkBase = "https://github.com/kissmetrics-typed/kissmetrics-typed/blob/main/docs/diagnostics/";

    /// <summary>KM001: an annotated type (or a type containing one) is not <c>partial</c>.</summary>
    public static readonly DiagnosticDescriptor NotPartial = new(
        id: "KM001",
        title: "Kissmetrics type must be partial",
        messageFormat: "'{0}' must be declared partial: the serializer of '{1}' is generated into it",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generator adds the serializer to the annotated type, and to every type that contains it, as another part of the same type.",
        helpLinkUri: HelpLinkBase + "KM001.md");

    /// <summary>KM002: a property's type cannot be sent.</summary>
    public static readonly DiagnosticDescriptor UnsupportedType = new(
        id: "KM002",
        title: "Property type cannot be sent to Kissmetrics",
        messageFormat: "'{0}' of type '{1}' cannot be sent to Kissmetrics: send a string, number, bool, date, enum, Guid, nested record or a collection of scalars, or mark it [KissmetricsIgnore]",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Kissmetrics properties are flat text values. Objects, dynamic values, dictionaries, delegates, streams and similar types have no defined text form.",
        helpLinkUri: HelpLinkBase + "KM002.md");

    /// <summary>KM003: a wire name starts with <c>_</c>.</summary>
    public static readonly DiagnosticDescriptor ReservedName = new(
        id: "KM003",
        title: "Wire name starts with '_'",
        messageFormat: "'{0}' is sent as '{1}', but names starting with '_' are reserved for Kissmetrics control parameters (_k, _p, _n, _t, _d)",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Kissmetrics reads parameters starting with an underscore as control parameters (API key, person, event name, time), so a property with such a name is lost or corrupts the request.",
        helpLinkUri: HelpLinkBase + "KM003.md");

    /// <summary>KM004: two properties end up with the same wire name, ignoring case.</summary>
    public static readonly DiagnosticDescriptor Collision = new(
        id: "KM004",
        title: "Two properties have the same wire name",
        messageFormat: "'{0}' and {1} are both sent as '{2}' (Kissmetrics names ignore case)",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Kissmetrics property names are case-insensitive: two properties with the same name after naming, prefixing and flattening overwrite each other.",
        helpLinkUri: HelpLinkBase + "KM004.md");

    /// <summary>KM005: a nested type contains itself.</summary>
    public static readonly DiagnosticDescriptor RecursiveType = new(
        id: "KM005",
        title: "Nested type contains itself",
        messageFormat: "'{0}' of type '{1}' contains itself and cannot be flattened into dotted names",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Nested objects are flattened into dotted names at compile time; a type that contains itself would give infinitely many names.",
        helpLinkUri: HelpLinkBase + "KM005.md");

    /// <summary>KM006: a collection of objects, except the products of a completed order.</summary>
    public static readonly DiagnosticDescriptor CollectionOfObjects = new(
        id: "KM006",
        title: "Collection of objects cannot be sent",
        messageFormat: "'{0}' is a collection of '{1}' objects, which Kissmetrics cannot receive; only the products of a completed order are sent, one request each",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A Kissmetrics property holds one text value. Only the products of a completed order are expanded (one request per product), as Segment does.",
        helpLinkUri: HelpLinkBase + "KM006.md");

    /// <summary>KM007: an event, page or screen name is empty, or a page or screen has neither name nor category.</summary>
    public static readonly DiagnosticDescriptor EmptyName = new(
        id: "KM007",
        title: "Event, page or screen name is missing",
        messageFormat: "'{0}' {1}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Kissmetrics needs an event name; a page or screen is sent as 'Viewed <name or category> Page', so it needs a name or a category.",
        helpLinkUri: HelpLinkBase + "KM007.md");

    /// <summary>KM008: a nested object is flattened into dotted names.</summary>
    public static readonly DiagnosticDescriptor Flattened = new(
        id: "KM008",
        title: "Nested object is flattened into dotted names",
        messageFormat: "'{0}' is flattened into {1}; mark it [KissmetricsFlatten] if that is intended",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Kissmetrics has no nested properties: a nested object becomes one property per leaf, named Parent.Child. [KissmetricsFlatten] says that this is intended.",
        helpLinkUri: HelpLinkBase + "KM008.md");

    /// <summary>KM009: a collection is sent as one comma-joined string.</summary>
    public static readonly DiagnosticDescriptor Joined = new(
        id: "KM009",
        title: "Collection is sent as one comma-joined string",
        messageFormat: "'{0}' is sent as the one text '{1}' with its elements joined by ','; mark it [KissmetricsJoin] if that is intended",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Kissmetrics has no list values: a collection is sent as its elements joined with ',' (without escaping), as Segment does. [KissmetricsJoin] says that this is intended.",
        helpLinkUri: HelpLinkBase + "KM009.md");

    /// <summary>KM010: a property named <c>revenue</c> is also sent as <c>Billing Amount</c>.</summary>
    public static readonly DiagnosticDescriptor ImplicitRevenue = new(
        id: "KM010",
        title: "Property named revenue is also sent as Billing Amount",
        messageFormat: "'{0}' is sent as '{1}' and also as 'Billing Amount'; mark it [KissmetricsRevenue] if that is intended",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Like Segment, a track property named revenue is copied to the Kissmetrics property Billing Amount, which feeds revenue reports. [KissmetricsRevenue] says that this is intended.",
        helpLinkUri: HelpLinkBase + "KM010.md");

    /// <summary>KM011: a name contains <c>,</c> or <c>:</c>.</summary>
    public static readonly DiagnosticDescriptor Separator = new(
        id: "KM011",
        title: "Name contains ',' or ':'",
        messageFormat: "{0} contains ',' or ':', which Kissmetrics turns into spaces: '{1}' is stored as '{2}'",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Kissmetrics replaces ',' and ':' in event and property names with spaces, so the name shown in Kissmetrics differs from the one in code.",
        helpLinkUri: HelpLinkBase + "KM011.md");

    /// <summary>KM012: a wire name, prefix included, is 255 characters or longer.</summary>
    public static readonly DiagnosticDescriptor TooLong = new(
        id: "KM012",
        title: "Name is too long for Kissmetrics",
        messageFormat: "{0} is {1} characters long, prefix included, and Kissmetrics only accepts names shorter than 255 characters: '{2}'",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Kissmetrics accepts event and property names under 255 characters. A track property's name includes the event prefix '<event> - ' when PrefixProperties is on.",
        helpLinkUri: HelpLinkBase + "KM012.md");

    /// <summary>KM013: two event types in one compilation have the same event name, ignoring case.</summary>
    public static readonly DiagnosticDescriptor DuplicateEventName = new(
        id: "KM013",
        title: "Two event types have the same event name",
        messageFormat: "'{0}' is sent as the event '{1}', as '{2}' is (Kissmetrics event names ignore case)",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Kissmetrics event names are case-insensitive: two types sending the same event mix their properties in one event.",
        helpLinkUri: HelpLinkBase + "KM013.md",
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>KM014: an annotated type, or a type containing it, is generic.</summary>
    public static readonly DiagnosticDescriptor GenericType = new(
        id: "KM014",
        title: "Kissmetrics type cannot be generic",
        messageFormat: "'{0}' cannot be a Kissmetrics type because {1} generic: names and serializers are generated for one closed type",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generator computes every name and writes the serializer at compile time, into the declared type; a generic type (or a type nested in one) has no single shape to generate for, so nothing would be generated.",
        helpLinkUri: HelpLinkBase + "KM014.md");

    /// <summary>KM015: an entry of the checked-in plan was removed from the code, or its Kissmetrics name changed.</summary>
    public static readonly DiagnosticDescriptor PlanEntryChanged = new(
        id: "KM015",
        title: "Tracking plan entry removed or renamed",
        messageFormat: "The {0} '{1}' {2}; refresh kissmetrics-plan.json if that is intended",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The checked-in tracking plan (kissmetrics-plan.json, an AdditionalFiles item) lists what reaches Kissmetrics. An event, page, screen or traits type that is gone, or whose Kissmetrics name changed, breaks the reports built on the old name.",
        helpLinkUri: HelpLinkBase + "KM015.md",
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>KM016: a property of the checked-in plan was removed from the code, or its wire name changed.</summary>
    public static readonly DiagnosticDescriptor PlanPropertyChanged = new(
        id: "KM016",
        title: "Tracking plan property removed or renamed",
        messageFormat: "'{0}' of '{1}' {2}; refresh kissmetrics-plan.json if that is intended",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The checked-in tracking plan lists every property each event sends, by its C# member. A property that is gone, or that is now sent under another name, leaves the old Kissmetrics property without new values.",
        helpLinkUri: HelpLinkBase + "KM016.md",
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>KM017: a property's JSON type differs from the checked-in plan.</summary>
    public static readonly DiagnosticDescriptor PlanPropertyTypeChanged = new(
        id: "KM017",
        title: "Tracking plan property type changed",
        messageFormat: "'{0}' of '{1}' was sent as {2} and is now sent as {3}; refresh kissmetrics-plan.json if that is intended",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Kissmetrics keeps one type per property: a property that was a number and is now text (or the reverse) mixes two kinds of values in one column of every report.",
        helpLinkUri: HelpLinkBase + "KM017.md",
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>KM018: an entry or a property is in the code but not yet in the checked-in plan.</summary>
    public static readonly DiagnosticDescriptor PlanAddition = new(
        id: "KM018",
        title: "Not in the tracking plan yet",
        messageFormat: "{0} is not in kissmetrics-plan.json yet; refresh the plan to add it",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "Something new reaches Kissmetrics: refreshing the checked-in plan shows it in code review.",
        helpLinkUri: HelpLinkBase + "KM018.md",
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>KM019: the checked-in plan file cannot be read.</summary>
    public static readonly DiagnosticDescriptor PlanUnreadable = new(
        id: "KM019",
        title: "The tracking plan file cannot be read",
        messageFormat: "kissmetrics-plan.json cannot be read, so the code is not compared with it: {0}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The drift check compares the code with the checked-in tracking plan; a file that is not valid JSON, or not a plan this version writes, is not compared at all.",
        helpLinkUri: HelpLinkBase + "KM019.md",
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>KM020 (off by default): an event type is declared but never tracked in the compilation.</summary>
    public static readonly DiagnosticDescriptor NeverTracked = new(
        id: "KM020",
        title: "Event type is never tracked",
        messageFormat: "The event '{0}' ('{1}') is declared but never tracked in this project: no code creates it or calls a method taking it",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Info,
        isEnabledByDefault: false,
        description: "Coverage of the tracking plan: an event type that no code creates, passes or tracks through the typed client is in the plan but never sent. Off by default; turn it on with dotnet_diagnostic.KM020.severity = suggestion.",
        helpLinkUri: HelpLinkBase + "KM020.md",
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>KM021: a DataAnnotations validation attribute the generated <c>Validate</c> does not check.</summary>
    public static readonly DiagnosticDescriptor UnsupportedValidationAttribute = new(
        id: "KM021",
        title: "Validation attribute is not checked",
        messageFormat: "'{0}' has [{1}], which the generated validation does not check: {2}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Kissmetrics.Typed compiles Required, Range, StringLength, MinLength, MaxLength, Length, RegularExpression, AllowedValues and DeniedValues into straight-line checks. Any other ValidationAttribute, or one of these on a type it cannot check, would be silently ignored when KissmetricsOptions.Validation is on.",
        helpLinkUri: HelpLinkBase + "KM021.md");

    /// <summary>KM022: the values a property is sent with (an enum's), or whether it is also sent as revenue, differ from the checked-in plan.</summary>
    public static readonly DiagnosticDescriptor PlanPropertyValuesChanged = new(
        id: "KM022",
        title: "Tracking plan property values changed",
        messageFormat: "'{0}' of '{1}' {2}; refresh kissmetrics-plan.json if that is intended",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "An enum member renamed or removed changes the text Kissmetrics receives: reports then count the old and the new value as two values. A property that stops (or starts) being revenue stops (or starts) adding to Billing Amount.",
        helpLinkUri: HelpLinkBase + "KM022.md",
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>KM023 (issue 16): an annotated type's declaration needs a newer C# than the project compiles, so nothing is generated for it.</summary>
    public static readonly DiagnosticDescriptor LanguageVersionTooLow = new(
        id: "KM023",
        title: "Kissmetrics type needs a newer C# version",
        messageFormat: "'{0}' {1}, which needs C# {2}; this project compiles C# {3}. {4}, or set LangVersion to {2} or later.",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Generated code compiles at the project's language version, down to C# 7.3, but it repeats the type's declaration: a record (C# 9), record struct (C# 10), init accessor (C# 9) or required member (C# 11) below its version would only add errors in generated files. The generator emits nothing for the type; declare it with the features the project's version has.",
        helpLinkUri: HelpLinkBase + "KM023.md");

    /// <summary>KM024 (issue 17): the project's <c>KissmetricsNamingPolicy</c> is not a naming policy, so names are sent as declared.</summary>
    public static readonly DiagnosticDescriptor UnknownNamingPolicy = new(
        id: "KM024",
        title: "Unknown KissmetricsNamingPolicy",
        messageFormat: "The KissmetricsNamingPolicy '{0}' is not a naming policy, so member names are sent as declared; use one of {1}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The MSBuild property KissmetricsNamingPolicy renames every member without [KissmetricsProperty]. A value the generator does not know would silently send the names as declared, which changes every property name Kissmetrics receives.",
        helpLinkUri: HelpLinkBase + "KM024.md",
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>
    /// KM025 (issue 17): in a project where ASP.NET Core's request delegate generator runs, a typed client's interface is
    /// declared only by this generator, so the request delegate generator's code cannot name it.
    /// </summary>
    public static readonly DiagnosticDescriptor UndeclaredClientInterface = new(
        id: "KM025",
        title: "Declare the typed client's interface for the request delegate generator",
        messageFormat: "'{0}' is generated, so ASP.NET Core's request delegate generator cannot see it and a minimal API handler taking it fails to compile; declare '{1}' next to '{2}'",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Source generators do not see each other's output. Under PublishAot (EnableRequestDelegateGenerator) the request delegate generator writes code for every minimal API handler, and a handler parameter of a type only Kissmetrics.Typed's generator declares gives CS0246 there. Declaring the partial interface in your code makes it visible to both; the generator fills it.",
        helpLinkUri: HelpLinkBase + "KM025.md");

    /// <summary>Every descriptor, in id order.</summary>
    public static DiagnosticDescriptor[] All => new[]
    {
        NotPartial, UnsupportedType, ReservedName, Collision, RecursiveType, CollectionOfObjects, EmptyName,
        Flattened, Joined, ImplicitRevenue, Separator, TooLong, DuplicateEventName,
        GenericType, PlanEntryChanged, PlanPropertyChanged, PlanPropertyTypeChanged, PlanAddition, PlanUnreadable,
        NeverTracked, UnsupportedValidationAttribute, PlanPropertyValuesChanged, LanguageVersionTooLow,
        UnknownNamingPolicy, UndeclaredClientInterface,
    };

    /// <summary>The documentation page of <paramref name="id"/>.</summary>
    public static string HelpLink(string id) => HelpLinkBase + id + ".md";
}
