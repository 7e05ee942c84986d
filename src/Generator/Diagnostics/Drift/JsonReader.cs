using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Kissmetrics.Typed.Generator.Diagnostics.Drift;

/// <summary>
/// A small, strict JSON reader (RFC 8259) for the checked-in tracking plan. Why not System.Text.Json: this assembly is
/// a netstandard2.0 analyzer, loaded by every compiler host, Visual Studio on .NET Framework included, which does not
/// ship System.Text.Json and may load a different version of it than we would reference; an analyzer cannot bring
/// its own copy safely. The plan is small and machine-written, so a reader of a few hundred lines is enough.
/// Strict: one value, no comments, no trailing commas, no leading zeros, no unescaped control characters, no lone
/// surrogates, no duplicate keys; every value keeps its span in the text (for diagnostics in the file).
/// </summary>
internal static class JsonReader
{
    /// <summary>Deeper nesting than this is rejected instead of risking the stack (a plan is 6 levels deep).</summary>
    public const int MaxDepth = 64;

    /// <summary>Parses <paramref name="text"/> as exactly one JSON value.</summary>
    /// <exception cref="JsonReadException">The text is not valid JSON.</exception>
    public static JsonValue Parse(string text)
    {
        var parser = new Parser(text ?? throw new ArgumentNullException(nameof(text)));
        parser.SkipWhiteSpace();
        JsonValue value = parser.ReadValue(depth: 0);
        parser.SkipWhiteSpace();
        if (!parser.AtEnd)
        {
            throw parser.Error("unexpected text after the JSON value");
        }

        return value;
    }

    private sealed class Parser
    {
        private readonly string _text;
        private int _position;

        public Parser(string text) => _text = text;

        public bool AtEnd => _position >= _text.Length;

        public JsonReadException Error(string message) => Error(message, _position);

        public JsonReadException Error(string message, int position) => new(message, Math.Min(position, _text.Length));

        public void SkipWhiteSpace()
        {
            while (_position < _text.Length && _text[_position] is ' ' or '\t' or '\n' or '\r')
            {
                _position++;
            }
        }

        public JsonValue ReadValue(int depth)
        {
            if (depth > MaxDepth)
            {
                throw Error("nested deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels");
            }

            if (AtEnd)
            {
                throw Error("unexpected end of the text, a value was expected");
            }

            char c = _text[_position];
            switch (c)
            {
                case '{':
                    return ReadObject(depth);
                case '[':
                    return ReadArray(depth);
                case '"':
                    int start = _position;
                    string value = ReadString();
                    return new JsonString(value, start, _position - start);
                case 't':
                    return ReadLiteral("true", JsonKind.True);
                case 'f':
                    return ReadLiteral("false", JsonKind.False);
                case 'n':
                    return ReadLiteral("null", JsonKind.Null);
                default:
                    if (c == '-' || (c >= '0' && c <= '9'))
                    {
                        return ReadNumber();
                    }

                    throw Error("unexpected character '" + Printable(c) + "', a value was expected");
            }
        }

        private JsonValue ReadLiteral(string literal, JsonKind kind)
        {
            int start = _position;
            if (string.CompareOrdinal(_text, _position, literal, 0, literal.Length) != 0)
            {
                throw Error("unexpected text, '" + literal + "' or another value was expected");
            }

            _position += literal.Length;
            return new JsonLiteral(kind, start, literal.Length);
        }

        private JsonObject ReadObject(int depth)
        {
            int start = _position;
            _position++; // {
            var members = new List<KeyValuePair<JsonString, JsonValue>>();
            var keys = new HashSet<string>(StringComparer.Ordinal);
            SkipWhiteSpace();
            if (Peek() == '}')
            {
                _position++;
                return new JsonObject(members, start, _position - start);
            }

            while (true)
            {
                SkipWhiteSpace();
                if (Peek() != '"')
                {
                    throw Error(Peek() == '}' ? "a trailing comma is not allowed" : "a property name in double quotes was expected");
                }

                int keyStart = _position;
                string key = ReadString();
                var name = new JsonString(key, keyStart, _position - keyStart);
                if (!keys.Add(key))
                {
                    throw Error("the property '" + key + "' appears twice in one object", keyStart);
                }

                SkipWhiteSpace();
                Expect(':', "':' was expected after a property name");
                SkipWhiteSpace();
                members.Add(new KeyValuePair<JsonString, JsonValue>(name, ReadValue(depth + 1)));
                SkipWhiteSpace();
                char next = Peek();
                _position++;
                if (next == '}')
                {
                    return new JsonObject(members, start, _position - start);
                }

                if (next != ',')
                {
                    _position--;
                    throw Error(AtEnd ? "unexpected end of the text, '}' was expected" : "',' or '}' was expected");
                }
            }
        }

