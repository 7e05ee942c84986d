using System;

namespace Kissmetrics.Typed;

/// <summary>Marks the revenue of an event: sent as usual and also as <c>Billing Amount</c> when it is a non-zero number.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class KissmetricsRevenueAttribute : Attribute
{
}
