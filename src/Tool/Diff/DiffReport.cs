using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Kissmetrics.Typed.Tool.Diff;

/// <summary>Writes a diff's changes as text (one line a change) or as a Markdown table for a pull request comment.</summary>
internal static class DiffReport
{
    public static void WriteText(TextWriter output, IReadOnlyList<PlanChange> changes, string oldPath, string newPath)
    {
        output.WriteLine(Summary(changes, oldPath, newPath));
        int width = changes.Count == 0 ? 0 : changes.Max(change => change.What.Length);
        foreach (PlanChange change in changes)
        {
            string subject = change.Entry + (change.Property is null ? string.Empty : " / " + change.Property);
            output.WriteLine((change.Breaking ? "BREAKING  " : "          ") + change.What.PadRight(width) + "  " + subject + ": " + change.Details);
        }
    }

    public static void WriteMarkdown(TextWriter output, IReadOnlyList<PlanChange> changes, string oldPath, string newPath)
    {
        output.WriteLine("### Kissmetrics tracking plan");
        output.WriteLine();
        output.WriteLine(Summary(changes, "`" + oldPath + "`", "`" + newPath + "`"));
        if (changes.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("| | Change | Entry | Property | Details |");
        output.WriteLine("|---|---|---|---|---|");
        foreach (PlanChange change in changes)
        {
            output.WriteLine("| " + (change.Breaking ? ":x: **breaking**" : ":white_check_mark:") + " | " + change.What + " | " + Cell(change.Entry) + " | "
                + (change.Property is null ? string.Empty : "`" + Cell(change.Property) + "`") + " | " + Cell(change.Details) + " |");
        }
    }

    private static string Summary(IReadOnlyList<PlanChange> changes, string oldPath, string newPath)
    {
        int breaking = changes.Count(change => change.Breaking);
        string counts = changes.Count == 0 ? "no changes"
            : changes.Count.ToString(CultureInfo.InvariantCulture) + (changes.Count == 1 ? " change, " : " changes, ") + breaking.ToString(CultureInfo.InvariantCulture) + " breaking";
        return counts + " (" + oldPath + " -> " + newPath + ")";
    }

    private static string Cell(string text) => text.Replace("|", "\\|", System.StringComparison.Ordinal);
}
