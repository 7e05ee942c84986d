using System;
using System.IO;
using System.Linq;

namespace Kissmetrics.Typed.Tool.Tests;

public sealed class DiffCommandTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    private static (int ExitCode, string[] Output, string Error) Diff(string oldName, string newName, params string[] options)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] args = ["diff", Fixture(oldName), Fixture(newName), .. options];
        int exitCode = PlansTool.Run(args, output, error);
        return (exitCode, output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries), error.ToString());
    }

    private static string Fixture(string name) => Path.Combine(Fixtures, name);

    [Fact]
    public void The_same_plan_has_no_changes_and_exits_0()
    {
        var (exitCode, output, error) = Diff("base.json", "base.json");

        Assert.Equal(0, exitCode);
        Assert.Equal("no changes (" + Fixture("base.json") + " -> " + Fixture("base.json") + ")", Assert.Single(output));
        Assert.Empty(error);
    }

    [Fact]
    public void Additions_and_loosened_requiredness_are_not_breaking_and_exit_0()
    {
        var (exitCode, output, error) = Diff("base.json", "additive.json");

        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        Assert.Equal(
            [
                "4 changes, 0 breaking (" + Fixture("base.json") + " -> " + Fixture("additive.json") + ")",
                "          property added        event \"Signed Up\" / Coupon: string, optional",
                "          enum values added     event \"Subscribed\" / Period: \"Weekly\"",
                "          requiredness changed  event \"Subscribed\" / Seats: required -> optional",
                "          event added           event \"Trial Started\": QuickStart.TrialStarted",
            ],
            output);
    }

    [Fact]
    public void Renames_removals_type_changes_and_removed_enum_values_are_breaking_and_exit_1()
    {
        var (exitCode, output, error) = Diff("base.json", "breaking.json");

        Assert.Equal(1, exitCode);
        Assert.Empty(error);
        Assert.Equal(
            [
                "6 changes, 6 breaking (" + Fixture("base.json") + " -> " + Fixture("breaking.json") + ")",
                "BREAKING  property renamed     event \"Signed Up\" / Referral Code: \"Referral Code\" -> \"Referrer Code\" (string)",
                "BREAKING  event renamed        event \"Subscribed\": \"Subscribed\" -> \"Plan Subscribed\"",
                "BREAKING  enum values removed  event \"Plan Subscribed\" / Period: \"yearly (save 20%)\"",
                "BREAKING  type changed         event \"Plan Subscribed\" / Amount: number -> string",
                "BREAKING  property removed     event \"Plan Subscribed\" / Seats: integer",
                "BREAKING  screen removed       screen \"Viewed Home Screen\": QuickStart.HomeScreen",
            ],
            output);
    }

    [Fact]
    public void Read_the_other_way_removals_are_additions_and_renames_stay_breaking()
    {
        var (exitCode, output, _) = Diff("breaking.json", "base.json");

        Assert.Equal(1, exitCode);
        Assert.Equal(
            [
                "6 changes, 3 breaking (" + Fixture("breaking.json") + " -> " + Fixture("base.json") + ")",
                "BREAKING  property renamed   event \"Signed Up\" / Referrer Code: \"Referrer Code\" -> \"Referral Code\" (string)",
                "BREAKING  event renamed      event \"Plan Subscribed\": \"Plan Subscribed\" -> \"Subscribed\"",
                "          enum values added  event \"Subscribed\" / Period: \"yearly (save 20%)\"",
                "BREAKING  type changed       event \"Subscribed\" / Amount: string -> number",
                "          property added     event \"Subscribed\" / Seats: integer, required",
                "          screen added       screen \"Viewed Home Screen\": QuickStart.HomeScreen",
            ],
            output);
    }

    [Fact]
    public void Markdown_prints_a_table_for_a_pull_request_comment()
    {
        var (exitCode, output, _) = Diff("base.json", "breaking.json", "--format", "markdown");

        Assert.Equal(1, exitCode);
        Assert.Equal("### Kissmetrics tracking plan", output[0]);
        Assert.Equal("6 changes, 6 breaking (`" + Fixture("base.json") + "` -> `" + Fixture("breaking.json") + "`)", output[1]);
        Assert.Equal("| | Change | Entry | Property | Details |", output[2]);
        Assert.Equal("|---|---|---|---|---|", output[3]);
        Assert.Equal("| :x: **breaking** | type changed | event \"Plan Subscribed\" | `Amount` | number -> string |", output[7]);
        Assert.Equal("| :x: **breaking** | screen removed | screen \"Viewed Home Screen\" |  | QuickStart.HomeScreen |", output[9]);
        Assert.Equal(10, output.Length);
    }

    [Fact]
    public void Markdown_of_additions_marks_them_not_breaking()
    {
        var (exitCode, output, _) = Diff("base.json", "additive.json", "--format", "markdown");

        Assert.Equal(0, exitCode);
        Assert.Contains("| :white_check_mark: | property added | event \"Signed Up\" | `Coupon` | string, optional |", output);
    }

    [Fact]
    public void A_missing_file_exits_2_with_its_path_on_stderr()
    {
        var (exitCode, output, error) = Diff("base.json", "missing.json");

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.Equal("error: " + Fixture("missing.json") + ": cannot read the plan: no such file" + Environment.NewLine, error);
    }

    [Fact]
    public void Invalid_json_exits_2_with_the_file_and_line_and_column()
    {
        var (exitCode, output, error) = Diff("invalid.json", "base.json");

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.Equal("error: " + Fixture("invalid.json") + ":5:3: invalid JSON: '\"' is invalid after a value. Expected either ',', '}', or ']'." + Environment.NewLine, error);
    }

    [Fact]
    public void An_unknown_plan_version_exits_2()
    {
        var (exitCode, _, error) = Diff("base.json", "version2.json");

        Assert.Equal(2, exitCode);
        Assert.Equal("error: " + Fixture("version2.json") + ": /planVersion: unknown plan version 2; this tool reads version 1" + Environment.NewLine, error);
    }

    [Fact]
    public void A_plan_of_the_wrong_shape_exits_2_with_the_json_pointer()
    {
        string path = Path.Combine(Path.GetTempPath(), "kissmetrics-plan-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, """{ "planVersion": 1, "entries": [ { "kind": "track", "type": "A", "properties": [ { "member": "X", "type": "string" } ] } ] }""");
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            int exitCode = PlansTool.Run(["diff", Fixture("base.json"), path], output, error);

            Assert.Equal(2, exitCode);
            Assert.Equal("error: " + path + ": /entries/0/properties/0: no 'name'" + Environment.NewLine, error.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("diff")]
    [InlineData("diff", "a.json")]
    [InlineData("diff", "a.json", "b.json", "--format", "html")]
    [InlineData("unknown-command")]
    public void Bad_arguments_exit_2(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(2, PlansTool.Run(args, output, error));
        Assert.StartsWith("error: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Properties_are_renamed_by_description_when_the_member_changed_too()
    {
        string before = Path.Combine(Path.GetTempPath(), "kissmetrics-plan-" + Guid.NewGuid().ToString("N") + ".json");
        string after = Path.Combine(Path.GetTempPath(), "kissmetrics-plan-" + Guid.NewGuid().ToString("N") + ".json");
        const string Plan = """{ "planVersion": 1, "entries": [ { "kind": "identify", "type": "A.Traits", "properties": [ { "member": "M", "name": "N", "type": "string", "required": true, "description": "The plan the person pays for." } ] } ] }""";
        File.WriteAllText(before, Plan);
        File.WriteAllText(after, Plan.Replace("\"M\"", "\"PlanName\"", StringComparison.Ordinal).Replace("\"N\"", "\"Plan Name\"", StringComparison.Ordinal));
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            int exitCode = PlansTool.Run(["diff", before, after], output, error);

            Assert.Equal(1, exitCode);
            Assert.Equal(
                "BREAKING  property renamed  traits A.Traits / N: \"N\" -> \"Plan Name\" (string)",
                output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Last());
        }
        finally
        {
            File.Delete(before);
            File.Delete(after);
        }
    }
}
