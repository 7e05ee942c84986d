using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Kissmetrics.Typed.Generator.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace Kissmetrics.Typed.Generator.Emitting;

/// <summary>
/// Writes the contract's <c>Validate</c>: one straight-line check per DataAnnotations rule, in declaration order,
/// nested members included. Passing allocates nothing: conditions on locals, and a report (of compile-time constants
/// only, never the value) when a rule is broken. Regular expressions are static fields of a nested class, created on
/// first use.
/// </summary>
internal sealed class ValidationEmitter
{
    private const string Context = "global::Kissmetrics.Typed.Serialization.KissmetricsValidationContext";
    private const string Rule = "global::Kissmetrics.Typed.KissmetricsValidationRule.";
    private static readonly string GeneratedCode = GeneratedCodeStamp.Attribute;

    private readonly SourceWriter _out;
    private readonly LanguageLevel _language;
    private readonly string _typeName;
    private readonly string _eventName;
    private readonly string _patternClass;
    private readonly List<(string Pattern, int Timeout)> _patterns = new();
    private int _locals;

    private ValidationEmitter(SourceWriter output, SerializerSpec spec, LanguageLevel language)
    {
        _out = output;
        _language = language;
        TypeSpec type = spec.Type;
        string full = type.Shape.FullTypeName;
        _typeName = Literal(full.StartsWith("global::", System.StringComparison.Ordinal) ? full.Substring("global::".Length) : full);
        string? eventName = type.Kind switch
        {
            SpecKind.Event => type.EventName,
            SpecKind.Page or SpecKind.Screen => string.IsNullOrWhiteSpace(type.PageName) ? type.PageCategory : type.PageName,
            _ => null,
        };
        _eventName = eventName is null ? "null" : Literal(eventName);
        _patternClass = GeneratedMembers.PatternClass(type.Kind) + type.MemberSuffix;
    }

    public static void Emit(SourceWriter output, SerializerSpec spec, string contract, LanguageLevel language) => new ValidationEmitter(output, spec, language).EmitValidate(spec, contract);

    /// <summary>Whether any member, at any depth, has a rule.</summary>
    public static bool HasRules(IEnumerable<PropertyWrite> properties) =>
        properties.Any(p => p.Info.Rules.Count > 0 || (p.Value.Kind == ValueKind.Object && HasRules(p.Children)));

    private void EmitValidate(SerializerSpec spec, string contract)
    {
        _out.WriteLine();
        _out.WriteLine("/// <summary>Checks the values against their DataAnnotations attributes; reports each broken rule, never a value.</summary>");
        _out.WriteLine(GeneratedCode);
        _out.OpenBlock("void " + contract + ".Validate(ref " + Context + " context)");
        EmitMembers(spec.Properties, "this", parentPath: null);
        if (spec.Products is { } products && HasRules(products.Properties))
        {
            // Each product as its request writes it (same walk as WriteProduct), reported under the products
            // member's path (Products.Sku) and the product property's wire name.
            string collection = Local(products.ClrName);
            string index = Local("index");
            string product = Local("product");
            _out.OpenBlock("if (" + SerializerEmitter.NotNull(_language, "this." + SerializerEmitter.Identifier(products.ClrName), products.Collection.TypeName, collection) + ")");
            _out.OpenBlock("for (int " + index + " = 0, __count = " + SerializerEmitter.ProductCount(products, collection) + "; " + index + " < __count; " + index + "++)");
            _out.OpenBlock("if (" + SerializerEmitter.NotNull(_language, SerializerEmitter.ProductAt(products, collection, index), products.Collection.Element!.TypeName, product) + ")");
            EmitMembers(products.Properties, product, parentPath: products.ClrName);
            _out.CloseBlock();
            _out.CloseBlock();
            _out.CloseBlock();
        }

        _out.CloseBlock();

        if (_patterns.Count > 0)
        {
            _out.WriteLine();
            _out.WriteLine("/// <summary>The patterns of <c>[RegularExpression]</c>, created on first validation; compiled, so a match allocates nothing (interpreted under Native AOT).</summary>");
            _out.WriteLine(GeneratedCode);
            _out.OpenBlock("private static class " + _patternClass);
            for (int i = 0; i < _patterns.Count; i++)
            {
                (string pattern, int timeout) = _patterns[i];
                string span = timeout > 0
                    ? "global::System.TimeSpan.FromMilliseconds(" + timeout.ToString(CultureInfo.InvariantCulture) + ")"
                    : "global::System.Text.RegularExpressions.Regex.InfiniteMatchTimeout";
                _out.WriteLine("internal static readonly global::System.Text.RegularExpressions.Regex P" + i.ToString(CultureInfo.InvariantCulture) +
                    " = new global::System.Text.RegularExpressions.Regex(" + Literal(pattern) + ", global::System.Text.RegularExpressions.RegexOptions.Compiled, " + span + ");");
            }

            _out.CloseBlock();
        }
    }

    private void EmitMembers(IEnumerable<PropertyWrite> properties, string owner, string? parentPath)
    {
        var seen = new HashSet<string>();
        foreach (PropertyWrite property in properties)
        {
            // An order's total is also written as revenue: the same member, checked once.
            if (!seen.Add(property.ClrName))
            {
                continue;
            }

            string path = parentPath is null ? property.ClrName : parentPath + "." + property.ClrName;
            string access = owner + "." + SerializerEmitter.Identifier(property.ClrName);
            bool children = property.Value.Kind == ValueKind.Object && HasRules(property.Children);
            if (property.Info.Rules.Count == 0 && !children)
            {
                continue;
            }

            EmitMember(property, access, path, children);
        }
    }

