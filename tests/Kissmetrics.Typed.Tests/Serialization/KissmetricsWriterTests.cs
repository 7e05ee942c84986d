using System;
using System.Buffers;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Kissmetrics.Typed.Serialization;
using Xunit;

namespace Kissmetrics.Typed.Tests.Serialization;

/// <summary>
/// The writer through a real <see cref="ArrayBufferWriter{T}"/>. Expected text is built independently: for valid UTF-16,
/// <see cref="Uri.EscapeDataString(string)"/> is the oracle (it leaves exactly the RFC 3986 unreserved set
/// <c>A-Z a-z 0-9 - . _ ~</c> alone and uses upper-case hex, as mapping.md §2 requires).
/// </summary>
public sealed class KissmetricsWriterTests
{
    private delegate void WriteAction(ref KissmetricsWriter writer);

    private static string Write(WriteAction action, int initialCapacity = 1)
    {
        var buffer = new ArrayBufferWriter<byte>(initialCapacity);
        var writer = new KissmetricsWriter(buffer);
        action(ref writer);
        writer.Flush();
        return Ascii(buffer.WrittenSpan);
    }

    private static string Ascii(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            Assert.True(b is > 0x20 and < 0x7F, $"byte 0x{b:X2} is not printable ASCII: the wire must be percent-encoded");
        }

