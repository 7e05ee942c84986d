using System.Linq;
using Kissmetrics.Typed.Generator.Diagnostics.Drift;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

/// <summary>The drift check's strict JSON reader (the analyzer cannot rely on System.Text.Json in every host).</summary>
public sealed class PlanJsonReaderTests
{
    [Fact]
    public void Reads_every_kind_of_value_with_its_span()
    {
        const string Text = " { \"a\" : [1, -2.5e+3, 0, true, false, null, \"x\", {}, []], \"b\": {\"c\": \"d\"} } ";

        var root = Assert.IsType<JsonObject>(JsonReader.Parse(Text));
        Assert.Equal(1, root.Start);
        Assert.Equal(Text.Length - 2, root.Length);
        var a = Assert.IsType<JsonArray>(root["a"]);
        Assert.Equal(
            new[] { JsonKind.Number, JsonKind.Number, JsonKind.Number, JsonKind.True, JsonKind.False, JsonKind.Null, JsonKind.String, JsonKind.Object, JsonKind.Array },
            a.Items.Select(i => i.Kind));
        Assert.Equal("-2.5e+3", ((JsonNumber)a.Items[1]).Text);
        Assert.Equal(1, ((JsonNumber)a.Items[0]).AsInt32());
        JsonString x = (JsonString)a.Items[6];
        Assert.Equal("\"x\"", Text.Substring(x.Start, x.Length));
        Assert.Equal("d", ((JsonString)((JsonObject)root["b"]!)["c"]!).Value);
        Assert.Null(root["missing"]);
    }

    [Theory]
    [InlineData("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"", "\" \\ / \b \f \n \r \t")]
    [InlineData("\"caf\\u00e9 \\u00E9\"", "café é")]
    [InlineData("\"\\uD83D\\uDE00\"", "\U0001F600")]
    [InlineData("\"\U0001F600 plain\"", "\U0001F600 plain")]
    [InlineData("\"Rückgabe – 返品\"", "Rückgabe – 返品")]
    public void Unescapes_strings(string json, string expected) =>
        Assert.Equal(expected, Assert.IsType<JsonString>(JsonReader.Parse(json)).Value);

    [Theory]
    [InlineData("", 0, "unexpected end of the text, a value was expected")]
    [InlineData("[1,]", 3, "a trailing comma is not allowed")]
    [InlineData("{\"a\":1,}", 7, "a trailing comma is not allowed")]
    [InlineData("{\"a\":1 \"b\":2}", 7, "',' or '}' was expected")]
    [InlineData("[1 2]", 3, "',' or ']' was expected")]
    [InlineData("{\"a\" 1}", 5, "':' was expected after a property name")]
    [InlineData("{a:1}", 1, "a property name in double quotes was expected")]
    [InlineData("{\"a\":1,\"a\":2}", 7, "the property 'a' appears twice in one object")]
    [InlineData("01", 1, "a number cannot have a leading zero")]
    [InlineData("1.", 2, "a digit was expected after '.'")]
    [InlineData("1e", 2, "a digit was expected in the exponent")]
    [InlineData("-", 1, "a digit was expected")]
    [InlineData("+1", 0, "unexpected character '+', a value was expected")]
    [InlineData("tru", 0, "unexpected text, 'true' or another value was expected")]
    [InlineData("1 2", 2, "unexpected text after the JSON value")]
    [InlineData("// comment\n1", 0, "unexpected character '/', a value was expected")]
    [InlineData("\"abc", 0, "unterminated string")]
    [InlineData("\"a\tb\"", 2, "a control character must be escaped in a string")]
    [InlineData("\"\\x\"", 1, "invalid escape '\\x'")]
    [InlineData("\"\\u12\"", 1, "\\u must be followed by four hexadecimal digits")]
    [InlineData("\"\\uD83D\"", 1, "a high surrogate escape must be followed by a low surrogate escape")]
    [InlineData("\"\\uD83D\\u0041\"", 1, "a high surrogate escape must be followed by a low surrogate escape")]
    [InlineData("\"\\uDE00\"", 1, "a low surrogate escape without a high surrogate before it")]
    [InlineData("[1", 2, "unexpected end of the text, ']' was expected")]
    [InlineData("{\"a\":1", 6, "unexpected end of the text, '}' was expected")]
    public void Rejects_what_is_not_strict_json_saying_where(string json, int position, string message)
    {
        JsonReadException exception = Assert.Throws<JsonReadException>(() => JsonReader.Parse(json));

        Assert.Equal(message, exception.Message);
        Assert.Equal(position, exception.Position);
    }

