using System.IO;

namespace Kissmetrics.Typed.Tool.Tests.Export;

public sealed class ExportCommandTests
{
    private static (int ExitCode, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = PlansTool.Run(args, output, error);
        return (exitCode, error.ToString());
    }

    [Fact]
    public void Missing_assembly_is_bad_input_naming_the_file()
    {
        var (exitCode, error) = Run("export", "--assembly", "no-such.dll", "--format", "kissmetrics", "--output", Path.GetTempFileName());
        Assert.Equal(PlansTool.BadInput, exitCode);
        Assert.Contains("no-such.dll: no such assembly", error);
    }

    [Fact]
    public void Project_and_assembly_together_is_bad_input()
    {
        var (exitCode, error) = Run("export", "--assembly", "a.dll", "--project", "a.csproj", "--format", "kissmetrics", "--output", "x.json");
        Assert.Equal(PlansTool.BadInput, exitCode);
        Assert.Contains("exactly one of --project and --assembly", error);
    }

    [Fact]
    public void An_assembly_without_a_plan_class_is_loaded_and_reported()
    {
        string assembly = typeof(ExportCommandTests).Assembly.Location;
        var (exitCode, error) = Run("export", "--assembly", assembly, "--format", "kissmetrics", "--output", Path.GetTempFileName());
        Assert.Equal(PlansTool.BadInput, exitCode);
        Assert.Contains("no KissmetricsTrackingPlan class", error);
    }
}