        return Encoding.ASCII.GetString(bytes);
    }

    private static string Text(string value) => Write((ref KissmetricsWriter w) => w.WriteEncodedText(value));

    // ---- text encoding ----------------------------------------------------------------------------------

    [Theory]
    [InlineData("a&b", "a%26b")]
    [InlineData("a=b", "a%3Db")]
    [InlineData("a#b", "a%23b")]
    [InlineData("a+b", "a%2Bb")]
    [InlineData("a b", "a%20b")]
    [InlineData("line1\nline2", "line1%0Aline2")]
    [InlineData("\r\t", "%0D%09")]
    [InlineData("%41", "%2541")]
    [InlineData("?/:@!$'()*;,", "%3F%2F%3A%40%21%24%27%28%29%2A%3B%2C")]
    [InlineData("~-._", "~-._")]
    [InlineData("AZaz09", "AZaz09")]
    [InlineData("\u007F", "%7F")]
    [InlineData("\0", "%00")]
    [InlineData("é", "%C3%A9")]
    [InlineData("ÿ", "%C3%BF")]
    [InlineData("€", "%E2%82%AC")]
    [InlineData("日本", "%E6%97%A5%E6%9C%AC")]
    [InlineData("😀", "%F0%9F%98%80")]
    [InlineData("a😀b", "a%F0%9F%98%80b")]
    public void EncodesText(string value, string expected)
    {
        Assert.Equal(expected, Text(value));
        Assert.Equal(Uri.EscapeDataString(value), Text(value));
    }

    [Fact]
    public void EveryAsciiCharacterEncodesAsTheRfc3986UnreservedSetRequires()
    {
        const string unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
        for (int c = 0; c < 128; c++)
        {
            string expected = unreserved.Contains((char)c, StringComparison.Ordinal)
                ? ((char)c).ToString()
                : "%" + c.ToString("X2", CultureInfo.InvariantCulture);
            Assert.Equal(expected, Text(((char)c).ToString()));
        }
    }

    [Fact]
    public void EmojiIsFourUtf8Bytes()
    {
        string encoded = Text("\U0001F389");
        Assert.Equal("%F0%9F%8E%89", encoded);
        Assert.Equal(4, encoded.Split('%', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    // Lone surrogates cannot live in attribute data (metadata strings are UTF-8), so the cases are built in code.
    [Fact]
    public void LoneSurrogatesBecomeReplacementCharacter()
    {
        const string replacement = "%EF%BF%BD";
        (string Value, string Expected)[] cases =
        [
            ("\uD83D", replacement),
            ("\uDE00", replacement),
            ("a\uD83Db", "a" + replacement + "b"),
            ("a\uDE00b", "a" + replacement + "b"),
            ("\uDE00\uD83D", replacement + replacement),
            ("\uD83D\uD83D\uDE00", replacement + "%F0%9F%98%80"),
            ("\uD83D\uDE00\uDE00", "%F0%9F%98%80" + replacement),
        ];
        foreach ((string value, string expected) in cases)
        {
            Assert.DoesNotContain('\uFFFD', value);
            Assert.Equal(expected, Text(value));
        }
    }

    [Theory]
    [InlineData(168)]
    [InlineData(169)]
    [InlineData(170)]
    [InlineData(338)]
    [InlineData(339)]
    public void SurrogatePairAcrossTheChunkBoundaryStaysWhole(int prefix)
    {
        // With `prefix` = 169 the pair occupies chars 169 and 170: it straddles the 170-char chunk boundary.
        string value = new string('a', prefix) + "😀" + new string('b', 300) + "é😀";
        Assert.Equal(Uri.EscapeDataString(value), Text(value));
    }

    [Fact]
    public void EveryPositionOfAPairInLongMixedTextEncodesLikeEscapeDataString()
    {
        for (int prefix = 150; prefix < 200; prefix++)
        {
            string value = new string('x', prefix) + "😀é&😀" + new string(' ', prefix) + "\U0010FFFF";
            Assert.Equal(Uri.EscapeDataString(value), Text(value));
        }
    }

    [Fact]
    public void LongTextOfOnlyMultiByteCharactersEncodesWhole()
    {
        // 3 UTF-8 bytes per char is the most per UTF-16 unit; 4 per pair. Several chunks of each.
        string threeByte = new string('€', 1000);
        string fourByte = string.Concat(Enumerable.Repeat("😀", 600));
        Assert.Equal(Uri.EscapeDataString(threeByte), Text(threeByte));
        Assert.Equal(Uri.EscapeDataString(fourByte), Text(fourByte));
    }

    [Theory]
    [InlineData(169)]
    [InlineData(170)]
    public void LoneHighSurrogateAtTheChunkBoundaryBecomesReplacementCharacter(int prefix)
    {
        string value = new string('a', prefix) + "\uD83D" + "zz";
        string expected = new string('a', prefix) + "%EF%BF%BDzz";
        Assert.Equal(expected, Text(value));
    }

    [Fact]
    public void LoneHighSurrogateEndingALongStringBecomesReplacementCharacter()
    {
        string value = new string('a', 339) + "\uD83D";
        Assert.Equal(new string('a', 339) + "%EF%BF%BD", Text(value));
    }

    [Fact]
    public void RandomTextOfEveryShortLengthEncodesLikeTheGeneratorsEncoder()
    {
        // Short text goes through eight-character vector blocks and a scalar tail: every length up to past the
        // short-text limit, escapes and non-ASCII characters at every offset of a block, each block boundary crossed.
        string[] alphabet =
        [
            "a", "Z", "0", "9", "-", ".", "_", "~", " ", "@", "&", "=", "%", "+", "/", "`", "{", "[", "@", "\0", "\u007F",
            "é", "€", "日", "😀", "\uD83D", "\uDE00", "\u0141", "\u00C1",
        ];
        alphabet = alphabet.Select(Regex.Unescape).ToArray();
        var random = new Random(7);
        for (int i = 0; i < 20_000; i++)
        {
            int length = random.Next(0, 64);
            var builder = new StringBuilder(length);
            int escapes = random.Next(4); // mostly unreserved text, as values are
            while (builder.Length < length)
            {
                builder.Append(random.Next(8) < escapes ? alphabet[random.Next(alphabet.Length)] : alphabet[random.Next(4)]);
            }

            string value = builder.ToString();
            Assert.Equal(Internal.PercentEncoding.Encode(value), Text(value));
        }
    }

    [Fact]
    public void EightToSixteenCharactersWithOneOrTwoEscapesAtEveryPositionEncodeLikeTheGeneratorsEncoder()
    {
        // Eight to sixteen characters are classified at once; one escape moves what follows it two places, two or
        // more take the loop: every length, every position of one escape and of each pair, ASCII and not.
        string[] escapes = [" ", "@", "%", "\0", "\u007F", "é", "日", "\uD83D", "\uDE00", "😀"];
        escapes = escapes.Select(Regex.Unescape).ToArray();
        for (int length = 8; length <= 16; length++)
        {
            string clean = "aZ09-._~bY18cX27dW"[..length];
            Assert.Equal(clean, Text(clean));
            foreach (string escape in escapes)
            {
                for (int at = 0; at < length; at++)
                {
                    string one = clean[..at] + escape + clean[(at + 1)..];
                    Assert.Equal(Internal.PercentEncoding.Encode(one), Text(one));
                    for (int second = at + 1; second < length; second++)
                    {
                        string two = one[..second] + " " + one[(second + 1)..];
                        Assert.Equal(Internal.PercentEncoding.Encode(two), Text(two));
                    }
                }
            }
        }
    }

    // ---- named properties ------------------------------------------------------------------------------

    [Fact]
    public void StringPropertyIsAmpersandNameEqualsValue()
    {
        Assert.Equal("&Signed%20Up%20-%20Plan=Pro%20%26%20Co", Write((ref KissmetricsWriter w) => w.WriteString("Signed%20Up%20-%20Plan"u8, "Pro & Co")));
    }

    [Fact]
    public void NullStringOmitsTheProperty()
    {
        Assert.Equal(string.Empty, Write((ref KissmetricsWriter w) => w.WriteString("Plan"u8, null)));
        Assert.Equal("&A=1&C=3", Write((ref KissmetricsWriter w) =>
        {
            w.WriteString("A"u8, "1");
            w.WriteString("B"u8, null);
            w.WriteString("C"u8, "3");
        }));
    }

    [Fact]
    public void EmptyStringIsSentEmpty() => Assert.Equal("&Plan=", Write((ref KissmetricsWriter w) => w.WriteString("Plan"u8, string.Empty)));

    [Fact]
    public void Booleans() => Assert.Equal("&a=true&b=false", Write((ref KissmetricsWriter w) =>
    {
        w.WriteBoolean("a"u8, true);
        w.WriteBoolean("b"u8, false);
    }));

    [Fact]
    public void IntegerExtremes() => Assert.Equal(
        "&min=-9223372036854775808&max=9223372036854775807&zero=0&umax=18446744073709551615&umin=0",
        Write((ref KissmetricsWriter w) =>
        {
            w.WriteInt64("min"u8, long.MinValue);
            w.WriteInt64("max"u8, long.MaxValue);
            w.WriteInt64("zero"u8, 0);
            w.WriteUInt64("umax"u8, ulong.MaxValue);
            w.WriteUInt64("umin"u8, ulong.MinValue);
        }));

    [Fact]
    public void IntegersAtEveryDigitCountBoundaryMatchInvariantFormatting()
    {
        var expected = new StringBuilder();
        string written = Write((ref KissmetricsWriter w) =>
        {
            for (ulong power = 1; power != 0; power = power <= ulong.MaxValue / 10 ? power * 10 : 0)
            {
                foreach (ulong value in new[] { power - 1, power, power + 1, (power * 2) - 1 })
                {
                    w.WriteUInt64Value(value);
                    w.WriteInt64Value(-(long)(value & long.MaxValue));
                    expected.Append(value.ToString(CultureInfo.InvariantCulture))
                        .Append((-(long)(value & long.MaxValue)).ToString(CultureInfo.InvariantCulture));
                }
            }
        });
        Assert.Equal(expected.ToString(), written);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NonFiniteDoubleOmitsTheProperty(double value)
    {
        Assert.Equal("&a=1&c=2", Write((ref KissmetricsWriter w) =>
        {
            w.WriteInt64("a"u8, 1);
            w.WriteDouble("b"u8, value);
            w.WriteInt64("c"u8, 2);
        }));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void NonFiniteSingleOmitsTheProperty(float value) =>
        Assert.Equal(string.Empty, Write((ref KissmetricsWriter w) => w.WriteSingle("b"u8, value)));

    [Theory]
    [InlineData(1e21, "1e%2B21")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e%2B308")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(-1.5e-10, "-1.5e-10")]
    [InlineData(450.0, "450")]
    [InlineData(9.99, "9.99")]
    [InlineData(-0.0, "0")]
    public void DoublesAreJavaScriptTextPercentEncoded(double value, string expected) =>
        Assert.Equal("&n=" + expected, Write((ref KissmetricsWriter w) => w.WriteDouble("n"u8, value)));

    [Fact]
    public void SumOfTenthsKeepsEveryDigit() =>
        Assert.Equal("&n=0.30000000000000004", Write((ref KissmetricsWriter w) => w.WriteDouble("n"u8, 0.1 + 0.2)));

    [Theory]
    [InlineData(0.1f, "0.1")]
    [InlineData(1e21f, "1e%2B21")]
    [InlineData(2.5f, "2.5")]
    public void SinglesUseShortestFloatDigits(float value, string expected) =>
        Assert.Equal("&n=" + expected, Write((ref KissmetricsWriter w) => w.WriteSingle("n"u8, value)));

    // A loop, not a theory: xunit's serialization of decimal test data folds 0m, 0.000m and -0m into one case.
    [Fact]
    public void DecimalsAreInvariantWithoutTrailingZeros()
    {
        (decimal Value, string Expected)[] cases =
        [
            (450.00m, "450"),
            (0.10m, "0.1"),
            (-0.50m, "-0.5"),
            (0m, "0"),
            (0.000m, "0"),
            (1.000m, "1"),
            (100m, "100"),
            (1000.0m, "1000"),
            (10.010m, "10.01"),
            (-100m, "-100"),
            (9.99m, "9.99"),
            (decimal.MaxValue, "79228162514264337593543950335"),
            (decimal.MinValue, "-79228162514264337593543950335"),
            (0.0000000000000000000000000001m, "0.0000000000000000000000000001"),
            (new decimal(0, 0, 0, isNegative: true, scale: 2), "0"),
            (new decimal(0, 0, 0, isNegative: true, scale: 0), "0"),
        ];
        foreach ((decimal value, string expected) in cases)
        {
            string actual = Write((ref KissmetricsWriter w) => w.WriteDecimal("d"u8, value)).Substring("&d=".Length);
            Assert.Equal((value, expected), (value, actual));
        }
    }

    [Fact]
    public void DecimalsIgnoreTheCurrentCulture()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.Equal("&d=1234.5&n=1234.5", Write((ref KissmetricsWriter w) =>
            {
                w.WriteDecimal("d"u8, 1234.50m);
                w.WriteDouble("n"u8, 1234.5);
            }));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    // ---- dates --------------------------------------------------------------------------------------------

    private static string Seconds(WriteAction action) => Write(action).Substring("&t=".Length);

    [Fact]
    public void UtcAndUnspecifiedDateTimesAreUnixSeconds()
    {
        var utc = new DateTime(2014, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var unspecified = new DateTime(2014, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        Assert.Equal("1388534400", Seconds((ref KissmetricsWriter w) => w.WriteDateTime("t"u8, utc)));
        Assert.Equal("1388534400", Seconds((ref KissmetricsWriter w) => w.WriteDateTime("t"u8, unspecified)));
        Assert.Equal("1388534400", Seconds((ref KissmetricsWriter w) => w.WriteDateTime("t"u8, utc.AddMilliseconds(999.9))));
    }

    [Fact]
    public void LocalDateTimeIsConvertedToUtc()
    {
        var utc = new DateTime(2014, 7, 1, 12, 30, 0, DateTimeKind.Utc);
        DateTime local = utc.ToLocalTime();
        Assert.Equal(DateTimeKind.Local, local.Kind);
        Assert.Equal("1404217800", Seconds((ref KissmetricsWriter w) => w.WriteDateTime("t"u8, local)));
    }

    [Theory]
    [InlineData("1969-12-31T23:59:59.5000000", "-1")]
    [InlineData("1969-12-31T23:59:59.9999999", "-1")]
    [InlineData("1969-12-31T23:59:59.0000000", "-1")]
    [InlineData("1969-12-31T23:59:58.0000001", "-2")]
    [InlineData("1970-01-01T00:00:00.0000000", "0")]
    [InlineData("1970-01-01T00:00:00.9999999", "0")]
    [InlineData("1900-01-01T00:00:00.5000000", "-2208988800")]
    [InlineData("0001-01-01T00:00:00.0000000", "-62135596800")]
    [InlineData("9999-12-31T23:59:59.9999999", "253402300799")]
    public void DateTimesFloorToWholeSeconds(string utcText, string expected)
    {
        DateTime value = DateTime.ParseExact(utcText, "yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        Assert.Equal(DateTimeKind.Utc, value.Kind);
        Assert.Equal(expected, Seconds((ref KissmetricsWriter w) => w.WriteDateTime("t"u8, value)));
        Assert.Equal(expected, Seconds((ref KissmetricsWriter w) => w.WriteDateTimeOffset("t"u8, new DateTimeOffset(value))));
    }

    [Fact]
    public void DateTimeOffsetUsesItsUtcInstant()
    {
        var plusTwo = new DateTimeOffset(2014, 1, 1, 2, 0, 0, TimeSpan.FromHours(2));
        var minusFiveThirty = new DateTimeOffset(2013, 12, 31, 18, 30, 0, TimeSpan.FromHours(-5.5));
        Assert.Equal("1388534400", Seconds((ref KissmetricsWriter w) => w.WriteDateTimeOffset("t"u8, plusTwo)));
        Assert.Equal("1388534400", Seconds((ref KissmetricsWriter w) => w.WriteDateTimeOffset("t"u8, minusFiveThirty)));
    }

    [Fact]
    public void RandomInstantsMatchToUnixTimeSeconds()
    {
        // DateTimeOffset.ToUnixTimeSeconds divides ticks counted from year 1, so it floors for every instant.
        var random = new Random(7);
        for (int i = 0; i < 5_000; i++)
        {
            long ticks = random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks);
            var offset = new DateTimeOffset(ticks, TimeSpan.Zero);
            string expected = offset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            Assert.Equal(expected, Seconds((ref KissmetricsWriter w) => w.WriteDateTimeOffset("t"u8, offset)));
            Assert.Equal(expected, Seconds((ref KissmetricsWriter w) => w.WriteDateTime("t"u8, offset.UtcDateTime)));
        }
    }

    [Theory]
    [InlineData(2014, 1, 1, "1388534400")]
    [InlineData(1970, 1, 1, "0")]
    [InlineData(1969, 12, 31, "-86400")]
    [InlineData(1, 1, 1, "-62135596800")]
    public void DateOnlyIsMidnightUtc(int year, int month, int day, string expected) =>
        Assert.Equal(expected, Seconds((ref KissmetricsWriter w) => w.WriteDateOnly("t"u8, new DateOnly(year, month, day))));

    // ---- guid, encoded values, lists ----------------------------------------------------------------------

    [Fact]
    public void GuidIsDFormat()
    {
        var id = Guid.Parse("{0F8FAD5B-D9CB-469F-A165-70867728950E}");
        Assert.Equal("&id=0f8fad5b-d9cb-469f-a165-70867728950e", Write((ref KissmetricsWriter w) => w.WriteGuid("id"u8, id)));
        Assert.Equal("&id=" + Guid.Empty.ToString("D"), Write((ref KissmetricsWriter w) => w.WriteGuid("id"u8, Guid.Empty)));
    }

    [Fact]
    public void PreEncodedValuesAreCopiedVerbatim() => Assert.Equal("&Tier=Gold%20Plus", Write((ref KissmetricsWriter w) => w.WriteEncoded("Tier"u8, "Gold%20Plus"u8)));

    [Fact]
    public void ListElementsAreJoinedWithAnEncodedComma()
    {
        Assert.Equal("&Tags=a%2Cb%2Cc%2Cd%2Ce%20f", Write((ref KissmetricsWriter w) =>
        {
            w.WriteName("Tags"u8);
            w.WriteStringValue("a");
            w.WriteListSeparator();
            w.WriteStringValue("b,c");
            w.WriteListSeparator();
            w.WriteEncodedValue("d"u8);
            w.WriteListSeparator();
            w.WriteStringValue("e f");
        }));
    }

    [Fact]
    public void NullListElementsAreEmpty()
    {
        Assert.Equal("&n=1%2C%2C2%2Ctrue%2C1e%2B21%2C0.5", Write((ref KissmetricsWriter w) =>
        {
            w.WriteName("n"u8);
            w.WriteInt64Value(1);
            w.WriteListSeparator();
            w.WriteStringValue(null);
            w.WriteListSeparator();
            w.WriteUInt64Value(2);
            w.WriteListSeparator();
            w.WriteBooleanValue(true);
            w.WriteListSeparator();
            w.WriteDoubleValue(1e21);
            w.WriteListSeparator();
            w.WriteDecimalValue(0.50m);
        }));
    }

    [Fact]
    public void EmptyListIsSentEmpty() => Assert.Equal("&Tags=", Write((ref KissmetricsWriter w) => w.WriteName("Tags"u8)));

    // ---- revenue, formatted once under two names ------------------------------------------------------------

    [Fact]
    public void RevenueIsRepeatedAsBillingAmountUnlessZero() => Assert.Equal(
        "&a=450&B=450&b=0&c=-0.5&B=-0.5&d=0.2&B=0.2&e=0&f=7&B=7&g=0&h=18446744073709551615&B=18446744073709551615&i=0"
        + "&j=1.5&B=1.5&k=0&m=0",
        Write((ref KissmetricsWriter w) =>
        {
            w.WriteDecimal("a"u8, "B"u8, 450.00m);
            w.WriteDecimal("b"u8, "B"u8, 0.000m);
            w.WriteDecimal("c"u8, "B"u8, -0.50m);
            w.WriteDouble("d"u8, "B"u8, 0.2);
            w.WriteDouble("e"u8, "B"u8, -0.0);
            w.WriteDouble("n"u8, "B"u8, double.NaN);
            w.WriteInt64("f"u8, "B"u8, 7);
            w.WriteInt64("g"u8, "B"u8, 0);
            w.WriteUInt64("h"u8, "B"u8, ulong.MaxValue);
            w.WriteUInt64("i"u8, "B"u8, 0);
            w.WriteSingle("j"u8, "B"u8, 1.5f);
            w.WriteSingle("k"u8, "B"u8, -0.0f);
            w.WriteSingle("l"u8, "B"u8, float.PositiveInfinity);
            w.WriteDecimal("m"u8, "B"u8, -0.0m);
        }));

    // ---- buffering ---------------------------------------------------------------------------------------

    [Fact]
    public void FlushCommitsAndWritingGoesOn()
    {
        var buffer = new ArrayBufferWriter<byte>(1);
        var writer = new KissmetricsWriter(buffer);
        writer.WriteString("a"u8, "1");
        writer.Flush();
        Assert.Equal("&a=1", Encoding.ASCII.GetString(buffer.WrittenSpan));
        writer.Flush();
        writer.WriteBoolean("b"u8, true);
        writer.Flush();
        Assert.Equal("&a=1&b=true", Encoding.ASCII.GetString(buffer.WrittenSpan));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TenThousandPropertiesAcrossAGrowingBuffer(bool tight)
    {
        // Tight: every span is exactly as long as asked, in a new array followed by guard bytes, so a write past
        // what the writer reserved shows up as a changed guard rather than passing in spare room.
        var random = new Random(42);
        IBufferWriter<byte> output = tight ? new GuardedBufferWriter() : new ArrayBufferWriter<byte>(16);
        var writer = new KissmetricsWriter(output);
        var expected = new StringBuilder();
        for (int i = 0; i < 10_000; i++)
        {
            switch (i % 8)
            {
                case 0:
                    string text = RandomText(random, random.Next(0, 400));
                    writer.WriteString("Text"u8, text);
                    expected.Append("&Text=").Append(Uri.EscapeDataString(text));
                    break;
                case 1:
                    long number = random.NextInt64(long.MinValue, long.MaxValue);
                    writer.WriteInt64("Long"u8, number);
                    expected.Append("&Long=").Append(number.ToString(CultureInfo.InvariantCulture));
                    break;
                case 2:
                    writer.WriteBoolean("Flag"u8, i % 3 == 0);
                    expected.Append("&Flag=").Append(i % 3 == 0 ? "true" : "false");
                    break;
                case 3:
                    double small = Math.Round(random.NextDouble() * 1000, 3);
                    writer.WriteDouble("Double"u8, small);
                    expected.Append("&Double=").Append(small.ToString("R", CultureInfo.InvariantCulture));
                    break;
                case 4:
                    var guid = new Guid(random.Next(), (short)random.Next(), (short)random.Next(), 1, 2, 3, 4, 5, 6, 7, 8);
                    writer.WriteGuid("Guid"u8, guid);
                    expected.Append("&Guid=").Append(guid.ToString("D"));
                    break;
                case 5:
                    var when = new DateTimeOffset(random.NextInt64(DateTime.UnixEpoch.Ticks, DateTime.MaxValue.Ticks), TimeSpan.Zero);
                    writer.WriteDateTimeOffset("When"u8, when);
                    expected.Append("&When=").Append(when.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
                    break;
                case 6:
                    string name = "Name" + i.ToString(CultureInfo.InvariantCulture);
                    writer.WriteString(Encoding.ASCII.GetBytes(name), "é " + name);
                    expected.Append('&').Append(name).Append("=%C3%A9%20").Append(name);
                    break;
                default:
                    // A pre-encoded value larger than the writer's minimum request, then a flush mid-stream.
                    byte[] encoded = new byte[random.Next(0, 700)];
                    encoded.AsSpan().Fill((byte)'x');
                    writer.WriteEncoded("Big%20Name"u8, encoded);
                    writer.Flush();
                    expected.Append("&Big%20Name=").Append('x', encoded.Length);
                    break;
            }
        }

        writer.Flush();
        ReadOnlySpan<byte> written = output is GuardedBufferWriter guarded ? guarded.Written() : ((ArrayBufferWriter<byte>)output).WrittenSpan;
        Assert.Equal(expected.ToString(), Encoding.ASCII.GetString(written));
    }

    public static TheoryData<string> ValuesAtTheEndOfASpan() =>
    [
        "i", "u", "m", "s", "d", "e", "f", "g", "t", "b", "x", "y", "z", "w", "a", "c", "o", "p", "q", "v", "k", "j", "n", "l", "r", "R",
    ];

    [Theory]
    [MemberData(nameof(ValuesAtTheEndOfASpan))]
    public void EveryKindOfValueStaysWithinTheBytesItReserved(string kind)
    {
        // Each value written after every length of filler, so that it ends at every offset near the end of the span
        // the buffer writer gave; a store past what the value reserved changes the guard bytes after that span.
        (WriteAction write, string expected) = kind switch
        {
            "i" => Case((ref KissmetricsWriter w) => w.WriteInt64("i"u8, long.MinValue), "&i=-9223372036854775808"),
            "u" => Case((ref KissmetricsWriter w) => w.WriteUInt64("u"u8, ulong.MaxValue), "&u=18446744073709551615"),
            "m" => Case((ref KissmetricsWriter w) => w.WriteDecimal("m"u8, decimal.MinValue), "&m=-79228162514264337593543950335"),
            "s" => Case((ref KissmetricsWriter w) => w.WriteDecimal("s"u8, -0.0000000000000000000000000001m), "&s=-0.0000000000000000000000000001"),
            "d" => Case((ref KissmetricsWriter w) => w.WriteDouble("d"u8, -1.7976931348623157e308), "&d=-1.7976931348623157e%2B308"),
            "e" => Case((ref KissmetricsWriter w) => w.WriteDouble("e"u8, -5e-324), "&e=-5e-324"),
            "f" => Case((ref KissmetricsWriter w) => w.WriteSingle("f"u8, -3.4028235e38f), "&f=-3.4028235e%2B38"),
            "g" => Case((ref KissmetricsWriter w) => w.WriteGuid("g"u8, Guid.AllBitsSet), "&g=ffffffff-ffff-ffff-ffff-ffffffffffff"),
            "t" => Case((ref KissmetricsWriter w) => w.WriteDateTimeOffset("t"u8, DateTimeOffset.MinValue), "&t=-62135596800"),
            "b" => Case((ref KissmetricsWriter w) => w.WriteBoolean("b"u8, false), "&b=false"),
            "x" => Case((ref KissmetricsWriter w) => w.WriteString("x"u8, "😀"), "&x=%F0%9F%98%80"),
            "y" => Case((ref KissmetricsWriter w) => w.WriteString("y"u8, "a😀%%%%%%%%%"), "&y=a%F0%9F%98%80%25%25%25%25%25%25%25%25%25"),
            "z" => Case((ref KissmetricsWriter w) => w.WriteString("z"u8, "%%%%%%%%%"), "&z=%25%25%25%25%25%25%25%25%25"),
            "w" => Case((ref KissmetricsWriter w) => w.WriteString("w"u8, "abcdefgh%"), "&w=abcdefgh%25"),
            "a" => Case((ref KissmetricsWriter w) => w.WriteString("a"u8, "%%%"), "&a=%25%25%25"),
            "c" => Case((ref KissmetricsWriter w) => w.WriteString("c"u8, "Lisbon"), "&c=Lisbon"),
            "v" => Case((ref KissmetricsWriter w) => w.WriteDecimal("v"u8, "Billing%20Amount"u8, 450m), "&v=450&Billing%20Amount=450"),
            "k" => Case((ref KissmetricsWriter w) => w.WriteInt64("k"u8, "c"u8, 7), "&k=7&c=7"),
            "j" => Case((ref KissmetricsWriter w) => w.WriteDouble("j"u8, "c"u8, -1234.5678), "&j=-1234.5678&c=-1234.5678"),
            "o" => Case((ref KissmetricsWriter w) => w.WriteString("o"u8, "abcdefghijklmno "), "&o=abcdefghijklmno%20"),
            "p" => Case((ref KissmetricsWriter w) => w.WriteString("p"u8, " bcdefgh"), "&p=%20bcdefgh"),
            "q" => Case((ref KissmetricsWriter w) => w.WriteString("q"u8, "abcdefghijklmnop"), "&q=abcdefghijklmnop"),
            "r" => Case((ref KissmetricsWriter w) => w.WriteDecimal("r"u8, "Billing%20Amount"u8, decimal.MinValue), "&r=-79228162514264337593543950335&Billing%20Amount=-79228162514264337593543950335"),
            "R" => Case((ref KissmetricsWriter w) => w.WriteDouble("R"u8, "Billing%20Amount"u8, -1.7976931348623157e308), "&R=-1.7976931348623157e%2B308&Billing%20Amount=-1.7976931348623157e%2B308"),
            "l" => Case((ref KissmetricsWriter w) => w.WriteString("l"u8, new string('%', 60)), "&l=" + string.Concat(Enumerable.Repeat("%25", 60))),
            _ => Case((ref KissmetricsWriter w) => w.WriteEncoded("n"u8, "v"u8), "&n=v"),
        };

        for (int filler = 0; filler <= 256; filler++)
        {
            var output = new GuardedBufferWriter();
            var writer = new KissmetricsWriter(output);
            writer.WriteAscii(new byte[filler].AsSpan());
            write(ref writer);
            writer.Flush();
            Assert.Equal(expected, Encoding.ASCII.GetString(output.Written()[filler..]));
        }
    }

    [Fact]
    public void ABufferWriterThatGivesLessThanAskedIsAnError()
    {
        var writer = new KissmetricsWriter(new ShortBufferWriter());
        InvalidOperationException error = null!;
        try
        {
            writer.WriteString("Plan"u8, "Pro");
        }
        catch (InvalidOperationException e)
        {
            error = e;
        }

        Assert.NotNull(error);
        Assert.Contains("GetSpan", error.Message, StringComparison.Ordinal);
    }

    private static (WriteAction Write, string Expected) Case(WriteAction write, string expected) => (write, expected);

    /// <summary>Hands out exactly the bytes asked, each time in a new array followed by guard bytes it checks on every call.</summary>
    private sealed class GuardedBufferWriter : IBufferWriter<byte>
    {
        private const int GuardLength = 64;
        private const byte Guard = 0xA5;
        private readonly System.Collections.Generic.List<byte> _written = [];
        private byte[] _current = [];
        private int _length;
        private bool _advanced;

        public void Advance(int count)
        {
            CheckGuard();
            Assert.InRange(count, 0, _length);
            Assert.False(_advanced, "Advance was called twice for one span");
            _written.AddRange(_current.AsSpan(0, count).ToArray());
            _advanced = true;
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => throw new NotSupportedException();

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            CheckGuard();
            _length = Math.Max(sizeHint, 1);
            _advanced = false;
            _current = new byte[_length + GuardLength];
            _current.AsSpan(_length).Fill(Guard);
            return _current.AsSpan(0, _length);
        }

        public ReadOnlySpan<byte> Written()
        {
            CheckGuard();
            return _written.ToArray();
        }

        private void CheckGuard()
        {
            if (_current.Length > 0)
            {
                Assert.True(_current.AsSpan(_length).IndexOfAnyExcept(Guard) < 0, "the writer wrote past the span it was given");
            }
        }
    }

    /// <summary>Breaks the <see cref="IBufferWriter{T}"/> contract: always one byte.</summary>
    private sealed class ShortBufferWriter : IBufferWriter<byte>
    {
        public void Advance(int count)
        {
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => new byte[1];

        public Span<byte> GetSpan(int sizeHint = 0) => new byte[1];
    }

    private static string RandomText(Random random, int length)
    {
        const string alphabet = "abcXYZ019-._~ &=#+%?/\n\té€日😀";
        var builder = new StringBuilder(length + 1);
        while (builder.Length < length)
        {
            int index = random.Next(alphabet.Length);
            char c = alphabet[index];
            if (char.IsHighSurrogate(c))
            {
                builder.Append(c).Append(alphabet[index + 1]);
            }
            else if (!char.IsLowSurrogate(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
