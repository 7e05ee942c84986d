using System;
using System.Buffers;
using System.Globalization;
using System.Text;
using Kissmetrics.Typed.Serialization;
using Xunit;

namespace Kissmetrics.Typed.Tests.Performance;

/// <summary>
/// The writer's fast paths (docs/benchmarks.md) must write exactly what the general paths write: doubles that look like
/// prices and ratios skip .NET's shortest-digits formatting, and decimals whose mantissa fits 64 bits skip
/// <see cref="decimal.TryFormat(Span{byte}, out int, ReadOnlySpan{char}, IFormatProvider?)"/>.
/// </summary>
public sealed class FastPathEquivalenceTests
{
    private static string Shortest(double value)
    {
        Span<byte> text = stackalloc byte[JavaScriptNumber.MaxLength];
        return Encoding.ASCII.GetString(text.Slice(0, JavaScriptNumber.FormatShortest(value, text)));
    }

    private static string? Fast(double value)
    {
        Span<byte> text = stackalloc byte[JavaScriptNumber.MaxLength];
        return JavaScriptNumber.TryFormatShortDecimal(value, text, out int written) ? Encoding.ASCII.GetString(text.Slice(0, written)) : null;
    }

    private static void AssertSame(double value, ref int fastHits)
    {
        if (Fast(value) is { } fast)
        {
            fastHits++;
            Assert.True(Shortest(value) == fast, $"{value:R}: fast path wrote {fast}, general path {Shortest(value)}");
        }
    }

    [Fact]
    public void DecimalLookingDoublesMatchTheGeneralPath()
    {
        var random = new Random(20261128);
        int fastHits = 0;
        for (int i = 0; i < 200_000; i++)
        {
            // A price or ratio as typed: up to 15 significant digits, up to 15 fraction digits, either sign.
            int digits = random.Next(1, 16);
            long mantissa = random.NextInt64(1, (long)Math.Pow(10, digits));
            int fraction = random.Next(0, 16);
            double value = double.Parse(mantissa.ToString(CultureInfo.InvariantCulture) + "e-" + fraction.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            AssertSame(random.Next(2) == 0 ? value : -value, ref fastHits);
        }

        Assert.True(fastHits > 150_000, $"the fast path took only {fastHits} of 200,000 decimal-looking values");
    }

    [Fact]
    public void ArbitraryDoublesMatchTheGeneralPath()
    {
        var random = new Random(7);
        int fastHits = 0;
        for (int i = 0; i < 200_000; i++)
        {
            // Uniform in [0, 1) scaled over 30 decades, and computed sums such as 0.1 + 0.2.
            double value = random.NextDouble() * Math.Pow(10, random.Next(-12, 18));
            AssertSame(value, ref fastHits);
            AssertSame(random.Next(1, 1000) / 10.0 + random.Next(1, 1000) / 100.0, ref fastHits);
            AssertSame(BitConverter.Int64BitsToDouble(random.NextInt64(0x3EB0000000000000, 0x4340000000000000)), ref fastHits);
        }

        Assert.True(fastHits > 1000, $"the fast path took only {fastHits} values");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1e-6)]
    [InlineData(9.99e-7)]
    [InlineData(4.35)]
    [InlineData(0.1 + 0.2)]
    [InlineData(163.08)]
    [InlineData(1125899906842623.5)]
    [InlineData(1125899906842624.0)]
    [InlineData(9007199254740991.0)]
    [InlineData(9007199254740992.0)]
    [InlineData(112589990684262.4)]
    [InlineData(0.000001234)]
    [InlineData(123456.789)]
    [InlineData(-2.68642963979648)]
    public void EdgesMatchTheGeneralPath(double value)
    {
        int unused = 0;
        AssertSame(value, ref unused);
        Assert.Equal(Shortest(value), Format(value));
    }

    [Fact]
    public void DecimalsMatchInvariantFormattingWithoutTrailingZeros()
    {
        var random = new Random(11);
        for (int i = 0; i < 200_000; i++)
        {
            // Mantissas of every width (64-bit ones take the fast path, 96-bit ones the general path) at every scale.
            int lo = random.Next(int.MinValue, int.MaxValue), mid = random.Next(0, 4) == 0 ? 0 : random.Next(int.MinValue, int.MaxValue);
            int hi = random.Next(0, 3) == 0 ? random.Next(int.MinValue, int.MaxValue) : 0;
            if (random.Next(4) == 0)
            {
                lo = random.Next(0, 100_000) * (int)Math.Pow(10, random.Next(0, 5));
                mid = 0;
            }

            var value = new decimal(lo, mid, hi, random.Next(2) == 0, (byte)random.Next(0, 29));
            Assert.Equal(Expected(value), WriteDecimal(value));
        }

        foreach (decimal value in new[] { 0m, -0m, 0.000m, -0.000m, 450.00m, 0.10m, -0.50m, 1m, 0.0000000000000000000000000001m, decimal.MaxValue, decimal.MinValue, 18446744073709551615m, 1844674407370955161.5m, -0.0000000000000000018446744073709551615m })
        {
            Assert.Equal(Expected(value), WriteDecimal(value));
        }

        static string Expected(decimal value)
        {
            string text = value.ToString(CultureInfo.InvariantCulture);
            if (text.Contains('.', StringComparison.Ordinal))
            {
                text = text.TrimEnd('0').TrimEnd('.');
            }

            return text == "-0" ? "0" : text;
        }
    }

    private static string Format(double value)
    {
        Span<byte> text = stackalloc byte[JavaScriptNumber.MaxLength];
        return Encoding.ASCII.GetString(text.Slice(0, JavaScriptNumber.Format(value, text)));
    }

    private static string WriteDecimal(decimal value)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var writer = new KissmetricsWriter(buffer);
        writer.WriteDecimalValue(value);
        writer.Flush();
        return Encoding.ASCII.GetString(buffer.WrittenSpan);
    }
}
