using System;

namespace Kissmetrics.Typed;

/// <summary>
/// Asks the generator for a typed tracking client: the annotated <c>partial</c> class gets a constructor taking an
/// <see cref="IKissmetricsClient"/>, one method per event, traits, group traits, page and screen type of the
/// compilation (named after the type, with the record's positional parameters), and an interface
/// <c>I&lt;ClassName&gt;</c> with the same methods so application code can mock it.
/// </summary>
/// <example><code>[KissmetricsClient] public partial class ShopAnalytics;</code></example>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class KissmetricsClientAttribute : Attribute
{
    /// <summary>
    /// Limits the client to types in this namespace and the namespaces inside it (for example <c>"Shop.Checkout"</c>);
    /// every annotated type of the compilation when not set.
    /// </summary>
    public string? Namespace { get; set; }
}
