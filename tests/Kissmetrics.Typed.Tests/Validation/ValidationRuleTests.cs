using System;
using System.Collections.Generic;
using System.Linq;
using Kissmetrics.Typed.Serialization;
using Xunit;

namespace Kissmetrics.Typed.Tests.Validation;

/// <summary>Each compiled DataAnnotations rule at its boundaries, through <see cref="KissmetricsFormatter.ValidateTrack"/>.</summary>
public sealed class ValidationRuleTests
{
    private static readonly Ranged ValidRanged = new(1, 0.5, 0.01m, 2, 0, null, 0);

    private static string[] Broken<TEvent>(TEvent @event)
        where TEvent : IKissmetricsEvent =>
        KissmetricsFormatter.ValidateTrack(@event).Select(v => v.MemberPath + ":" + v.Rule).ToArray();

    [Fact]
    public void Range_ends_are_inclusive_and_outside_fails()
    {
        Assert.Empty(Broken(ValidRanged));
        Assert.Empty(Broken(new Ranged(10, 2.5, 100m, 9, int.MaxValue, 5, 100)));
        Assert.Equal(new[] { "Quantity:Range" }, Broken(ValidRanged with { Quantity = 0 }));
        Assert.Equal(new[] { "Quantity:Range" }, Broken(ValidRanged with { Quantity = 11 }));
        Assert.Equal(new[] { "Ratio:Range" }, Broken(ValidRanged with { Ratio = 0.49 }));
        Assert.Equal(new[] { "Ratio:Range" }, Broken(ValidRanged with { Ratio = 2.51 }));
        Assert.Equal(new[] { "Ratio:Range" }, Broken(ValidRanged with { Ratio = double.NaN }));
        Assert.Equal(new[] { "Price:Range" }, Broken(ValidRanged with { Price = 0.009m }));
        Assert.Equal(new[] { "Price:Range" }, Broken(ValidRanged with { Price = 100.01m }));
        Assert.Equal(new[] { "NonNegative:Range" }, Broken(ValidRanged with { NonNegative = -1 }));
        Assert.Equal(new[] { "Optional:Range" }, Broken(ValidRanged with { Optional = 6 }));
        Assert.Equal(new[] { "Unsigned:Range" }, Broken(ValidRanged with { Unsigned = 101 }));
    }

    [Fact]
    public void Exclusive_range_ends_fail_at_the_ends()
    {
        Assert.Equal(new[] { "Exclusive:Range" }, Broken(ValidRanged with { Exclusive = 1 }));
        Assert.Equal(new[] { "Exclusive:Range" }, Broken(ValidRanged with { Exclusive = 10 }));
        Assert.Empty(Broken(ValidRanged with { Exclusive = 9 }));
    }

    [Fact]
    public void String_and_collection_lengths_at_their_boundaries()
    {
        var valid = new Lengths("ab", "abc", "ab", "abc", new List<string> { "a" }, new[] { 1, 2 }, new[] { "x" });
        Assert.Empty(Broken(valid));
        Assert.Empty(Broken(valid with { Code = "abcde", Tags = new List<string> { "a", "b" } }));
        Assert.Equal(new[] { "Code:StringLength" }, Broken(valid with { Code = "a" }));
        Assert.Equal(new[] { "Code:StringLength" }, Broken(valid with { Code = "abcdef" }));
        Assert.Equal(new[] { "Short:StringLength" }, Broken(valid with { Short = "abcd" }));
        Assert.Empty(Broken(valid with { Short = string.Empty }));
        Assert.Equal(new[] { "AtLeastTwo:MinLength" }, Broken(valid with { AtLeastTwo = "a" }));
        Assert.Equal(new[] { "AtMostThree:MaxLength" }, Broken(valid with { AtMostThree = "abcd" }));
        Assert.Equal(new[] { "Tags:MinLength" }, Broken(valid with { Tags = new List<string>() }));
        Assert.Equal(new[] { "Tags:MaxLength" }, Broken(valid with { Tags = new List<string> { "a", "b", "c" } }));
        Assert.Equal(new[] { "Numbers:MaxLength" }, Broken(valid with { Numbers = new[] { 1, 2, 3 } }));
        Assert.Equal(new[] { "Labels:MinLength" }, Broken(valid with { Labels = Array.Empty<string>() }));
    }

    [Fact]
    public void Null_optional_members_skip_their_rules()
    {
        Assert.Empty(Broken(new Lengths(null, null, null, null, null, null, null)));
        Assert.Empty(Broken(new Patterned(null, null)));
    }

