// Compiled into both the generator (which reserves these names and writes Billing Amount) and the runtime (which
// writes the ids and the plan), so the two can never send or check different names.
namespace Kissmetrics.Typed.Internal;

/// <summary>
/// The fixed names Kissmetrics receives that no annotated member declares (mapping.md §4-§8), unencoded. The runtime
/// writes the encoded forms as <c>u8</c> literals on its hot path; a test pins each literal to these.
/// </summary>
internal static class KissmetricsWireNames
{
    /// <summary>The person id an identify sends as a trait (<c>id=</c>).</summary>
    public const string IdentifyId = "id";

    /// <summary>The prefix of every group trait.</summary>
    public const string GroupPrefix = "Group - ";

    /// <summary>The group id a group call sends alongside its traits.</summary>
    public const string GroupId = GroupPrefix + "id";

    /// <summary>The name revenue is sent under a second time, never prefixed.</summary>
    public const string BillingAmount = "Billing Amount";
}
