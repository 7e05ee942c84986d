using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

/// <summary>
/// Tracking plans for the drift tests, made the way a team makes them: the generator runs on the source, the output
/// is compiled and loaded, and its <c>KissmetricsTrackingPlan.ToJson()</c> is called. So an up-to-date plan here is
/// byte for byte what the <c>plan</c> command writes.
/// </summary>
internal static class PlanFiles
{
    /// <summary>The name the drift check looks for, under the test project's folder.</summary>
    public const string Path = "/0/kissmetrics-plan.json";

    /// <summary>The plan the generator writes for <paramref name="source"/>, with the project's <paramref name="policy"/>.</summary>
    public static string Generate(string source, string? policy = null)
    {
        GeneratorRun run = GeneratorRunner.Run(
            source,
            policy is null ? null : GeneratorRunner.BuildProperties(("KissmetricsNamingPolicy", policy)));
        using var image = new MemoryStream();
        EmitResult result = run.OutputCompilation.Emit(image);
        Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        image.Position = 0;

        var context = new AssemblyLoadContext("plan", isCollectible: true);
        try
        {
            Assembly assembly = context.LoadFromStream(image);
            Type plan = assembly.GetType("TestProject.KissmetricsTrackingPlan", throwOnError: true)!;
            return (string)plan.GetMethod("ToJson", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!;
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>The 1-based line and column span of the first <paramref name="needle"/> in <paramref name="json"/>, for <c>WithSpan</c>.</summary>
    public static (int StartLine, int StartColumn, int EndLine, int EndColumn) Span(string json, string needle)
    {
        int start = json.IndexOf(needle, StringComparison.Ordinal);
        Assert.True(start >= 0, needle + " is not in the plan");
        return At(json, start, needle.Length);
    }

    /// <summary>The 1-based line and column span of <paramref name="length"/> characters at <paramref name="offset"/>.</summary>
    public static (int StartLine, int StartColumn, int EndLine, int EndColumn) At(string json, int offset, int length)
    {
        LinePositionSpan span = SourceText.From(json).Lines.GetLinePositionSpan(new TextSpan(offset, length));
        return (span.Start.Line + 1, span.Start.Character + 1, span.End.Line + 1, span.End.Character + 1);
    }
}
