using System;

namespace Kissmetrics.Typed;

/// <summary>Declares the traits of a group (an account or company), sent by <c>Group</c> as <c>Group - &lt;name&gt;</c> properties.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false, AllowMultiple = false)]
public sealed class KissmetricsGroupTraitsAttribute : Attribute
{
}
