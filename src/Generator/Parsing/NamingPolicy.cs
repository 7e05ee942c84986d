using System;
using System.Collections.Generic;
using System.Text;

namespace Kissmetrics.Typed.Generator.Parsing;

/// <summary>The project-wide naming policy for members without <c>[KissmetricsProperty]</c> (MSBuild property <c>KissmetricsNamingPolicy</c>).</summary>
internal enum NamingPolicy
{
    AsDeclared,
    CamelCase,
    SnakeCase,
    TitleCase,
}

internal static class NamingPolicies
{
    /// <summary>The MSBuild property, as the generator and analyzers see it.</summary>
    public const string BuildProperty = "build_property.KissmetricsNamingPolicy";

    /// <summary>The accepted values as the docs spell them, for messages.</summary>
    public const string AcceptedValues = "AsDeclared, camelCase, snake_case, TitleCase";

    /// <summary>Reads the policy; anything unknown is the default, and <see cref="TryParse"/> tells the analyzer (KM024) to report it.</summary>
    public static NamingPolicy Parse(string? value) => TryParse(value, out NamingPolicy policy) ? policy : NamingPolicy.AsDeclared;

    /// <summary>
    /// Reads the policy leniently (case, <c>_</c>, <c>-</c> and spaces do not matter, so <c>snake_case</c>, <c>SnakeCase</c>
    /// and <c>snake</c> are one); an empty or missing value is the default. False for anything else, such as <c>kebab</c>.
    /// </summary>
    public static bool TryParse(string? value, out NamingPolicy policy)
    {
        string normalized = (value ?? string.Empty).Replace("_", string.Empty).Replace("-", string.Empty).Replace(" ", string.Empty).Trim().ToLowerInvariant();
        switch (normalized)
        {
            case "" or "asdeclared":
                policy = NamingPolicy.AsDeclared;
                return true;
            case "camelcase" or "camel":
                policy = NamingPolicy.CamelCase;
                return true;
            case "snakecase" or "snake":
                policy = NamingPolicy.SnakeCase;
                return true;
            case "titlecase" or "title":
                policy = NamingPolicy.TitleCase;
                return true;
            default:
                policy = NamingPolicy.AsDeclared;
                return false;
        }
    }

    /// <summary>Applies the policy to one C# member name.</summary>
    public static string Apply(NamingPolicy policy, string name) => policy switch
    {
        NamingPolicy.CamelCase => ToCamelCase(name),
        NamingPolicy.SnakeCase => string.Join("_", Words(name)).ToLowerInvariant(),
        NamingPolicy.TitleCase => string.Join(" ", TitleWords(name)),
        _ => name,
    };

    // The same rule as System.Text.Json's camelCase: lower the leading run of capitals, keeping the one that starts the next word.
    private static string ToCamelCase(string name)
    {
        if (name.Length == 0 || !char.IsUpper(name[0]))
        {
            return name;
        }

        char[] chars = name.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (i == 1 && !char.IsUpper(chars[i]))
            {
                break;
            }

            bool hasNext = i + 1 < chars.Length;
            if (i > 0 && hasNext && !char.IsUpper(chars[i + 1]))
            {
                break;
            }

            chars[i] = char.ToLowerInvariant(chars[i]);
        }

        return new string(chars);
    }

    private static IEnumerable<string> TitleWords(string name)
    {
        foreach (string word in Words(name))
        {
            yield return word.Length > 0 && char.IsLower(word[0]) ? char.ToUpperInvariant(word[0]) + word.Substring(1) : word;
        }
    }

    /// <summary>Splits <c>OrderID2Total</c> into <c>Order</c>, <c>ID2</c>, <c>Total</c>: at lower-to-upper changes, before the last capital of an acronym, and at underscores.</summary>
    internal static List<string> Words(string name)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (c == '_' || c == ' ')
            {
                Flush();
                continue;
            }

            if (current.Length > 0 && char.IsUpper(c))
            {
                char previous = name[i - 1];
                bool nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && nextIsLower))
                {
                    Flush();
                }
            }

            current.Append(c);
        }

        Flush();
        return words;

        void Flush()
        {
            if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
    }
}