    [Fact]
    public void A_lone_surrogate_in_the_text_is_an_error()
    {
        // Not theory data: xunit cannot serialize an invalid UTF-16 string.
        foreach (string json in new[] { "\"a" + '\uD83D' + "\"", "\"a" + '\uDE00' + "b\"" })
        {
            JsonReadException exception = Assert.Throws<JsonReadException>(() => JsonReader.Parse(json));
            Assert.Equal("a lone surrogate in a string", exception.Message);
            Assert.Equal(2, exception.Position);
        }
    }

    [Fact]
    public void Deep_nesting_is_an_error_not_a_stack_overflow()
    {
        string deep = new string('[', 10_000) + new string(']', 10_000);

        JsonReadException exception = Assert.Throws<JsonReadException>(() => JsonReader.Parse(deep));
        Assert.StartsWith("nested deeper than 64 levels", exception.Message, System.StringComparison.Ordinal);
        Assert.IsType<JsonArray>(JsonReader.Parse(new string('[', 60) + new string(']', 60)));
    }

    [Fact]
    public void A_plan_is_read_by_kind_type_and_member_ignoring_fields_it_does_not_compare()
    {
        const string Text = """
            {
              "$comment": "Generated",
              "planVersion": 1,
              "assembly": "Shop",
              "entries": [
                {
                  "kind": "track",
                  "type": "Shop.SignedUp",
                  "name": "Signed Up",
                  "description": "ignored",
                  "properties": [ { "member": "Plan", "name": "Plan", "prefixedName": "Signed Up - Plan", "type": "string", "required": true, "enum": ["a"] } ],
                  "schema": { "anything": [1, 2] }
                }
              ]
            }
            """;

        PlanFileEntry entry = Assert.Single(PlanFile.Read(Text).Entries);
        Assert.Equal(("track", "Shop.SignedUp", "Signed Up", (string?)null), (entry.Kind, entry.Type, entry.Name, entry.CategorizedName));
        PlanFileProperty property = Assert.Single(entry.Properties);
        Assert.Equal(("Plan", "Plan", "Signed Up - Plan", "string", (string?)null), (property.Member, property.Name, property.PrefixedName, property.JsonType, property.Format));
        Assert.Null(entry.Products);
        Assert.Equal("\"Shop.SignedUp\"", Text.Substring(entry.TypeValue.Start, entry.TypeValue.Length));
    }

    [Theory]
    [InlineData("[]", "the plan must be a JSON object")]
    [InlineData("{\"entries\": []}", "the plan has no 'planVersion'")]
    [InlineData("{\"planVersion\": \"1\", \"entries\": []}", "'planVersion' must be 1; this plan was written by another version of Kissmetrics.Typed")]
    [InlineData("{\"planVersion\": 1}", "there is no 'entries' array")]
    [InlineData("{\"planVersion\": 1, \"entries\": {}}", "'entries' must be a JSON array")]
    [InlineData("{\"planVersion\": 1, \"entries\": [1]}", "an entry must be a JSON object")]
    [InlineData("{\"planVersion\": 1, \"entries\": [{\"kind\": 1, \"type\": \"T\"}]}", "'kind' must be a string")]
    [InlineData("{\"planVersion\": 1, \"entries\": [{\"kind\": \"track\", \"type\": \"T\"}]}", "an entry has no 'properties'")]
    [InlineData("{\"planVersion\": 1, \"entries\": [{\"kind\": \"track\", \"type\": \"T\", \"properties\": [{\"member\": \"A\", \"name\": \"A\"}]}]}", "a property has no 'type'")]
    [InlineData("{\"planVersion\": 1, \"entries\": [{\"kind\": \"track\", \"type\": \"T\", \"properties\": []}, {\"kind\": \"track\", \"type\": \"T\", \"properties\": []}]}", "the track entry of 'T' appears twice")]
    public void A_json_file_that_is_not_a_plan_is_an_error(string json, string message) =>
        Assert.Equal(message, Assert.Throws<JsonReadException>(() => PlanFile.Read(json)).Message);
}
