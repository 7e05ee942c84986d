using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Kissmetrics.Typed.Generator.Diagnostics;
using Kissmetrics.Typed.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Kissmetrics.Typed.Generator.Tests.Diagnostics;

using Analyze = AnalyzerVerifier<ValidationAttributeAnalyzer>;

/// <summary>KM021: a DataAnnotations validation attribute that the generated validation does not check.</summary>
public sealed class KM021ValidationTests
{
    private const string Usings = "using System.ComponentModel.DataAnnotations;\n" + Sources.Usings;

    [Fact]
    public Task Attributes_that_are_not_compiled_are_reported() =>
        Analyze.VerifyAnalyzerAsync(
            Usings + """
            [KissmetricsEvent("Signed Up")]
            public partial record SignedUp([{|#0:EmailAddress|}] string Email, [{|#1:Url|}] string? Site, [property: {|#2:Compare("Email")|}] string Confirm);
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.UnsupportedValidationAttribute).WithLocation(0).WithArguments("Email", "EmailAddress", "it is not compiled; only Required, Range, StringLength, MinLength, MaxLength, Length, RegularExpression, AllowedValues and DeniedValues are compiled"),
            Analyze.Diagnostic(DiagnosticDescriptors.UnsupportedValidationAttribute).WithLocation(1).WithArguments("Site", "Url", "it is not compiled; only Required, Range, StringLength, MinLength, MaxLength, Length, RegularExpression, AllowedValues and DeniedValues are compiled"),
            Analyze.Diagnostic(DiagnosticDescriptors.UnsupportedValidationAttribute).WithLocation(2).WithArguments("Confirm", "Compare", "it is not compiled; only Required, Range, StringLength, MinLength, MaxLength, Length, RegularExpression, AllowedValues and DeniedValues are compiled"));

    [Fact]
    public Task Products_are_checked_like_any_member_but_rules_on_the_collection_itself_are_reported() =>
        Analyze.VerifyAnalyzerAsync(
            Usings + """
            using System.Collections.Generic;

            public sealed record Line([Required, StringLength(20)] string? Sku, [Range(1, 99)] int Quantity, [{|#1:EmailAddress|}] string? Contact);

            [KissmetricsEvent("Order Completed")]
            public partial record OrderCompleted([Required] string OrderId, [{|#0:MinLength(1)|}] List<Line> Products);
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.UnsupportedValidationAttribute).WithLocation(0).WithArguments("Products", "MinLength", "the products of a completed order are sent one request each: put the rules on the product type's members"),
            Analyze.Diagnostic(DiagnosticDescriptors.UnsupportedValidationAttribute).WithLocation(1).WithArguments("Products.Contact", "EmailAddress", "it is not compiled; only Required, Range, StringLength, MinLength, MaxLength, Length, RegularExpression, AllowedValues and DeniedValues are compiled"));

    [Fact]
    public Task Custom_validation_attributes_are_reported() =>
        Analyze.VerifyAnalyzerAsync(
            Usings + """
            public sealed class EvenAttribute : ValidationAttribute
            {
                public override bool IsValid(object? value) => value is int i && i % 2 == 0;
            }

            [KissmetricsEvent("Paired")]
            public partial record Paired([{|#0:Even|}] int Count);
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.UnsupportedValidationAttribute).WithLocation(0).WithArguments("Count", "Even", "custom validation attributes are not compiled; only Required, Range, StringLength, MinLength, MaxLength, Length, RegularExpression, AllowedValues and DeniedValues are compiled"));

    [Fact]
    public Task Supported_attributes_on_types_they_cannot_check_are_reported_nested_members_too() =>
        Analyze.VerifyAnalyzerAsync(
            Usings + """
            public sealed record Address([{|#2:Range(1, 5)|}] string City);

            [KissmetricsEvent("Checked")]
            public partial record Checked(
                [{|#0:Range(1, 10)|}] string Seats,
                [{|#1:AllowedValues(1, 2)|}] long Level,
                [KissmetricsFlatten] Address Address,
                [{|#3:StringLength(-1)|}] string? Code,
                [{|#4:RegularExpression("[")|}] string? Broken);
            """,
            Analyze.Diagnostic(DiagnosticDescriptors.UnsupportedValidationAttribute).WithLocation(2).WithArguments("Address.City", "Range", "Range applies to numbers, not string"),
            Analyze.Diagnostic(DiagnosticDescriptors.UnsupportedValidationAttribute).WithLocation(0).WithArguments("Seats", "Range", "Range applies to numbers, not string"),
            Analyze.Diagnostic(DiagnosticDescriptors.UnsupportedValidationAttribute).WithLocation(1).WithArguments("Level", "AllowedValues", "AllowedValues compares with Equals, so its values must be constants of the member's type long (string, bool, number or enum)"),
            Analyze.Diagnostic(DiagnosticDescriptors.UnsupportedValidationAttribute).WithLocation(3).WithArguments("Code", "StringLength", "its maximum length is negative or below MinimumLength, which DataAnnotations rejects"),
            Analyze.Diagnostic(DiagnosticDescriptors.UnsupportedValidationAttribute).WithLocation(4).WithArguments("Broken", "RegularExpression", "its pattern is invalid (" + PatternError("[") + ")"));

    private static string PatternError(string pattern)
    {
        try
        {
            _ = new System.Text.RegularExpressions.Regex(pattern);
            return string.Empty;
        }
        catch (ArgumentException exception)
        {
            return exception.Message;
        }
    }

    [Fact]
    public Task Supported_attributes_on_types_they_can_check_are_not_reported() =>
        Analyze.VerifyAnalyzerAsync(
            Usings + """
            public enum Tier { Free, Pro }

            [KissmetricsEvent("Fine")]
            public partial record Fine(
                [Required, StringLength(10, MinimumLength = 2), RegularExpression("[a-z]+")] string Name,
                [Range(1, 10)] int Seats,
                [Range(typeof(decimal), "0.01", "99.99")] decimal Price,
                [MinLength(1), MaxLength(3), Length(1, 3), KissmetricsJoin] IReadOnlyList<string> Tags,
                [AllowedValues(Tier.Free, Tier.Pro)] Tier Tier,
                [DeniedValues("root", null)] string? User,
                [Required] int? Count,
                [KissmetricsIgnore, EmailAddress] string? NotSent);
            """);

    [Fact]
    public void Descriptor_is_a_documented_tracked_warning()
    {
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.UnsupportedValidationAttribute;
        Assert.Equal("KM021", descriptor.Id);
        Assert.Equal(DiagnosticSeverity.Warning, descriptor.DefaultSeverity);
        Assert.Equal("Kissmetrics", descriptor.Category);
        Assert.Equal("https://github.com/kissmetrics-typed/kissmetrics-typed/blob/main/docs/diagnostics/KM021.md", descriptor.HelpLinkUri);

        string root = RepositoryRoot();
        string text = File.ReadAllText(Path.Combine(root, "docs", "diagnostics", "KM021.md"));
        Assert.StartsWith("# KM021:", text, StringComparison.Ordinal);
        foreach (string heading in new[] { "## When", "## Why", "## Example", "## Fix" })
        {
            Assert.Contains(heading, text, StringComparison.Ordinal);
        }

        Assert.Single(File.ReadAllLines(Path.Combine(root, "src", "Generator", "AnalyzerReleases.Unshipped.md")), l => l.StartsWith("KM021 | Kissmetrics | Warning |", StringComparison.Ordinal));
    }

    private static string RepositoryRoot([CallerFilePath] string path = "")
    {
        for (DirectoryInfo? directory = new FileInfo(path).Directory; directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Kissmetrics.Typed.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No Kissmetrics.Typed.sln above " + path);
    }
}
