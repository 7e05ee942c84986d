using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text.RegularExpressions;

namespace Kissmetrics.Typed.Serialization;

/// <summary>
/// What the generated <c>Validate</c> methods report to. A value passed by reference: checking allocates nothing, and a
/// violation costs an object only when <see cref="KissmetricsValidationContext(bool, ICollection{KissmetricsViolation}?)"/>
/// was given a collection to fill.
/// </summary>
public ref struct KissmetricsValidationContext
{
    private readonly ICollection<KissmetricsViolation>? _violations;

    /// <summary>Creates a context.</summary>
    /// <param name="prefixProperties">Whether wire names are reported with the event prefix (<see cref="KissmetricsOptions.PrefixProperties"/>).</param>
    /// <param name="violations">Receives each violation; <see langword="null"/> to count them only.</param>
    public KissmetricsValidationContext(bool prefixProperties, ICollection<KissmetricsViolation>? violations)
    {
        PrefixProperties = prefixProperties;
        _violations = violations;
        ViolationCount = 0;
    }

    /// <summary>Whether wire names are reported with the event prefix.</summary>
    public bool PrefixProperties { get; }

    /// <summary>How many violations were reported so far.</summary>
    public int ViolationCount { get; private set; }

    /// <summary>Called by generated code for each broken rule; every argument is a compile-time constant.</summary>
    /// <param name="typeName">The annotated type.</param>
    /// <param name="eventName">The Kissmetrics event name, or <see langword="null"/>.</param>
    /// <param name="memberPath">The C# path of the member.</param>
    /// <param name="wireName">The name it is sent as.</param>
    /// <param name="rule">The rule broken.</param>
    /// <param name="message">What the rule requires.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Report(string typeName, string? eventName, string memberPath, string wireName, KissmetricsValidationRule rule, string message)
    {
        ViolationCount++;
        _violations?.Add(new KissmetricsViolation(typeName, eventName, memberPath, wireName, rule, message));
    }

    /// <summary>
    /// <c>[RegularExpression]</c> as DataAnnotations defines it: the first match must span the whole string. A match that
    /// times out counts as no match. Allocates nothing once the regex has run once.
    /// </summary>
    /// <param name="regex">The pattern, a static field of the generated type.</param>
    /// <param name="value">A non-empty string.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static bool MatchesWhole(Regex regex, string value)
    {
        ArgumentNullException.ThrowIfNull(regex);
        ArgumentNullException.ThrowIfNull(value);
        try
        {
#if NET
            foreach (ValueMatch match in regex.EnumerateMatches(value))
            {
                return match.Index == 0 && match.Length == value.Length;
            }
#else
            // netstandard2.0 has no allocation-free EnumerateMatches: the first Match object, the same answer.
            Match match = regex.Match(value);
            return match.Success && match.Index == 0 && match.Length == value.Length;
#endif
        }
        catch (RegexMatchTimeoutException)
        {
        }

        return false;
    }
}
