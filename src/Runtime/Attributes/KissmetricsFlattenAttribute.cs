using System;

namespace Kissmetrics.Typed;

/// <summary>Says that flattening this nested object into dotted names (<c>Address.City</c>) is intended, which silences KM008.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class KissmetricsFlattenAttribute : Attribute
{
}
