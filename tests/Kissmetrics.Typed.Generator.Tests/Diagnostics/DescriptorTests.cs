using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Kissmetrics.Typed.CodeFixes;
using Kissmetrics.Typed.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

/// <summary>The descriptors against the contract's table, their help pages, release tracking and the fixes that exist.</summary>
public sealed class DescriptorTests
{
    /// <summary>The contract's table (contract.md, Diagnostics): ids and severities are fixed.</summary>
    public static TheoryData<string, DiagnosticSeverity> Contract => new()
    {
        { "KM001", DiagnosticSeverity.Error },
        { "KM002", DiagnosticSeverity.Error },
        { "KM003", DiagnosticSeverity.Error },
        { "KM004", DiagnosticSeverity.Error },
        { "KM005", DiagnosticSeverity.Error },
        { "KM006", DiagnosticSeverity.Error },
        { "KM007", DiagnosticSeverity.Error },
        { "KM008", DiagnosticSeverity.Warning },
        { "KM009", DiagnosticSeverity.Warning },
        { "KM010", DiagnosticSeverity.Warning },
        { "KM011", DiagnosticSeverity.Warning },
        { "KM012", DiagnosticSeverity.Warning },
        { "KM013", DiagnosticSeverity.Warning },
        { "KM014", DiagnosticSeverity.Error },
        { "KM021", DiagnosticSeverity.Warning },
    };

    /// <summary>The rules issue 6 added after the contract's table (KM021: validation).</summary>
    public static TheoryData<string, DiagnosticSeverity, bool> Issue6 => new()
    {
        { "KM015", DiagnosticSeverity.Warning, true },
        { "KM016", DiagnosticSeverity.Warning, true },
        { "KM017", DiagnosticSeverity.Warning, true },
        { "KM018", DiagnosticSeverity.Info, true },
        { "KM019", DiagnosticSeverity.Warning, true },
        { "KM020", DiagnosticSeverity.Info, false },
        { "KM022", DiagnosticSeverity.Warning, true },
    };

    /// <summary>The rules issue 16 added (generated code at the project's language version).</summary>
    public static TheoryData<string, DiagnosticSeverity> Issue16 => new()
    {
        { "KM023", DiagnosticSeverity.Error },
    };

    /// <summary>The rules issue 17 added (project settings, the typed client's interface); both reported once per project or class.</summary>
    public static TheoryData<string, DiagnosticSeverity> Issue17 => new()
    {
        { "KM024", DiagnosticSeverity.Warning },
        { "KM025", DiagnosticSeverity.Warning },
    };

    private static readonly DiagnosticAnalyzerInfo[] Analyzers =
        AllRulesTests.Analyzers.Select(a => new DiagnosticAnalyzerInfo(a.GetType().Name, a.SupportedDiagnostics.Select(d => d.Id).ToArray())).ToArray();

    [Theory]
    [MemberData(nameof(Contract))]
    public void Descriptor_matches_the_contract(string id, DiagnosticSeverity severity)
    {
        DiagnosticDescriptor descriptor = Assert.Single(DiagnosticDescriptors.All, d => d.Id == id);

        Assert.Equal(severity, descriptor.DefaultSeverity);
        Assert.Equal("Kissmetrics", descriptor.Category);
        Assert.True(descriptor.IsEnabledByDefault);
        Assert.Single(Analyzers, a => a.Ids.Contains(id));
    }

    [Theory]
    [MemberData(nameof(Issue6))]
    public void Drift_and_coverage_descriptors_run_at_compilation_end_and_coverage_is_off_by_default(string id, DiagnosticSeverity severity, bool enabled)
    {
        DiagnosticDescriptor descriptor = Assert.Single(DiagnosticDescriptors.All, d => d.Id == id);

        Assert.Equal(severity, descriptor.DefaultSeverity);
        Assert.Equal("Kissmetrics", descriptor.Category);
        Assert.Equal(enabled, descriptor.IsEnabledByDefault);
        Assert.Contains(WellKnownDiagnosticTags.CompilationEnd, descriptor.CustomTags);
        Assert.Single(Analyzers, a => a.Ids.Contains(id));
        Help_link_is_the_docs_page_and_the_page_exists(id, severity);
    }

