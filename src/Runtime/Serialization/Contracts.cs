using System;
using System.ComponentModel;

namespace Kissmetrics.Typed.Serialization;

// These contracts are implemented by generated code only. Every name they hand over is already
// percent-encoded UTF-8 computed at compile time: the runtime copies bytes, it never builds a name.

/// <summary>A track event; implemented by the generator for <see cref="KissmetricsEventAttribute"/> types.</summary>
public interface IKissmetricsEvent
{
    /// <summary>The event name, percent-encoded UTF-8 (<c>Signed%20Up</c>).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    ReadOnlySpan<byte> EncodedEventName { get; }

    /// <summary>Writes the event's properties (and <c>Billing Amount</c>), with or without the event prefix.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    void WriteProperties(ref KissmetricsWriter writer, bool prefixed);

    /// <summary>The number of products a completed order sends as requests of their own; 0 for other events.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    int ProductCount { get; }

    /// <summary>Writes the properties of product <paramref name="index"/> of a completed order.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    void WriteProduct(ref KissmetricsWriter writer, int index, bool prefixed);

    /// <summary>
    /// Checks the values against their <c>System.ComponentModel.DataAnnotations</c> attributes, reporting each broken rule to
    /// <paramref name="context"/>; generated as straight-line code (nothing when there are no such attributes).
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    void Validate(ref KissmetricsValidationContext context);
}

/// <summary>The traits of a person; implemented by the generator for <see cref="KissmetricsTraitsAttribute"/> types.</summary>
public interface IKissmetricsTraits
{
    /// <summary>Writes the traits, flattened and never prefixed.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    void WriteProperties(ref KissmetricsWriter writer);

    /// <summary>
    /// Checks the values against their <c>System.ComponentModel.DataAnnotations</c> attributes, reporting each broken rule to
    /// <paramref name="context"/>; generated as straight-line code (nothing when there are no such attributes).
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    void Validate(ref KissmetricsValidationContext context);
}

/// <summary>The traits of a group; implemented by the generator for <see cref="KissmetricsGroupTraitsAttribute"/> types.</summary>
public interface IKissmetricsGroupTraits
{
    /// <summary>Writes the traits as <c>Group - &lt;name&gt;</c> properties.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    void WriteProperties(ref KissmetricsWriter writer);

    /// <summary>
    /// Checks the values against their <c>System.ComponentModel.DataAnnotations</c> attributes, reporting each broken rule to
    /// <paramref name="context"/>; generated as straight-line code (nothing when there are no such attributes).
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    void Validate(ref KissmetricsValidationContext context);
}

/// <summary>What pages and screens share: two possible event names and prefixed properties.</summary>
public interface IKissmetricsView
{
    /// <summary><c>Viewed &lt;name&gt; Page</c> percent-encoded, or empty when the view has no name.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    ReadOnlySpan<byte> EncodedNamedEventName { get; }

    /// <summary><c>Viewed &lt;category&gt; Page</c> percent-encoded, or empty when the view has no category.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    ReadOnlySpan<byte> EncodedCategorizedEventName { get; }

    /// <summary>Writes the properties prefixed <c>Page - </c> (or <c>Screen - </c>), with the name and category.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    void WriteProperties(ref KissmetricsWriter writer);

    /// <summary>
    /// Checks the values against their <c>System.ComponentModel.DataAnnotations</c> attributes, reporting each broken rule to
    /// <paramref name="context"/>; generated as straight-line code (nothing when there are no such attributes).
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    void Validate(ref KissmetricsValidationContext context);
}

/// <summary>A page view; implemented by the generator for <see cref="KissmetricsPageAttribute"/> types.</summary>
public interface IKissmetricsPage : IKissmetricsView
{
}

/// <summary>A screen view; implemented by the generator for <see cref="KissmetricsScreenAttribute"/> types.</summary>
public interface IKissmetricsScreen : IKissmetricsView
{
}

/// <summary>
/// Chooses the prefixed property names in generated serializers. Generated code is generic over this type or
/// <see cref="UnprefixedNames"/> so that the JIT compiles one copy per naming, in which every name is a constant of
/// known length: no branch per property, and each name copied with a few fixed-size moves.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct PrefixedNames
{
}

/// <summary>Chooses the property names without the event prefix in generated serializers; see <see cref="PrefixedNames"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct UnprefixedNames
{
}
