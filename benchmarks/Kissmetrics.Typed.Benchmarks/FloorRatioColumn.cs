using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Kissmetrics.Typed.Benchmarks;

/// <summary>Each row's median divided by the median of the floor (copying the output bytes) of the same class.</summary>
public sealed class FloorRatioColumn : IColumn
{
    public string Id => nameof(FloorRatioColumn);

    public string ColumnName => "x Floor";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Median divided by the median of 'Floor (copy bytes)' in the same class";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        BenchmarkCase? floor = summary.BenchmarksCases.FirstOrDefault(c =>
            c.Descriptor.Type == benchmarkCase.Descriptor.Type && c.Descriptor.WorkloadMethod.Name == "Floor");
        double? mine = summary[benchmarkCase]?.ResultStatistics?.Median;
        double? theirs = floor is null ? null : summary[floor]?.ResultStatistics?.Median;
        return mine is { } m && theirs is { } f && f > 0 ? (m / f).ToString("0.0", CultureInfo.InvariantCulture) : "?";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