    [Fact]
    public void Regular_expression_must_match_the_whole_string_with_its_first_match()
    {
        Assert.Empty(Broken(new Patterned("EUR", null)));
        Assert.Empty(Broken(new Patterned(string.Empty, "a"))); // empty is valid, as in DataAnnotations
        Assert.Equal(new[] { "Currency:RegularExpression" }, Broken(new Patterned("EURO", null)));
        Assert.Equal(new[] { "Currency:RegularExpression" }, Broken(new Patterned("xEUR", null)));
        Assert.Equal(new[] { "Currency:RegularExpression" }, Broken(new Patterned("eur", null)));

        // DataAnnotations takes the first match: "a|ab" matches "a" in "ab", which is not the whole string.
        Assert.Equal(new[] { "FirstMatch:RegularExpression" }, Broken(new Patterned(null, "ab")));
    }

    [Fact]
    public void Allowed_and_denied_values_compare_as_Equals_does()
    {
        var valid = new Chosen("Pro", null, Tier.Free, 3, "bob");
        Assert.Empty(Broken(valid));
        Assert.Empty(Broken(valid with { NullAllowed = "A" }));
        Assert.Equal(new[] { "Plan:AllowedValues" }, Broken(valid with { Plan = "pro" }));
        Assert.Equal(new[] { "Plan:AllowedValues" }, Broken(valid with { Plan = null })); // null is not among the values
        Assert.Equal(new[] { "NullAllowed:AllowedValues" }, Broken(valid with { NullAllowed = "B" }));
        Assert.Equal(new[] { "Tier:AllowedValues" }, Broken(valid with { Tier = Tier.Team }));
        Assert.Equal(new[] { "Level:AllowedValues" }, Broken(valid with { Level = 4 }));
        Assert.Equal(new[] { "UserName:DeniedValues" }, Broken(valid with { UserName = "root" }));
        Assert.Empty(Broken(valid with { UserName = null }));
    }

    [Fact]
    public void Required_fails_on_null_and_on_empty_or_white_space_strings_and_stops_the_other_rules()
    {
        var valid = new Needed("Ann", string.Empty, 0, "abc", new List<string>());
        Assert.Empty(Broken(valid));
        Assert.Equal(new[] { "Name:Required" }, Broken(valid with { Name = null }));
        Assert.Equal(new[] { "Name:Required" }, Broken(valid with { Name = string.Empty }));
        Assert.Equal(new[] { "Name:Required" }, Broken(valid with { Name = " \t" }));
        Assert.Equal(new[] { "Note:Required" }, Broken(valid with { Note = null }));
        Assert.Equal(new[] { "Count:Required" }, Broken(valid with { Count = null }));
        Assert.Equal(new[] { "Both:Required" }, Broken(valid with { Both = " " }));
        Assert.Equal(new[] { "Both:StringLength" }, Broken(valid with { Both = "abcd" }));
        Assert.Equal(new[] { "Items:Required" }, Broken(valid with { Items = null }));
    }

    [Fact]
    public void Violations_name_the_wire_name_the_path_and_the_rule_never_the_value()
    {
        KissmetricsViolation violation = Assert.Single(KissmetricsFormatter.ValidateTrack(new Shipped(new Address("Paris", "FRA"), 2)));

        Assert.Equal("Kissmetrics.Typed.Tests.Validation.Shipped", violation.TypeName);
        Assert.Equal("Shipped", violation.EventName);
        Assert.Equal("Address.Country", violation.MemberPath);
        Assert.Equal("Shipped - Address.Country", violation.WireName);
        Assert.Equal(KissmetricsValidationRule.StringLength, violation.Rule);
        Assert.Equal("The field Address.Country must be a string with a minimum length of 2 and a maximum length of 2.", violation.Message);
        Assert.DoesNotContain("FRA", violation.ToString(), StringComparison.Ordinal);

        KissmetricsViolation unprefixed = Assert.Single(KissmetricsFormatter.ValidateTrack(new Shipped(new Address(null, "FR"), 2), new KissmetricsOptions { PrefixProperties = false }));
        Assert.Equal("Address.City", unprefixed.WireName);
        Assert.Equal(KissmetricsValidationRule.Required, unprefixed.Rule);
        Assert.Empty(KissmetricsFormatter.ValidateTrack(new Shipped(null, 1)));
        Assert.Equal("{0} is needed".Replace("{0}", "Items", StringComparison.Ordinal), Assert.Single(KissmetricsFormatter.ValidateTrack(new Needed("a", "b", 1, "c", null))).Message);
    }