    private void EmitMember(PropertyWrite property, string access, string path, bool children)
    {
        ValueSpec value = property.Value;
        EquatableArray<ValidationRuleSpec> rules = property.Info.Rules;
        ValidationRuleSpec? required = rules.FirstOrDefault(r => r.Kind == RuleKind.Required);
        List<ValidationRuleSpec> others = rules.Where(r => r.Kind != RuleKind.Required).ToList();
        string wire = property.PrefixedWireName is { } prefixed
            ? "context.PrefixProperties ? " + Literal(prefixed) + " : " + Literal(property.WireName)
            : Literal(property.WireName);

        if (!value.MayBeNull)
        {
            _out.OpenBlock();
            string local = Local(property.ClrName);
            _out.WriteLine("var " + local + " = " + access + ";");
            EmitChecks(others, local, path, wire, value);
            if (children)
            {
                EmitMembers(property.Children, local, path);
            }

            _out.CloseBlock();
            return;
        }

        string present = Local(property.ClrName);
        _out.OpenBlock("if (" + SerializerEmitter.NotNull(_language, access, value.TypeName, present) + ")");
        bool whiteSpace = required is not null && value.Kind == ValueKind.String && !required.AllowEmptyStrings;
        if (whiteSpace)
        {
            _out.OpenBlock("if (string.IsNullOrWhiteSpace(" + present + "))");
            Report(path, wire, required!);
            _out.CloseBlock();
        }

        // The other rules run only on text that is not blank (an else branch, left out when there is nothing in it).
        bool checksAfterBlank = whiteSpace && (others.Count > 0 || children);
        if (checksAfterBlank)
        {
            _out.OpenBlock("else");
        }

        EmitChecks(others, present, path, wire, value);
        if (children)
        {
            EmitMembers(property.Children, present, path);
        }

        if (checksAfterBlank)
        {
            _out.CloseBlock();
        }

        _out.CloseBlock();

        // A null value: [Required] fails (and the other rules are not run, as in DataAnnotations); otherwise only
        // [AllowedValues] without null and [DeniedValues] with null fail, as their Equals comparison does.
        var nullFailures = new List<ValidationRuleSpec>();
        if (required is not null)
        {
            nullFailures.Add(required);
        }
        else
        {
            nullFailures.AddRange(others.Where(r => (r.Kind == RuleKind.AllowedValues && !r.ValuesIncludeNull) || (r.Kind == RuleKind.DeniedValues && r.ValuesIncludeNull)));
        }

        if (nullFailures.Count > 0)
        {
            _out.OpenBlock("else");
            foreach (ValidationRuleSpec rule in nullFailures)
            {
                Report(path, wire, rule);
            }

            _out.CloseBlock();
        }
    }

    private void EmitChecks(List<ValidationRuleSpec> rules, string local, string path, string wire, ValueSpec value)
    {
        foreach (ValidationRuleSpec rule in rules)
        {
            string? failure = Failure(rule, local);
            if (failure is null)
            {
                continue;
            }

            _out.OpenBlock("if (" + failure + ")");
            Report(path, wire, rule);
            _out.CloseBlock();
        }
    }

    /// <summary>The condition under which <paramref name="rule"/> fails for the non-null <paramref name="local"/>.</summary>
    private string? Failure(ValidationRuleSpec rule, string local)
    {
        switch (rule.Kind)
        {
            case RuleKind.Range:
            case RuleKind.StringLength:
            case RuleKind.MinLength:
            case RuleKind.MaxLength:
            case RuleKind.Length:
                if (rule.AlwaysFails)
                {
                    return "true";
                }

                string subject = rule.CountMember is null ? local : local + "." + rule.CountMember;
                var passes = new List<string>();
                if (rule.Lower is not null)
                {
                    passes.Add(subject + (rule.LowerExclusive ? " > " : " >= ") + rule.Lower);
                }

                if (rule.Upper is not null)
                {
                    passes.Add(subject + (rule.UpperExclusive ? " < " : " <= ") + rule.Upper);
                }

                return passes.Count == 0 ? null : "!(" + string.Join(" && ", passes) + ")";

            case RuleKind.RegularExpression:
                int index = _patterns.IndexOf((rule.Pattern!, rule.TimeoutMilliseconds));
                if (index < 0)
                {
                    index = _patterns.Count;
                    _patterns.Add((rule.Pattern!, rule.TimeoutMilliseconds));
                }

                // As DataAnnotations: an empty string is valid; otherwise the first match must be the whole string.
                return local + ".Length != 0 && !" + Context + ".MatchesWhole(" + _patternClass + ".P" + index.ToString(CultureInfo.InvariantCulture) + ", " + local + ")";

            case RuleKind.AllowedValues:
            case RuleKind.DeniedValues:
                string any = rule.Values.Count == 0
                    ? "false"
                    : string.Join(" || ", rule.Values.Select(v => rule.UsesEquals ? local + ".Equals(" + v + ")" : local + " == " + v));
                return rule.Kind == RuleKind.AllowedValues ? "!(" + any + ")" : any;

            default:
                return null;
        }
    }

    private void Report(string path, string wire, ValidationRuleSpec rule) =>
        _out.WriteLine("context.Report(" + _typeName + ", " + _eventName + ", " + Literal(path) + ", " + wire + ", " + Rule + rule.Kind + ", " + Literal(rule.Message) + ");");

    private string Local(string hint)
    {
        _locals++;
        string baseName = hint.Length == 0 ? "value" : char.ToLowerInvariant(hint[0]) + hint.Substring(1);
        return "__" + baseName + _locals.ToString(CultureInfo.InvariantCulture);
    }

    private static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);
}
