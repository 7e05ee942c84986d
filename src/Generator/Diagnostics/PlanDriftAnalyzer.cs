using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Kissmetrics.Typed.Generator.Diagnostics.Drift;
using Kissmetrics.Typed.Generator.Model;
using Kissmetrics.Typed.Generator.Parsing;
using Kissmetrics.Typed.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Kissmetrics.Typed.Generator.Diagnostics;

/// <summary>
/// The drift check (KM015-KM019): when the project has its checked-in plan (<c>kissmetrics-plan.json</c>) as an
/// <c>AdditionalFiles</c> item, the plan the code would generate now is compared with it. The current plan is
/// computed by the generator's own parser and resolver and <see cref="SerializerSpec.Plan"/> (<see cref="PlanRows"/>), the one definition of
/// the plan's rows, so the check and the generated plan cannot disagree. Entries are matched by kind and C# type,
/// properties by C# member path: a Kissmetrics rename is a change of a known entry, not a removal and an addition.
/// Changes and additions are reported on the code; removals (nothing left in code) on the entry in the plan file.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PlanDriftAnalyzer : DiagnosticAnalyzer
{
    // TypeShape.FullTypeName's format (TypeSpecParser), for the types the parser rejects and so gives no name for.
    private static readonly SymbolDisplayFormat s_typeName = SymbolDisplayFormat.FullyQualifiedFormat
        .WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted)
        .WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.PlanEntryChanged,
        DiagnosticDescriptors.PlanPropertyChanged,
        DiagnosticDescriptors.PlanPropertyTypeChanged,
        DiagnosticDescriptors.PlanPropertyValuesChanged,
        DiagnosticDescriptors.PlanAddition,
        DiagnosticDescriptors.PlanUnreadable);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            AdditionalText? file = start.Options.AdditionalFiles
                .Where(f => string.Equals(Path.GetFileName(f.Path), PlanFile.FileName, StringComparison.OrdinalIgnoreCase))
                .OrderBy(f => f.Path, StringComparer.Ordinal)
                .FirstOrDefault();
            if (file is null || AnnotatedTypes.For(start.Compilation, start.Options) is not { } annotated)
            {
                return;
            }

            SourceText? text = file.GetText(start.CancellationToken);
            PlanFile? plan = null;
            Diagnostic? unreadable = null;
            if (text is null)
            {
                unreadable = Diagnostic.Create(DiagnosticDescriptors.PlanUnreadable, Location.Create(file.Path, default, default), "the file cannot be opened");
            }
            else
            {
                try
                {
                    plan = PlanFile.Read(text.ToString());
                }
                catch (JsonReadException exception)
                {
                    int length = exception.Position < text.Length ? 1 : 0;
                    unreadable = Diagnostic.Create(DiagnosticDescriptors.PlanUnreadable, FileLocation(file.Path, text, exception.Position, length), exception.Message);
                }
            }

            if (plan is null)
            {
                start.RegisterCompilationEndAction(end => end.ReportDiagnostic(unreadable!));
                return;
            }

            var entries = new ConcurrentBag<CodeEntry>();
            var rejected = new ConcurrentDictionary<(string Kind, string Type), bool>();
            start.RegisterSymbolAction(symbol => Collect(symbol, annotated, entries, rejected), SymbolKind.NamedType);
            start.RegisterCompilationEndAction(end => Compare(end, plan, file.Path, text!, entries, rejected));
        });
    }

    private static void Collect(SymbolAnalysisContext context, AnnotatedTypes annotated, ConcurrentBag<CodeEntry> entries, ConcurrentDictionary<(string, string), bool> rejected)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        foreach (TypeAnalysis analysis in annotated.Analyze(type))
        {
            if (analysis.Serializer is not { } serializer || analysis.ParseProblems.Count > 0 || analysis.NameProblems.Count > 0)
            {
                // The generator writes no plan entry for it and another rule reports why: not a removal.
                rejected[(PlanRows.Kind(analysis.Kind), type.ToDisplayString(s_typeName))] = true;
                continue;
            }

            entries.Add(new CodeEntry(serializer.Plan, analysis, serializer.Products?.ClrName, context.CancellationToken));
        }
    }

    private static void Compare(
        CompilationAnalysisContext context,
        PlanFile plan,
        string path,
        SourceText text,
        ConcurrentBag<CodeEntry> entries,
        ConcurrentDictionary<(string Kind, string Type), bool> rejected)
    {
        var code = new Dictionary<(string Kind, string Type), CodeEntry>();
        foreach (CodeEntry entry in entries.OrderBy(e => e.Facts.TypeName, StringComparer.Ordinal).ThenBy(e => e.Facts.Kind, StringComparer.Ordinal))
        {
            code[(entry.Facts.Kind, entry.Facts.TypeName)] = entry;
        }

        var planned = new HashSet<(string, string)>();
        foreach (PlanFileEntry old in plan.Entries)
        {
            planned.Add((old.Kind, old.Type));
            if (!code.TryGetValue((old.Kind, old.Type), out CodeEntry? now))
            {
                if (!rejected.ContainsKey((old.Kind, old.Type)))
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.PlanEntryChanged,
                        FileLocation(path, text, old.TypeValue),
                        KindWord(old.Kind),
                        old.Type,
                        "is in the plan" + ((old.Name ?? old.CategorizedName) is { } name ? " as '" + name + "'" : string.Empty) + " but no longer in the code"));
                }

                continue;
            }

            bool renamed = false;
            if (old.Name != now.Facts.Name)
            {
                renamed = true;
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.PlanEntryChanged, now.NameLocation, KindWord(old.Kind), old.Type, Renamed(old.Name, now.Facts.Name, string.Empty)));
            }

            if (old.CategorizedName != now.Facts.CategorizedName)
            {
                renamed = true;
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.PlanEntryChanged, now.CategoryLocation, KindWord(old.Kind), old.Type, Renamed(old.CategorizedName, now.Facts.CategorizedName, " under its category")));
            }

            CompareProperties(context, path, text, old.Type, old.Properties, now.Facts.Properties, now, products: false, renamed);
            if (old.Products is not null || now.Facts.Products is not null)
            {
                CompareProperties(context, path, text, old.Type, old.Products ?? Array.Empty<PlanFileProperty>(), now.Facts.Products ?? EquatableArray<PlanRowSpec>.Empty, now, products: true, renamed);
            }
        }

        foreach (KeyValuePair<(string Kind, string Type), CodeEntry> added in code.Where(c => !planned.Contains(c.Key)))
        {
            PlanEntrySpec facts = added.Value.Facts;
            string? name = facts.Name ?? facts.CategorizedName;
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.PlanAddition,
                added.Value.TypeLocation,
                "The " + KindWord(facts.Kind) + " '" + facts.TypeName + "'" + (name is null ? string.Empty : " (sent as '" + name + "')")));
        }
    }

    private static void CompareProperties(
        CompilationAnalysisContext context,
        string path,
        SourceText text,
        string typeName,
        IReadOnlyList<PlanFileProperty> planned,
        IReadOnlyList<PlanRowSpec> rows,
        CodeEntry entry,
        bool products,
        bool entryRenamed)
    {
        // Constant rows ("(Page - name)") follow from the entry's names, which KM015 compares.
        var now = new Dictionary<string, PlanRowSpec>(StringComparer.Ordinal);
        foreach (PlanRowSpec row in rows.Where(r => !PlanRowSpec.IsConstantMember(r.Member)))
        {
            now[row.Member] = row;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (PlanFileProperty old in planned.Where(p => !PlanRowSpec.IsConstantMember(p.Member)))
        {
            seen.Add(old.Member);
            string member = Display(old.Member, products, entry);
            if (!now.TryGetValue(old.Member, out PlanRowSpec? row))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.PlanPropertyChanged,
                    FileLocation(path, text, old.MemberValue),
                    member,
                    typeName,
                    "is in the plan as '" + old.Name + "' but no longer in the code"));
                continue;
            }

            Location location = entry.MemberLocation(row.Member, products);
            if (old.Name != row.Name)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.PlanPropertyChanged, location, member, typeName, Renamed(old.Name, row.Name, string.Empty)));
            }
            else if (!entryRenamed && old.PrefixedName != row.PrefixedName)
            {
                // The prefix is the event name: when that changed, KM015 said so once for every property.
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.PlanPropertyChanged, location, member, typeName, Renamed(old.PrefixedName, row.PrefixedName, " with the event prefix")));
            }

            if (old.JsonType != row.JsonType || old.Format != row.Format)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.PlanPropertyTypeChanged,
                    location,
                    member,
                    typeName,
                    JsonTypeText(old.JsonType, old.Format),
                    JsonTypeText(row.JsonType, row.Format)));
            }

            if (ValuesChanged(old.EnumValues, row.EnumValues) is { } values)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.PlanPropertyValuesChanged, location, member, typeName, values));
            }

            if (old.Revenue != row.Revenue)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.PlanPropertyValuesChanged,
                    location,
                    member,
                    typeName,
                    (row.Revenue ? "is now also sent as revenue (" : "is no longer sent as revenue (") + KissmetricsWireNames.BillingAmount + ")"));
            }
        }

        foreach (PlanRowSpec row in now.Values.Where(r => !seen.Contains(r.Member)))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.PlanAddition,
                entry.MemberLocation(row.Member, products),
                "'" + Display(row.Member, products, entry) + "' of '" + typeName + "' (sent as '" + row.Name + "')"));
        }
    }

    /// <summary>How an enum's values changed (<see langword="null"/> when they did not), in the words of KM022.</summary>
    private static string? ValuesChanged(IReadOnlyList<string>? old, IReadOnlyList<string>? now)
    {
        if (old is null && now is null)
        {
            return null;
        }

        if (old is null)
        {
            return "was sent with any value and now takes only " + Quoted(now!);
        }

        if (now is null)
        {
            return "took only " + Quoted(old) + " and is now sent with any value";
        }

        var removed = old.Where(v => !now.Contains(v, StringComparer.Ordinal)).ToList();
        var added = now.Where(v => !old.Contains(v, StringComparer.Ordinal)).ToList();
        return (removed.Count, added.Count) switch
        {
            (0, 0) => null,
            (_, 0) => "is no longer sent as " + Quoted(removed),
            (0, _) => "is now also sent as " + Quoted(added),
            _ => "is no longer sent as " + Quoted(removed) + " but as " + Quoted(added),
        };
    }

    private static string Quoted(IEnumerable<string> values) => string.Join(", ", values.Select(v => "'" + v + "'"));

    /// <summary>A product property is named with the products member in messages (<c>Products.Sku</c>), as in KM004.</summary>
    private static string Display(string member, bool products, CodeEntry entry) =>
        products && entry.ProductsMember is { } parent ? parent + "." + member : member;

    private static string Renamed(string? old, string? now, string how) => (old, now) switch
    {
        (null, _) => "is now also sent" + how + " as '" + now + "'",
        (_, null) => "was sent" + how + " as '" + old + "' and no longer is",
        _ => "was sent" + how + " as '" + old + "' and is now sent as '" + now + "'",
    };

    private static string JsonTypeText(string type, string? format) => format is null ? type : type + " (" + format + ")";

    private static string KindWord(string kind) => kind switch
    {
        TrackingPlanFormat.TrackKind => "event",
        TrackingPlanFormat.IdentifyKind => "traits",
        TrackingPlanFormat.GroupKind => "group traits",
        _ => kind,
    };

    private static Location FileLocation(string path, SourceText text, JsonValue value) => FileLocation(path, text, value.Start, value.Length);

    private static Location FileLocation(string path, SourceText text, int start, int length)
    {
        var span = new TextSpan(start, length);
        return Location.Create(path, span, text.Lines.GetLinePositionSpan(span));
    }

    /// <summary>One annotated type's current plan entry, with where in code each of its facts comes from.</summary>
    private sealed class CodeEntry
    {
        private readonly TypeAnalysis _analysis;

        public CodeEntry(PlanEntrySpec facts, TypeAnalysis analysis, string? productsMember, CancellationToken cancellationToken)
        {
            Facts = facts;
            _analysis = analysis;
            ProductsMember = productsMember;
            TypeLocation = TypeAnalysis.TypeLocation(analysis.Type);
            NameLocation = analysis.ArgumentLocation(AttributeArgument.Name, cancellationToken);
            CategoryLocation = analysis.ArgumentLocation(AttributeArgument.Category, cancellationToken);
        }

        public PlanEntrySpec Facts { get; }

        public string? ProductsMember { get; }

        public Location TypeLocation { get; }

        /// <summary>The name argument of the attribute (the whole attribute when it has none).</summary>
        public Location NameLocation { get; }

        public Location CategoryLocation { get; }

        /// <summary>The property or parameter a row comes from; a product row's path starts at the products member.</summary>
        public Location MemberLocation(string member, bool products) =>
            _analysis.MemberLocation(products && ProductsMember is { } parent ? parent + "." + member : member);
    }
}
