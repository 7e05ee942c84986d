using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using Kissmetrics.Typed.Generator.Model;
using Kissmetrics.Typed.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kissmetrics.Typed.Generator.Diagnostics;

/// <summary>
/// The names a type sends, exactly as the generator computes them: KM003 reserved (<c>_</c>), KM004 collisions,
/// KM011 <c>,</c> or <c>:</c>, KM012 too long.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class WireNameAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.ReservedName,
        DiagnosticDescriptors.Collision,
        DiagnosticDescriptors.Separator,
        DiagnosticDescriptors.TooLong);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        AnnotatedTypes.RegisterSymbolAction(context, Analyze);
    }

    private static void Analyze(SymbolAnalysisContext context, AnnotatedTypes annotated)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var sink = DiagnosticSink.For(context);
        foreach (TypeAnalysis analysis in annotated.Analyze(type))
        {
            if (analysis.Spec is null || analysis.Serializer is null)
            {
                // The shape is wrong (KM001, KM002, KM005-KM007): names are checked once it is fixed.
                continue;
            }

            ReportNameProblems(analysis, sink);
            bool eventNameTooLong = ReportTypeNames(analysis, sink, context);
            ReportMemberNames(analysis, sink, eventNameTooLong);
        }
    }

    private static void ReportNameProblems(TypeAnalysis analysis, DiagnosticSink sink)
    {
        var reserved = new HashSet<string>();
        foreach (NameProblem problem in analysis.NameProblems)
        {
            if (problem.Kind == ProblemKind.ReservedName)
            {
                // The member whose own name starts with '_' (the outermost one: a nested name is dotted under its parent).
                MemberVisit? member = null;
                foreach (string path in PathsFromRoot(problem.MemberPath))
                {
                    if (analysis.Member(path) is { } candidate && WireNames.IsReserved(analysis.OwnName(candidate)))
                    {
                        member = candidate;
                        break;
                    }
                }

                string memberPath = member?.MemberPath ?? problem.MemberPath;
                if (!reserved.Add(memberPath))
                {
                    continue;
                }

                string suggestion = WireNames.WithoutReservedPrefix(member is { } m ? analysis.OwnName(m) : problem.WireName);
                sink.Report(Diagnostic.Create(
                    DiagnosticDescriptors.ReservedName,
                    analysis.MemberLocation(memberPath),
                    Suggest(suggestion),
                    memberPath,
                    problem.WireName));
            }
            else if (problem.Kind == ProblemKind.Collision)
            {
                string other = problem.OtherMemberPath is { } otherPath && analysis.Member(otherPath) is not null
                    ? "'" + otherPath + "'"
                    : problem.OtherMemberPath ?? "another property";
                sink.Report(Diagnostic.Create(
                    DiagnosticDescriptors.Collision,
                    analysis.MemberLocation(problem.MemberPath),
                    problem.MemberPath,
                    other,
                    problem.WireName));
            }
        }
    }

    /// <summary>KM011 and KM012 on the event name, or the page's or screen's name and category. Returns whether the event name is too long.</summary>
    private static bool ReportTypeNames(TypeAnalysis analysis, DiagnosticSink sink, SymbolAnalysisContext context)
    {
        TypeSpec spec = analysis.Spec!;
        switch (spec.Kind)
        {
            case SpecKind.Event:
                return CheckTypeName(analysis, sink, context, "The event name of '" + analysis.Type.Name + "'", spec.EventName!, spec.EventName!, AttributeArgument.Name);
            case SpecKind.Page:
            case SpecKind.Screen:
                string what = spec.Kind == SpecKind.Page ? "page" : "screen";
                if (!string.IsNullOrWhiteSpace(spec.PageName))
                {
                    CheckTypeName(analysis, sink, context, "The " + what + " name of '" + analysis.Type.Name + "'", spec.PageName!, WireNames.ViewEventName(spec.Kind, spec.PageName!), AttributeArgument.Name);
                }

                if (!string.IsNullOrWhiteSpace(spec.PageCategory))
                {
                    CheckTypeName(analysis, sink, context, "The " + what + " category of '" + analysis.Type.Name + "'", spec.PageCategory!, WireNames.ViewEventName(spec.Kind, spec.PageCategory!), AttributeArgument.Category);
                }

                return false;
            default:
                return false;
        }
    }

    private static bool CheckTypeName(TypeAnalysis analysis, DiagnosticSink sink, SymbolAnalysisContext context, string what, string name, string eventName, AttributeArgument argument)
    {
        Location location = analysis.ArgumentLocation(argument, context.CancellationToken);
        if (WireNames.HasSeparator(name))
        {
            string suggestion = WireNames.WithoutSeparators(name);
            sink.Report(Diagnostic.Create(DiagnosticDescriptors.Separator, location, Suggest(suggestion), what, name, suggestion));
        }

        bool tooLong = WireNames.IsTooLong(eventName);
        if (tooLong)
        {
            sink.Report(Diagnostic.Create(
                DiagnosticDescriptors.TooLong,
                location,
                eventName == name ? what : "The event name sent for " + char.ToLowerInvariant(what[0]) + what.Substring(1),
                eventName.Length.ToString(CultureInfo.InvariantCulture),
                eventName));
        }

        return tooLong;
    }

    private static void ReportMemberNames(TypeAnalysis analysis, DiagnosticSink sink, bool eventNameTooLong)
    {
        SerializerSpec serializer = analysis.Serializer!;
        var separators = new HashSet<string>();
        var tooLong = new HashSet<Location>();
        foreach ((string path, PropertyWrite write) in AllNames(serializer))
        {
            // KM011: every member on the path contributes its own name; each is reported once, where it is declared.
            foreach (string memberPath in PathsFromRoot(path))
            {
                // A completed order's products member is never a name itself: its products are sent one request each.
                if (memberPath != serializer.Products?.ClrName && analysis.Member(memberPath) is { } member && separators.Add(memberPath))
                {
                    string own = analysis.OwnName(member);
                    if (WireNames.HasSeparator(own))
                    {
                        string suggestion = WireNames.WithoutSeparators(own);
                        sink.Report(Diagnostic.Create(
                            DiagnosticDescriptors.Separator,
                            analysis.MemberLocation(memberPath),
                            Suggest(suggestion),
                            "The name of '" + memberPath + "'",
                            own,
                            suggestion));
                    }
                }
            }

            // KM012: the longest form sent, prefix included; when the event name alone is too long, that one report says it all.
            string sent = write.PrefixedWireName ?? write.WireName;
            if (!eventNameTooLong && WireNames.IsTooLong(sent))
            {
                Location location = analysis.MemberLocation(path);
                if (tooLong.Add(location))
                {
                    sink.Report(Diagnostic.Create(
                        DiagnosticDescriptors.TooLong,
                        location,
                        "The name sent for '" + path + "'",
                        sent.Length.ToString(CultureInfo.InvariantCulture),
                        sent));
                }
            }
        }
    }

    /// <summary>Every leaf the type sends: its own properties, then a completed order's product properties.</summary>
    internal static IEnumerable<(string MemberPath, PropertyWrite Write)> AllNames(SerializerSpec serializer)
    {
        foreach ((string, PropertyWrite) leaf in SerializerResolver.Leaves(serializer.Properties))
        {
            yield return leaf;
        }

        if (serializer.Products is { } products)
        {
            foreach ((string, PropertyWrite) leaf in SerializerResolver.Leaves(products.Properties, products.ClrName))
            {
                yield return leaf;
            }
        }
    }

    /// <summary><c>A</c>, <c>A.B</c>, <c>A.B.C</c> for <c>A.B.C</c>.</summary>
    internal static IEnumerable<string> PathsFromRoot(string memberPath)
    {
        int dot = -1;
        while ((dot = memberPath.IndexOf('.', dot + 1)) >= 0)
        {
            yield return memberPath.Substring(0, dot);
        }

        yield return memberPath;
    }

    private static ImmutableDictionary<string, string?> Suggest(string name) =>
        name.Trim().Length == 0
            ? ImmutableDictionary<string, string?>.Empty
            : ImmutableDictionary<string, string?>.Empty.Add(DiagnosticDescriptors.SuggestedNameKey, name);
}
