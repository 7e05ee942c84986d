using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Kissmetrics.Typed.Internal;

namespace Kissmetrics.Typed.Tool.Export;

/// <summary>What building a project gives the plans tool: its assembly, what it was compiled against, and its plan file.</summary>
/// <param name="Project">The project file.</param>
/// <param name="AssemblyPath">The built assembly (MSBuild's <c>TargetPath</c>).</param>
/// <param name="References">The assemblies it was compiled against (<c>ReferencePath</c>).</param>
/// <param name="PlanFile">
/// The project's <c>kissmetrics-plan.json</c>: the <c>AdditionalFiles</c> item of that name, which is the one the
/// drift check compares, else the file of that name next to the project.
/// </param>
internal sealed record BuiltProject(string Project, string AssemblyPath, IReadOnlyList<string> References, string PlanFile);

/// <summary>Builds a project with <c>dotnet build</c> and asks MSBuild, in the same run, where the result is.</summary>
internal static class ProjectBuild
{
    public static BuiltProject Build(string project, Progress progress)
    {
        string fullPath = Path.GetFullPath(project);
        if (Directory.Exists(fullPath))
        {
            string[] projects = Directory.GetFiles(fullPath, "*.*proj");
            fullPath = projects.Length == 1 ? projects[0]
                : throw new PlanSourceException(project + ": " + (projects.Length == 0 ? "no project file in this folder" : "several project files in this folder; name one"));
        }
        else if (!File.Exists(fullPath))
        {
            throw new PlanSourceException(project + ": no such project");
        }

        progress.Report("building " + project + " (dotnet build)");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "build", fullPath, "-nologo", "-getProperty:TargetPath", "-getItem:AdditionalFiles", "-getItem:ReferencePath" })
        {
            start.ArgumentList.Add(argument);
        }

        string output;
        string errors;
        int exitCode;
        try
        {
            using Process process = Process.Start(start)!;
            Task<string> standardError = process.StandardError.ReadToEndAsync();
            output = process.StandardOutput.ReadToEnd();
            errors = standardError.GetAwaiter().GetResult();
            process.WaitForExit();
            exitCode = process.ExitCode;
        }
        catch (Win32Exception exception)
        {
            throw new PlanSourceException("cannot run dotnet build: " + exception.Message);
        }

        if (exitCode != 0)
        {
            // MSBuild's own messages already name each error's file(line,column).
            string log = string.Join(Environment.NewLine, (output + Environment.NewLine + errors)
                .Split('\n').Select(line => line.TrimEnd()).Where(line => line.Contains("error", StringComparison.OrdinalIgnoreCase)).Distinct());
            throw new PlanSourceException(project + ": dotnet build failed (exit code " + exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")"
                + (log.Length == 0 ? string.Empty : Environment.NewLine + log));
        }

        return Parse(project, fullPath, output);
    }

    private static BuiltProject Parse(string project, string fullPath, string output)
    {
        int start = output.IndexOf('{', StringComparison.Ordinal);
        try
        {
            using JsonDocument document = JsonDocument.Parse(start < 0 ? output : output[start..]);
            JsonElement root = document.RootElement;
            string targetPath = root.GetProperty("Properties").GetProperty("TargetPath").GetString() ?? string.Empty;
            if (targetPath.Length == 0)
            {
                throw new PlanSourceException(project + ": MSBuild names no TargetPath (a project with several TargetFrameworks?); build it and pass --assembly with one framework's output");
            }

            JsonElement items = root.GetProperty("Items");
            List<string> references = Paths(items, "ReferencePath");
            string directory = Path.GetDirectoryName(fullPath)!;
            string planFile = Paths(items, "AdditionalFiles")
                .FirstOrDefault(file => string.Equals(Path.GetFileName(file), TrackingPlanFormat.FileName, StringComparison.OrdinalIgnoreCase))
                ?? Path.Combine(directory, TrackingPlanFormat.FileName);
            return new BuiltProject(fullPath, targetPath, references, planFile);
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new PlanSourceException(project + ": cannot read what dotnet build reported: " + exception.Message);
        }
    }

    private static List<string> Paths(JsonElement items, string name) =>
        items.TryGetProperty(name, out JsonElement list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(item => item.TryGetProperty("FullPath", out JsonElement path) ? path.GetString() : null).OfType<string>().ToList()
            : [];
}
