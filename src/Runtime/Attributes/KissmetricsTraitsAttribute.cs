using System;

namespace Kissmetrics.Typed;

/// <summary>Declares the traits of a person, sent by <c>Identify</c> as Kissmetrics properties (never prefixed).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false, AllowMultiple = false)]
public sealed class KissmetricsTraitsAttribute : Attribute
{
}
