namespace Kissmetrics.Typed.SpecEvents;

/// <summary>
/// Segment's <c>Experiment Viewed</c> spec event, as A/B testing tools send it. Kissmetrics gives it no special
/// handling: it is an ordinary track event with the spec's snake_case property names.
/// </summary>
[KissmetricsEvent("Experiment Viewed")]
public sealed partial record ExperimentViewed
{
    /// <summary>The experiment's id (<c>experiment_id</c>).</summary>
    [KissmetricsProperty("experiment_id")]
    public string? ExperimentId { get; init; }

    /// <summary>The experiment's name (<c>experiment_name</c>).</summary>
    [KissmetricsProperty("experiment_name")]
    public string? ExperimentName { get; init; }

    /// <summary>The variation's id (<c>variation_id</c>).</summary>
    [KissmetricsProperty("variation_id")]
    public string? VariationId { get; init; }

    /// <summary>The variation's name (<c>variation_name</c>).</summary>
    [KissmetricsProperty("variation_name")]
    public string? VariationName { get; init; }
}