        private JsonArray ReadArray(int depth)
        {
            int start = _position;
            _position++; // [
            var items = new List<JsonValue>();
            SkipWhiteSpace();
            if (Peek() == ']')
            {
                _position++;
                return new JsonArray(items, start, _position - start);
            }

            while (true)
            {
                SkipWhiteSpace();
                if (Peek() == ']')
                {
                    throw Error("a trailing comma is not allowed");
                }

                items.Add(ReadValue(depth + 1));
                SkipWhiteSpace();
                char next = Peek();
                _position++;
                if (next == ']')
                {
                    return new JsonArray(items, start, _position - start);
                }

                if (next != ',')
                {
                    _position--;
                    throw Error(AtEnd ? "unexpected end of the text, ']' was expected" : "',' or ']' was expected");
                }
            }
        }

        private string ReadString()
        {
            int start = _position;
            _position++; // "
            var builder = new StringBuilder();
            while (true)
            {
                if (AtEnd)
                {
                    throw Error("unterminated string", start);
                }

                char c = _text[_position];
                if (c == '"')
                {
                    _position++;
                    return builder.ToString();
                }

                if (c < ' ')
                {
                    throw Error("a control character must be escaped in a string");
                }

                if (char.IsHighSurrogate(c) && _position + 1 < _text.Length && char.IsLowSurrogate(_text[_position + 1]))
                {
                    builder.Append(c).Append(_text[_position + 1]);
                    _position += 2;
                    continue;
                }

                if (char.IsSurrogate(c))
                {
                    throw Error("a lone surrogate in a string");
                }

                if (c != '\\')
                {
                    builder.Append(c);
                    _position++;
                    continue;
                }

                int escape = _position;
                _position++;
                if (AtEnd)
                {
                    throw Error("unterminated string", start);
                }

                char e = _text[_position++];
                switch (e)
                {
                    case '"': builder.Append('"'); break;
                    case '\\': builder.Append('\\'); break;
                    case '/': builder.Append('/'); break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'n': builder.Append('\n'); break;
                    case 'r': builder.Append('\r'); break;
                    case 't': builder.Append('\t'); break;
                    case 'u':
                        char unit = ReadHex4(escape);
                        if (char.IsHighSurrogate(unit))
                        {
                            // A character outside the BMP is escaped as a surrogate pair: \uD83D\uDE00.
                            int low = _position;
                            if (_position + 1 < _text.Length && _text[_position] == '\\' && _text[_position + 1] == 'u')
                            {
                                _position += 2;
                                char second = ReadHex4(low);
                                if (char.IsLowSurrogate(second))
                                {
                                    builder.Append(unit).Append(second);
                                    break;
                                }
                            }

                            throw Error("a high surrogate escape must be followed by a low surrogate escape", escape);
                        }

                        if (char.IsLowSurrogate(unit))
                        {
                            throw Error("a low surrogate escape without a high surrogate before it", escape);
                        }

                        builder.Append(unit);
                        break;
                    default:
                        throw Error("invalid escape '\\" + Printable(e) + "'", escape);
                }
            }
        }

        private char ReadHex4(int escape)
        {
            if (_position + 4 > _text.Length)
            {
                throw Error("\\u must be followed by four hexadecimal digits", escape);
            }

            int value = 0;
            for (int i = 0; i < 4; i++)
            {
                char h = _text[_position + i];
                int digit = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                if (digit < 0)
                {
                    throw Error("\\u must be followed by four hexadecimal digits", escape);
                }

                value = (value * 16) + digit;
            }

            _position += 4;
            return (char)value;
        }

