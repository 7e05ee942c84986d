using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kissmetrics.Typed.Generator.Model;

/// <summary>
/// The consumer's C# language version (the effective one: <c>latest</c> and <c>default</c> already mapped), as the
/// number <see cref="LanguageVersion"/> uses (<c>703</c> for 7.3, <c>1100</c> for 11). The emitters ask it which
/// constructs they may write, so generated code compiles wherever the consumer's own code does, down to C# 7.3.
/// </summary>
internal sealed record LanguageLevel(int Version)
{
    /// <summary>What a compilation without C# parse options (never the case in a C# project) is taken to accept.</summary>
    public static LanguageLevel Newest { get; } = new(int.MaxValue);

    /// <summary>C# 7.3: the oldest version generated code compiles with.</summary>
    public const int CSharp7_3 = (int)LanguageVersion.CSharp7_3;

    /// <summary>C# 8: nullable reference types, recursive patterns (<c>is { } x</c>).</summary>
    public const int CSharp8 = (int)LanguageVersion.CSharp8;

    /// <summary>C# 9: records, <c>init</c> accessors.</summary>
    public const int CSharp9 = (int)LanguageVersion.CSharp9;

    /// <summary>C# 10: record structs.</summary>
    public const int CSharp10 = (int)LanguageVersion.CSharp10;

    /// <summary>C# 11: UTF-8 string literals (<c>"..."u8</c>), <c>required</c> members.</summary>
    public const int CSharp11 = (int)LanguageVersion.CSharp11;

    /// <summary>Whether <c>"..."u8</c> literals compile (C# 11); below, names are static <c>ReadOnlySpan&lt;byte&gt;</c> properties.</summary>
    public bool Utf8Literals => Version >= CSharp11;

    /// <summary>Whether <c>#nullable</c> and <c>?</c> on reference types compile (C# 8).</summary>
    public bool NullableReferenceTypes => Version >= CSharp8;

    /// <summary>Whether property patterns (<c>is { } x</c>) compile (C# 8); below, type patterns (<c>is T x</c>, C# 7.0).</summary>
    public bool PropertyPatterns => Version >= CSharp8;

    /// <summary>The level of <paramref name="options"/>; <see cref="Newest"/> when they are not C#'s.</summary>
    public static LanguageLevel Of(ParseOptions options) =>
        options is CSharpParseOptions csharp ? new LanguageLevel((int)csharp.LanguageVersion) : Newest;

    /// <summary>A version as people write it: <c>7.3</c>, <c>9</c>, <c>11</c>.</summary>
    public static string Display(int version)
    {
        if (version >= (int)LanguageVersion.Preview)
        {
            return "preview";
        }

        int major = version / 100, minor = version % 100;
        return minor == 0 ? major.ToString(CultureInfo.InvariantCulture) : major.ToString(CultureInfo.InvariantCulture) + "." + minor.ToString(CultureInfo.InvariantCulture);
    }
}