    [Theory]
    [MemberData(nameof(Issue16))]
    public void Language_version_descriptor_is_an_error_of_one_analyzer_with_its_page(string id, DiagnosticSeverity severity)
    {
        Descriptor_matches_the_contract(id, severity);
        Help_link_is_the_docs_page_and_the_page_exists(id, severity);
    }

    [Theory]
    [MemberData(nameof(Issue17))]
    public void Issue_17_descriptors_are_warnings_of_one_analyzer_with_their_page(string id, DiagnosticSeverity severity)
    {
        Descriptor_matches_the_contract(id, severity);
        Help_link_is_the_docs_page_and_the_page_exists(id, severity);
    }

    [Theory]
    [MemberData(nameof(Contract))]
    public void Help_link_is_the_docs_page_and_the_page_exists(string id, DiagnosticSeverity severity)
    {
        _ = severity;
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.All.Single(d => d.Id == id);

        Assert.Equal("https://github.com/kissmetrics-typed/kissmetrics-typed/blob/main/docs/diagnostics/" + id + ".md", descriptor.HelpLinkUri);
        Assert.EndsWith("docs/diagnostics/" + id + ".md", descriptor.HelpLinkUri, StringComparison.Ordinal);

        string page = Path.Combine(RepositoryRoot(), "docs", "diagnostics", id + ".md");
        Assert.True(File.Exists(page), page + " is missing");
        string text = File.ReadAllText(page);
        Assert.StartsWith("# " + id + ":", text, StringComparison.Ordinal);
        foreach (string heading in new[] { "## When", "## Why", "## Example", "## Fix" })
        {
            Assert.Contains(heading, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_rule_is_in_the_release_tracking_file()
    {
        string[] lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "src", "Generator", "AnalyzerReleases.Unshipped.md"));
        foreach (DiagnosticDescriptor descriptor in DiagnosticDescriptors.All)
        {
            string severity = descriptor.IsEnabledByDefault ? descriptor.DefaultSeverity.ToString() : "Disabled";
            Assert.Single(lines, l => l.StartsWith(descriptor.Id + " | Kissmetrics | " + severity + " |", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_analyzers_support_every_rule_between_them_and_KM013_runs_at_compilation_end()
    {
        Assert.Equal(
            DiagnosticDescriptors.All.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal),
            Analyzers.SelectMany(a => a.Ids).OrderBy(id => id, StringComparer.Ordinal));
        Assert.Contains(WellKnownDiagnosticTags.CompilationEnd, DiagnosticDescriptors.DuplicateEventName.CustomTags);
    }

    [Fact]
    public void Fixes_exist_for_the_rules_the_issue_names_and_support_fix_all()
    {
        CodeFixProvider[] fixes = { new MakePartialCodeFix(), new AcknowledgeCodeFix(), new RenameCodeFix(), new DeclareInterfaceCodeFix() };

        Assert.Equal(
            new[] { "KM001", "KM003", "KM008", "KM009", "KM010", "KM011", "KM025" },
            fixes.SelectMany(f => f.FixableDiagnosticIds).OrderBy(id => id, StringComparer.Ordinal));
        Assert.All(fixes, f => Assert.Contains(FixAllScope.Solution, f.GetFixAllProvider()!.GetSupportedFixAllScopes())); // see FixAllTests
    }

    private static string RepositoryRoot([CallerFilePath] string path = "")
    {
        for (DirectoryInfo? directory = new FileInfo(path).Directory; directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Kissmetrics.Typed.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No Kissmetrics.Typed.sln above " + path);
    }

    private sealed record DiagnosticAnalyzerInfo(string Name, IReadOnlyList<string> Ids);
}
