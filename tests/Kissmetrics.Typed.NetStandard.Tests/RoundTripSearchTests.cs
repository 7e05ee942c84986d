using System;
using System.Globalization;
using System.Text;
using Kissmetrics.Typed.Compatibility;
using Kissmetrics.Typed.Serialization;
using Xunit;

namespace Kissmetrics.Typed.Tests;

/// <summary>
/// The digit search the netstandard2.0 build takes on .NET Framework and Mono, where the platform's formatter is not
/// shortest round-trip (on .NET Core the build takes the platform's own shortest text, so this path would otherwise only
/// run there, under Mono in .ci/package-consumers). Here it runs on .NET 10's correct <c>ToString("G15")</c> and
/// <c>Parse</c>, and must give exactly .NET's shortest round-trip text, seeded random bit patterns included.
/// </summary>
public sealed class RoundTripSearchTests
{
    private static readonly double[] s_doubles =
    [
        0.1 + 0.2, 0.1, 1.0 / 3, 2.0 / 3, 1e21, 1e-7, 1.5e-7, 5e-324, double.Epsilon, double.MaxValue, double.MinValue,
        9007199254740993, 123456789012345678, 0.000001, 1.7976931348623157e308, 2.2250738585072014e-308, -1.25, 100, 1e15, 1e16, 1e17,
    ];

    [Fact]
    public void Doubles_get_the_shortest_round_trip_text()
    {
        foreach (double value in s_doubles)
        {
            AssertShortest(value);
        }

        var random = new Random(20261204);
        Span<byte> bits = stackalloc byte[8];
        for (int i = 0; i < 100_000; i++)
        {
            random.NextBytes(bits);
            double value = BitConverter.ToDouble(bits.ToArray(), 0);
            if (!double.IsFinite(value) || value == 0)
            {
                continue;
            }

            AssertShortest(value);
        }
    }

    [Fact]
    public void Floats_get_the_shortest_round_trip_text()
    {
        var random = new Random(4122026);
        var bits = new byte[4];
        Span<byte> text = stackalloc byte[RoundTripFormatter.MaxLength];
        for (int i = 0; i < 100_000; i++)
        {
            random.NextBytes(bits);
            float value = BitConverter.ToSingle(bits, 0);
            if (!float.IsFinite(value) || value == 0)
            {
                continue;
            }

            int length = RoundTripFormatter.FormatBySearch(value, text);
            Assert.Equal(JavaScript(value.ToString("R", CultureInfo.InvariantCulture)), JavaScript(text.Slice(0, length)));
        }
    }

    private static void AssertShortest(double value)
    {
        Span<byte> text = stackalloc byte[RoundTripFormatter.MaxLength];
        int length = RoundTripFormatter.FormatBySearch(value, text);
        Assert.Equal(JavaScript(value.ToString("R", CultureInfo.InvariantCulture)), JavaScript(text.Slice(0, length)));
    }

    // The text sent: the digits laid out as JavaScript does (the platforms' own layouts differ, 3.4309152E+08 and 343091520).
    private static string JavaScript(string dotnet) => JavaScript(Encoding.ASCII.GetBytes(dotnet));

    private static string JavaScript(ReadOnlySpan<byte> dotnet)
    {
        Span<byte> destination = stackalloc byte[64];
        return Encoding.ASCII.GetString(destination.Slice(0, JavaScriptNumber.Layout(dotnet, destination)));
    }
}
