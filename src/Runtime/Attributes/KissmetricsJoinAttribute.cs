using System;

namespace Kissmetrics.Typed;

/// <summary>Says that sending this collection as one comma-joined string is intended, which silences KM009.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class KissmetricsJoinAttribute : Attribute
{
}
