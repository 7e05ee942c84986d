using System.Linq;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Kissmetrics.Typed.Generator.Tests.Scale;

/// <summary>
/// The generator on a 1,000-type project (<see cref="ScaleCorpus"/>): everything generated compiles, and a one-line edit
/// reuses every step. Timings are not asserted here (shared machines are noisy): the benchmarks' <c>scale</c> command
/// reports them, see docs/benchmarks.md.
/// </summary>
public sealed class ScaleIncrementalityTests
{
    private const int TypeCount = 1000;

    private static Compilation Corpus() =>
        TestCompilation.Create(ScaleCorpus.Files(TypeCount).Select(f => f.Text), TestCompilation.DefaultLanguageVersion);

    // TestCompilation names the trees Source0.cs, Source1.cs, ...: the unrelated file is the last one.
    private static string UnrelatedTreePath => $"Source{ScaleCorpus.Files(TypeCount).Count - 1}.cs";

    [Fact]
    public void A_thousand_types_get_a_thousand_serializers_that_compile()
    {
        GeneratorRun run = GeneratorRunner.Run(Corpus());
        // Counted by contract, not by file: the generator also writes the tracking plan and the typed client.
        (int annotated, int implemented) = ScaleCorpus.CountSerializers(run.OutputCompilation);
        Assert.Equal(TypeCount, annotated);
        Assert.Equal(TypeCount, implemented);
        run.AssertOutputCompiles();
    }

    [Fact]
    public void A_one_line_edit_of_an_unrelated_file_reuses_every_step()
    {
        IncrementalityAssert.UnrelatedEditIsCached(
            Corpus(),
            IncrementalityAssert.Edits.ReplaceTree(UnrelatedTreePath, ScaleCorpus.UnrelatedEdited));
    }

    [Fact]
    public void A_comment_added_to_a_file_of_ten_events_reuses_every_step()
    {
        IncrementalityAssert.UnrelatedEditIsCached(Corpus(), IncrementalityAssert.Edits.AppendComment("Source0.cs"));
    }
}
