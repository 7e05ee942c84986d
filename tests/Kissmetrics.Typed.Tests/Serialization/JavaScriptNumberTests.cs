using System;
using System.Globalization;
using System.Text;
using Kissmetrics.Typed.Serialization;
using Xunit;

namespace Kissmetrics.Typed.Tests.Serialization;

/// <summary>
/// <see cref="JavaScriptNumber"/> must produce exactly what ECMAScript's <c>Number#toString</c> produces. Every expected
/// string below is the output of <c>String(value)</c> in Node.js.
/// </summary>
public sealed class JavaScriptNumberTests
{
    private static string Format(double value)
    {
        Span<byte> destination = stackalloc byte[JavaScriptNumber.MaxLength];
        int length = JavaScriptNumber.Format(value, destination);
        return Encoding.ASCII.GetString(destination.Slice(0, length));
    }

    private static string Format(float value)
    {
        Span<byte> destination = stackalloc byte[JavaScriptNumber.MaxLength];
        int length = JavaScriptNumber.Format(value, destination);
        return Encoding.ASCII.GetString(destination.Slice(0, length));
    }

    [Fact]
    public void SumOfTenthsKeepsEveryDigit() => Assert.Equal("0.30000000000000004", Format(0.1 + 0.2));

    [Fact]
    public void NegativeZeroIsZero()
    {
        double negativeZero = -0.0;
        Assert.True(double.IsNegative(negativeZero));
        Assert.Equal("0", Format(negativeZero));
        Assert.Equal("0", Format(0.0));
    }

    [Theory]
    [InlineData(1e21, "1e+21")]
    [InlineData(-1e21, "-1e+21")]
    [InlineData(1e22, "1e+22")]
    [InlineData(1.23e22, "1.23e+22")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(999999999999999900000.0, "999999999999999900000")]
    [InlineData(1.2345678901234568e20, "123456789012345680000")]
    [InlineData(1e15, "1000000000000000")]
    [InlineData(1e16, "10000000000000000")]
    [InlineData(9007199254740992.0, "9007199254740992")]
    [InlineData(9007199254740994.0, "9007199254740994")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(1.5e-7, "1.5e-7")]
    [InlineData(2.5e-7, "2.5e-7")]
    [InlineData(1e-6, "0.000001")]
    [InlineData(0.000001234, "0.000001234")]
    [InlineData(1e-5, "0.00001")]
    [InlineData(450.0, "450")]
    [InlineData(100.0, "100")]
    [InlineData(0.5, "0.5")]
    [InlineData(4.35, "4.35")]
    [InlineData(123.456, "123.456")]
    [InlineData(-123456.789, "-123456.789")]
    [InlineData(-1.5e-10, "-1.5e-10")]
    [InlineData(1.23e-18, "1.23e-18")]
    [InlineData(1e300, "1e+300")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(-1.7976931348623157e308, "-1.7976931348623157e+308")]
    [InlineData(2.2250738585072014e-308, "2.2250738585072014e-308")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(-5e-324, "-5e-324")]
    public void FormatsLikeEcmaScript(double value, string expected) => Assert.Equal(expected, Format(value));

    // Values drawn at random over 60 decades; each string is Node's String(x), which parses back to x.
    [Theory]
    [InlineData("-632483482.3608398")]
    [InlineData("6.7312335968017585e+28")]
    [InlineData("7.07273840904236e-21")]
    [InlineData("3377417325973510700")]
    [InlineData("-57987156510353090")]
    [InlineData("-7.875735163688659e-17")]
    [InlineData("1.1133861541748047e+21")]
    [InlineData("0.0036601340770721436")]
    [InlineData("-4.2865550518035887e+21")]
    [InlineData("-1583112776279449300")]
    [InlineData("-69094.20788288116")]
    [InlineData("2.541414499282837e-8")]
    [InlineData("-2.2794365882873532e+24")]
    [InlineData("-2.805719375610352e-31")]
    [InlineData("-0.000008033056557178497")]
    [InlineData("0.008480523824691773")]
    [InlineData("20806.193351745605")]
    [InlineData("-510.86556911468506")]
    [InlineData("1.4185190200805664e+22")]
    [InlineData("282677888870239260")]
    [InlineData("693040013313293400000")]
    [InlineData("-7.083820104599e-31")]
    [InlineData("9973047971725464000")]
    public void FormatsNodeOutputsBackToThemselves(string javaScript)
    {
        double value = double.Parse(javaScript, NumberStyles.Float, CultureInfo.InvariantCulture);
        Assert.Equal(javaScript, Format(value));
    }

    [Theory]
    [InlineData(0.1f, "0.1")]
    [InlineData(123.456f, "123.456")]
    [InlineData(450f, "450")]
    [InlineData(16777216f, "16777216")]
    [InlineData(1.5e-7f, "1.5e-7")]
    [InlineData(3.4028235e38f, "3.4028235e+38")]
    [InlineData(1e21f, "1e+21")]
    [InlineData(-2.5f, "-2.5")]
    [InlineData(1e-45f, "1e-45")]
    public void FloatsUseShortestFloatDigits(float value, string expected) => Assert.Equal(expected, Format(value));

    [Fact]
    public void NegativeZeroFloatIsZero() => Assert.Equal("0", Format(-0.0f));

    /// <summary>
    /// Over many random bit patterns: the text parses back to the same double, uses the exponent form exactly when
    /// ECMAScript does (|x| ≥ 1e21 or |x| &lt; 1e-6), and never has .NET's upper-case or padded exponent.
    /// </summary>
    [Fact]
    public void RandomDoublesRoundTripInEcmaScriptLayout()
    {
        var random = new Random(20240601);
        Span<byte> bits = stackalloc byte[8];
        int checkedCount = 0;
        while (checkedCount < 20_000)
        {
            random.NextBytes(bits);
            double value = BitConverter.ToDouble(bits);
            if (!double.IsFinite(value))
            {
                continue;
            }

            checkedCount++;
            string text = Format(value);
            Assert.Equal(value == 0 ? 0.0 : value, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
            Assert.DoesNotContain('E', text);
            Assert.DoesNotContain("e-0", text, StringComparison.Ordinal);
            Assert.DoesNotContain("e+0", text, StringComparison.Ordinal);
            double magnitude = Math.Abs(value);
            bool exponential = value != 0 && (magnitude >= 1e21 || magnitude < 1e-6);
            Assert.Equal(exponential, text.Contains('e', StringComparison.Ordinal));
            if (!exponential && text.Contains('.', StringComparison.Ordinal))
            {
                Assert.False(text.EndsWith('0'), text);
            }

            Assert.Equal(SignificantDigits(value.ToString("R", CultureInfo.InvariantCulture)), SignificantDigits(text));
        }
    }

    // The significant digits of a number's text: no sign, point, exponent, or leading/trailing zeros.
    private static string SignificantDigits(string text)
    {
        int exponent = text.IndexOfAny(['e', 'E']);
        string mantissa = exponent < 0 ? text : text.Substring(0, exponent);
        return mantissa.Replace("-", string.Empty, StringComparison.Ordinal).Replace(".", string.Empty, StringComparison.Ordinal).TrimStart('0').TrimEnd('0');
    }
}
