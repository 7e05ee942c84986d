using System;
using System.CommandLine;
using System.IO;
using Kissmetrics.Typed.Tool.Diff;

namespace Kissmetrics.Typed.Tool;

/// <summary>The <c>kissmetrics-typed</c> command line: its commands, and the exit codes they return.</summary>
internal static class PlansTool
{
    /// <summary>Success; for <c>diff</c>: no breaking change.</summary>
    public const int Success = 0;

    /// <summary><c>diff</c> found at least one breaking change.</summary>
    public const int Breaking = 1;

    /// <summary>Bad input: unknown arguments, a missing or unreadable file, invalid JSON, not a plan of a known version.</summary>
    public const int BadInput = 2;

    /// <summary>Runs the command <paramref name="args"/> names, writing its report to <paramref name="output"/> and errors to <paramref name="error"/>.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        RootCommand root = new("Kissmetrics.Typed plans tool: tracking plans in and out of the typed events.")
        {
            DiffCommand(output, error),
            Export.ExportCommand.Create(error),
        };

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                error.WriteLine("error: " + parseError.Message);
            }

            error.WriteLine("Run 'kissmetrics-typed --help' for the commands and their options.");
            return BadInput;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
    }

    private static Command DiffCommand(TextWriter output, TextWriter error)
    {
        Argument<string> oldPlan = new("old") { Description = "The older kissmetrics-plan.json (e.g. the one on main)." };
        Argument<string> newPlan = new("new") { Description = "The newer kissmetrics-plan.json (e.g. the one of the pull request)." };
        Option<string> format = new("--format")
        {
            Description = "text (default), or markdown: a table for a pull request comment.",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "markdown");

        Command diff = new("diff", "Compares two tracking plans; exit code 1 when a change is breaking for Kissmetrics (it splits an event's or a property's history).")
        {
            oldPlan,
            newPlan,
            format,
        };
        diff.SetAction(parsed =>
        {
            string oldPath = parsed.GetValue(oldPlan)!;
            string newPath = parsed.GetValue(newPlan)!;
            Plan before;
            Plan after;
            try
            {
                before = PlanReader.ReadFile(oldPath);
                after = PlanReader.ReadFile(newPath);
            }
            catch (PlanReadException exception)
            {
                error.WriteLine("error: " + exception.Message);
                return BadInput;
            }

            var changes = PlanDiff.Compare(before, after);
            if (parsed.GetValue(format) == "markdown")
            {
                DiffReport.WriteMarkdown(output, changes, oldPath, newPath);
            }
            else
            {
                DiffReport.WriteText(output, changes, oldPath, newPath);
            }

            return changes.Exists(change => change.Breaking) ? Breaking : Success;
        });
        return diff;
    }
}
