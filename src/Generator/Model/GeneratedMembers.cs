using System.Collections.Generic;
using System.Globalization;

namespace Kissmetrics.Typed.Generator.Model;

/// <summary>
/// The names of the private members the generator adds to an annotated type: the serializer's methods generic over
/// the naming, the validation's pattern holder and (below C# 11) the holder of the UTF-8 names. A type that already declares or inherits one of them gets them
/// all with a numeric suffix, chosen by the parser (<see cref="TypeSpec.MemberSuffix"/>), so the generated code never
/// collides with, or hides, a member of the user's.
/// </summary>
internal static class GeneratedMembers
{
    public const string PropertiesMethod = "WriteKissmetricsProperties";

    public const string ProductMethod = "WriteKissmetricsProduct";

    public static string PatternClass(SpecKind kind) => "__KissmetricsPatterns" + kind;

    /// <summary>Below C# 11 (no <c>u8</c> literals): the nested class whose static properties hold the encoded names.</summary>
    public static string Utf8Class(SpecKind kind) => "__KissmetricsUtf8" + kind;

    /// <summary>The first suffix (empty, then <c>_1</c>, <c>_2</c>...) that makes none of the names one of <paramref name="taken"/>.</summary>
    public static string Suffix(SpecKind kind, ISet<string> taken)
    {
        for (int attempt = 0; ; attempt++)
        {
            string suffix = attempt == 0 ? string.Empty : "_" + attempt.ToString(CultureInfo.InvariantCulture);
            if (!taken.Contains(PropertiesMethod + suffix) &&
                !taken.Contains(ProductMethod + suffix) &&
                !taken.Contains(PatternClass(kind) + suffix) &&
                !taken.Contains(Utf8Class(kind) + suffix))
            {
                return suffix;
            }
        }
    }
}
