using System;
using Kissmetrics.Typed.Serialization;

namespace Kissmetrics.Typed.Tests.Infrastructure;

/// <summary>
/// What the generator emits for <c>[KissmetricsEvent("Signed Up")] record SignedUp(string? Plan)</c>, written by hand so
/// that the client can be tested on its own.
/// </summary>
public sealed class HandWrittenEvent : IKissmetricsEvent
{
    public HandWrittenEvent(string? plan) => Plan = plan;

    public string? Plan { get; }

    public ReadOnlySpan<byte> EncodedEventName => "Signed%20Up"u8;

    public int ProductCount => 0;

    public void WriteProperties(ref KissmetricsWriter writer, bool prefixed) =>
        writer.WriteString(prefixed ? "Signed%20Up%20-%20Plan"u8 : "Plan"u8, Plan);

    public void WriteProduct(ref KissmetricsWriter writer, int index, bool prefixed)
    {
    }

    // No rules: the generator emits the same empty body for a type without DataAnnotations attributes.
    public void Validate(ref KissmetricsValidationContext context)
    {
    }
}
