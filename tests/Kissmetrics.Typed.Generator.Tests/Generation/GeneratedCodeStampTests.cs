using System;
using System.Linq;
using System.Reflection;
using Kissmetrics.Typed.Generator.Emitting;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;

namespace Kissmetrics.Typed.Generator.Tests.Generation;

/// <summary>The <c>[GeneratedCode]</c> stamp: the package version, from the generator assembly, scrubbed in snapshots.</summary>
public sealed class GeneratedCodeStampTests
{
    private const string Source = """
        using Kissmetrics.Typed;

        namespace App;

        [KissmetricsEvent("Signed Up")]
        public partial record SignedUp(string Plan);

        [KissmetricsClient]
        public partial class Analytics;
        """;

    [Fact]
    public void The_stamp_is_the_version_the_runtime_package_is_built_with()
    {
        // Both assemblies get the repository's one <Version>: the package's.
        string runtime = typeof(KissmetricsClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        int metadata = runtime.IndexOf('+', StringComparison.Ordinal);
        Assert.Equal(metadata < 0 ? runtime : runtime[..metadata], GeneratedCodeStamp.Version);
        Assert.DoesNotContain("+", GeneratedCodeStamp.Version, StringComparison.Ordinal);
        Assert.Equal(typeof(GeneratedCodeStamp).Assembly.GetName().Version!.ToString(3), GeneratedCodeStamp.Version.Split('-')[0]);
    }

    [Fact]
    public void Every_generated_file_carries_the_stamp_and_snapshots_see_the_placeholder()
    {
        GeneratorRun run = GeneratorRunner.Run(Source).AssertOutputCompiles();
        string stamp = "GeneratedCode(\"Kissmetrics.Typed.Generator\", \"" + GeneratedCodeStamp.Version + "\")";

        Assert.All(run.GeneratedSources, s => Assert.Contains(stamp, s.Text, StringComparison.Ordinal));
        Assert.All(run.GeneratedSources.Select(s => Snapshot.Scrub(s.Text)), text =>
        {
            Assert.DoesNotContain(stamp, text, StringComparison.Ordinal);
            Assert.Contains("GeneratedCode(\"Kissmetrics.Typed.Generator\", \"" + Snapshot.VersionPlaceholder + "\")", text, StringComparison.Ordinal);
        });
    }
}