    [Fact]
    public void Traits_and_pages_are_validated_too()
    {
        Assert.Equal(KissmetricsValidationRule.Range, Assert.Single(KissmetricsFormatter.ValidateIdentify(new ValidatedTraits(17, "x"))).Rule);
        Assert.Empty(KissmetricsFormatter.ValidateIdentify(new ValidatedTraits(null, null)));
        KissmetricsViolation page = Assert.Single(KissmetricsFormatter.ValidateView(new PricingPage("a-very-long-campaign")));
        Assert.Equal("Pricing", page.EventName);
        Assert.Equal("Page - Campaign", page.WireName);
    }

    [Fact]
    public void Each_product_of_a_completed_order_is_checked_under_its_wire_name()
    {
        var order = new CheckedOrder("o-1", [new CheckedLine("A-1", 1), new CheckedLine(null, 100), null, new CheckedLine("B-2", 0)]);

        IReadOnlyList<KissmetricsViolation> violations = KissmetricsFormatter.ValidateTrack(order);

        Assert.Equal(3, violations.Count);
        Assert.Equal(("Products.Sku", "Completed Order Checked - Sku", KissmetricsValidationRule.Required), (violations[0].MemberPath, violations[0].WireName, violations[0].Rule));
        Assert.Equal(("Products.Quantity", "Completed Order Checked - Quantity", KissmetricsValidationRule.Range), (violations[1].MemberPath, violations[1].WireName, violations[1].Rule));
        Assert.Equal(("Products.Quantity", KissmetricsValidationRule.Range), (violations[2].MemberPath, violations[2].Rule));
        Assert.Equal("Completed Order Checked", violations[0].EventName);
        Assert.Equal("Quantity", Assert.Single(KissmetricsFormatter.ValidateTrack(new CheckedOrder("o-1", [new CheckedLine("A", 0)]), new KissmetricsOptions { PrefixProperties = false })).WireName);

        Assert.Empty(KissmetricsFormatter.ValidateTrack(new CheckedOrder("o-1", null)));
        Assert.Empty(KissmetricsFormatter.ValidateTrack(new CheckedOrder("o-1", [])));
        Assert.Equal("OrderId", Assert.Single(KissmetricsFormatter.ValidateTrack(new CheckedOrder(null, [new CheckedLine("A", 1)]))).MemberPath);
        Assert.Equal(
            [KissmetricsValidationRule.Required, KissmetricsValidationRule.Range],
            KissmetricsFormatter.ValidateTrack(new EnumeratedOrder(Lines())).Select(v => v.Rule));

        KissmetricsViolation structItem = Assert.Single(KissmetricsFormatter.ValidateTrack(new StructItemsOrder([new CheckedItem(1), new CheckedItem(10)])));
        Assert.Equal(("Products.Quantity", "Completed Order Of Structs - Quantity"), (structItem.MemberPath, structItem.WireName));

        static IEnumerable<CheckedLine> Lines()
        {
            yield return new CheckedLine("A", 1);
            yield return new CheckedLine(null, 1);
            yield return new CheckedLine("C", 100);
        }
    }

    [Fact]
    public void Checking_the_products_of_an_order_that_passes_allocates_nothing()
    {
        var order = new CheckedOrder("o-1", [new CheckedLine("A-1", 1), new CheckedLine("B-2", 2), new CheckedLine("C-3", 3)]);
        var context = new KissmetricsValidationContext(prefixProperties: true, violations: null);
        for (int i = 0; i < 1_000; i++)
        {
            Validate(order, ref context);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            Validate(order, ref context);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, context.ViolationCount);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void The_passing_path_allocates_nothing()
    {
        var @event = new Everything("summer-sale", 3, 0.5, "Pro", "bob", new[] { "a", "b" }, new Address("Paris", "FR"));
        var context = new KissmetricsValidationContext(prefixProperties: true, violations: null);
        for (int i = 0; i < 1_000; i++)
        {
            Validate(@event, ref context);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            Validate(@event, ref context);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, context.ViolationCount);
        Assert.Equal(0, allocated);
    }

    private static void Validate<TEvent>(TEvent @event, ref KissmetricsValidationContext context)
        where TEvent : IKissmetricsEvent => @event.Validate(ref context);
}
