using System.IO;
using Kissmetrics.Typed.Tool.Diff;

namespace Kissmetrics.Typed.Tool.Export;

/// <summary>A plan as the code computes it: its JSON (what <c>ToJson()</c> returns) and the same plan read back.</summary>
/// <param name="Json">The plan's JSON, exactly as <c>KissmetricsTrackingPlan.ToJson()</c> returns it.</param>
/// <param name="Plan">The plan, read with <see cref="PlanReader"/>.</param>
/// <param name="Project">The project it was built from, if it was.</param>
internal sealed record LoadedPlan(string Json, Plan Plan, BuiltProject? Project);

/// <summary>Gets a plan from a project (built first), a built assembly, or a <c>kissmetrics-plan.json</c>.</summary>
internal static class PlanSource
{
    public static LoadedPlan FromProject(string project, Progress progress)
    {
        BuiltProject built = ProjectBuild.Build(project, progress);
        return FromAssembly(built.AssemblyPath, progress, built);
    }

    public static LoadedPlan FromAssembly(string assembly, Progress progress, BuiltProject? project = null)
    {
        progress.Report("reading the plan of " + assembly);
        string json = AssemblyPlanLoader.Load(assembly, project?.References);
        return new LoadedPlan(json, PlanReader.Read(assembly, json), project);
    }

    public static LoadedPlan FromPlanFile(string path)
    {
        Plan plan = PlanReader.ReadFile(path);
        return new LoadedPlan(File.ReadAllText(path), plan, null);
    }
}
