using System;

namespace Kissmetrics.Typed;

/// <summary>Leaves a member out: it is never sent.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class KissmetricsIgnoreAttribute : Attribute
{
}
