using System.CommandLine;
using System.IO;
using Kissmetrics.Typed.Tool.Diff;

namespace Kissmetrics.Typed.Tool.Export;

/// <summary>
/// <c>export</c>: the plan of a project (built first) or of a built assembly, written out. Only the <c>kissmetrics</c>
/// format (this project's <c>kissmetrics-plan.json</c>) is implemented so far.
/// </summary>
internal static class ExportCommand
{
    public static Command Create(TextWriter error)
    {
        Option<string?> project = new("--project") { Description = "A project to build and read the plan of." };
        Option<string?> assembly = new("--assembly") { Description = "A built assembly to read the plan of." };
        Option<string> format = new("--format") { Description = "kissmetrics: this project's kissmetrics-plan.json.", Required = true };
        format.AcceptOnlyFromAmong("kissmetrics");
        Option<string> output = new("--output") { Description = "The file to write.", Required = true };

        Command export = new("export", "Writes the tracking plan of a project or a built assembly.") { project, assembly, format, output };
        export.SetAction(parsed =>
        {
            string? projectPath = parsed.GetValue(project);
            string? assemblyPath = parsed.GetValue(assembly);
            if ((projectPath is null) == (assemblyPath is null))
            {
                error.WriteLine("error: pass exactly one of --project and --assembly");
                return PlansTool.BadInput;
            }

            var progress = new Progress(error);
            try
            {
                LoadedPlan plan = projectPath is not null ? PlanSource.FromProject(projectPath, progress) : PlanSource.FromAssembly(assemblyPath!, progress);
                string path = parsed.GetValue(output)!;
                File.WriteAllText(path, plan.Json + "\n");
                progress.Report("wrote " + path);
                return PlansTool.Success;
            }
            catch (System.Exception exception) when (exception is PlanSourceException or PlanReadException or IOException)
            {
                error.WriteLine("error: " + exception.Message);
                return PlansTool.BadInput;
            }
        });
        return export;
    }
}