        private JsonNumber ReadNumber()
        {
            int start = _position;
            if (Peek() == '-')
            {
                _position++;
            }

            if (Peek() == '0')
            {
                _position++;
                if (IsDigit(Peek()))
                {
                    throw Error("a number cannot have a leading zero");
                }
            }
            else if (!ReadDigits())
            {
                throw Error("a digit was expected");
            }

            if (Peek() == '.')
            {
                _position++;
                if (!ReadDigits())
                {
                    throw Error("a digit was expected after '.'");
                }
            }

            if (Peek() is 'e' or 'E')
            {
                _position++;
                if (Peek() is '+' or '-')
                {
                    _position++;
                }

                if (!ReadDigits())
                {
                    throw Error("a digit was expected in the exponent");
                }
            }

            string raw = _text.Substring(start, _position - start);
            return new JsonNumber(raw, start, _position - start);
        }

        private bool ReadDigits()
        {
            int start = _position;
            while (IsDigit(Peek()))
            {
                _position++;
            }

            return _position > start;
        }

        private void Expect(char c, string message)
        {
            if (Peek() != c)
            {
                throw Error(message);
            }

            _position++;
        }

        private char Peek() => _position < _text.Length ? _text[_position] : '\0';

        private static bool IsDigit(char c) => c >= '0' && c <= '9';

        private static string Printable(char c) => c < ' ' || c > '~' ? "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) : c.ToString();
    }
}

/// <summary>Thrown by <see cref="JsonReader.Parse"/>: what is wrong and where (a character offset in the text).</summary>
internal sealed class JsonReadException : Exception
{
    public JsonReadException(string message, int position)
        : base(message) => Position = position;

    public int Position { get; }
}

/// <summary>The kinds of JSON values.</summary>
internal enum JsonKind
{
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
}

/// <summary>A JSON value with the span of its text (for a diagnostic's location).</summary>
internal abstract class JsonValue
{
    protected JsonValue(JsonKind kind, int start, int length)
    {
        Kind = kind;
        Start = start;
        Length = length;
    }

    public JsonKind Kind { get; }

    /// <summary>The offset of the value's first character in the text.</summary>
    public int Start { get; }

    /// <summary>The length of the value's text (quotes and brackets included).</summary>
    public int Length { get; }
}

/// <summary><c>true</c>, <c>false</c> or <c>null</c>.</summary>
internal sealed class JsonLiteral : JsonValue
{
    public JsonLiteral(JsonKind kind, int start, int length)
        : base(kind, start, length)
    {
    }
}

/// <summary>A string, unescaped.</summary>
internal sealed class JsonString : JsonValue
{
    public JsonString(string value, int start, int length)
        : base(JsonKind.String, start, length) => Value = value;

    public string Value { get; }
}

/// <summary>A number, kept as its text (the plan only compares numbers, it never computes with them).</summary>
internal sealed class JsonNumber : JsonValue
{
    public JsonNumber(string text, int start, int length)
        : base(JsonKind.Number, start, length) => Text = text;

    public string Text { get; }

    /// <summary>The value as an <see cref="int"/>, if it is one.</summary>
    public int? AsInt32() => int.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) ? value : null;
}

/// <summary>An array.</summary>
internal sealed class JsonArray : JsonValue
{
    public JsonArray(IReadOnlyList<JsonValue> items, int start, int length)
        : base(JsonKind.Array, start, length) => Items = items;

    public IReadOnlyList<JsonValue> Items { get; }
}

/// <summary>An object: its members in order, keys unique.</summary>
internal sealed class JsonObject : JsonValue
{
    public JsonObject(IReadOnlyList<KeyValuePair<JsonString, JsonValue>> members, int start, int length)
        : base(JsonKind.Object, start, length) => Members = members;

    public IReadOnlyList<KeyValuePair<JsonString, JsonValue>> Members { get; }

    /// <summary>The value of <paramref name="name"/>, or <see langword="null"/> when there is none.</summary>
    public JsonValue? this[string name]
    {
        get
        {
            foreach (KeyValuePair<JsonString, JsonValue> member in Members)
            {
                if (member.Key.Value == name)
                {
                    return member.Value;
                }
            }

            return null;
        }
    }
}
