using System;

namespace Kissmetrics.Typed;

/// <summary>Which <c>System.ComponentModel.DataAnnotations</c> rule a value broke.</summary>
public enum KissmetricsValidationRule
{
    /// <summary><c>[Required]</c>: the value is null (or, for a string, empty or white space unless <c>AllowEmptyStrings</c>).</summary>
    Required,

    /// <summary><c>[Range]</c>: the number is outside the range (ends inclusive unless marked exclusive).</summary>
    Range,

    /// <summary><c>[StringLength]</c>: the string is shorter than <c>MinimumLength</c> or longer than the maximum.</summary>
    StringLength,

    /// <summary><c>[MinLength]</c>: the string or collection is too short.</summary>
    MinLength,

    /// <summary><c>[MaxLength]</c>: the string or collection is too long.</summary>
    MaxLength,

    /// <summary><c>[Length]</c>: the string or collection is too short or too long.</summary>
    Length,

    /// <summary><c>[RegularExpression]</c>: the whole string does not match the pattern (or the match timed out).</summary>
    RegularExpression,

    /// <summary><c>[AllowedValues]</c>: the value is none of the allowed ones.</summary>
    AllowedValues,

    /// <summary><c>[DeniedValues]</c>: the value is one of the denied ones.</summary>
    DeniedValues,
}

/// <summary>What <see cref="KissmetricsValidationMode"/> does with an event whose values break their validation attributes.</summary>
public enum KissmetricsValidationMode
{
    /// <summary>No validation: nothing is checked (the default outside Development).</summary>
    Off = 0,

    /// <summary>Violations are reported to <see cref="KissmetricsOptions.OnViolation"/>, counted and logged; the call is still sent (the default in Development).</summary>
    Report = 1,

    /// <summary>As <see cref="Report"/>, and the call is dropped (and counted as <see cref="KissmetricsClientStatistics.DroppedInvalid"/>).</summary>
    ReportAndDrop = 2,
}

/// <summary>
/// One broken validation rule of one member of an event, traits, page or screen. It names the member and the rule,
/// never the value: values may be personal data, so neither the violation nor the client's log ever carries them.
/// </summary>
public sealed class KissmetricsViolation
{
    /// <summary>Creates a violation (the generated code does, through <see cref="Serialization.KissmetricsValidationContext"/>).</summary>
    /// <param name="typeName">The annotated type, fully qualified (<c>Shop.SignedUp</c>).</param>
    /// <param name="eventName">The Kissmetrics event name (the page or screen name for views); <see langword="null"/> for traits.</param>
    /// <param name="memberPath">The C# path of the member (<c>Address.City</c>).</param>
    /// <param name="wireName">The Kissmetrics property name it is sent as.</param>
    /// <param name="rule">The rule broken.</param>
    /// <param name="message">What the rule requires, computed at compile time; never the value.</param>
    public KissmetricsViolation(string typeName, string? eventName, string memberPath, string wireName, KissmetricsValidationRule rule, string message)
    {
        TypeName = typeName ?? throw new ArgumentNullException(nameof(typeName));
        EventName = eventName;
        MemberPath = memberPath ?? throw new ArgumentNullException(nameof(memberPath));
        WireName = wireName ?? throw new ArgumentNullException(nameof(wireName));
        Rule = rule;
        Message = message ?? throw new ArgumentNullException(nameof(message));
    }

    /// <summary>The annotated type, fully qualified (<c>Shop.SignedUp</c>).</summary>
    public string TypeName { get; }

    /// <summary>The Kissmetrics event name (for pages and screens, the view's name or category); <see langword="null"/> for traits and group traits.</summary>
    public string? EventName { get; }

    /// <summary>The C# path of the member, from the annotated type (<c>Plan</c>, <c>Address.City</c>).</summary>
    public string MemberPath { get; }

    /// <summary>The Kissmetrics property name the member is sent as, with the event prefix when <see cref="KissmetricsOptions.PrefixProperties"/> is on.</summary>
    public string WireName { get; }

    /// <summary>The rule broken.</summary>
    public KissmetricsValidationRule Rule { get; }

    /// <summary>What the rule requires (the attribute's <c>ErrorMessage</c>, or the DataAnnotations default), with the member path; never the value.</summary>
    public string Message { get; }

    /// <inheritdoc />
    public override string ToString() => (EventName ?? TypeName) + ": " + WireName + " (" + MemberPath + ") " + Rule + ": " + Message;
}
