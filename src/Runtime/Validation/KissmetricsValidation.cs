using System;
using System.Collections.Generic;
using Kissmetrics.Typed.Delivery;
using Kissmetrics.Typed.Serialization;

namespace Kissmetrics.Typed;

/// <summary>
/// Runs the generated <c>Validate</c> of a call's type for the client: first counting only (nothing allocated when every
/// rule passes), then, on a violation, again to collect the violations for <see cref="KissmetricsOptions.OnViolation"/>,
/// the counters and the log.
/// </summary>
internal static class KissmetricsValidation
{
    /// <summary>Whether the event may be sent.</summary>
    public static bool Check<TEvent>(TEvent @event, KissmetricsOptions options, DeliveryTelemetry telemetry)
        where TEvent : IKissmetricsEvent =>
        Run(@event, static (TEvent e, ref KissmetricsValidationContext c) => e.Validate(ref c), options, telemetry);

    /// <inheritdoc cref="Check{TEvent}"/>
    public static bool CheckTraits<TTraits>(TTraits traits, KissmetricsOptions options, DeliveryTelemetry telemetry)
        where TTraits : IKissmetricsTraits =>
        Run(traits, static (TTraits t, ref KissmetricsValidationContext c) => t.Validate(ref c), options, telemetry);

    /// <inheritdoc cref="Check{TEvent}"/>
    public static bool CheckGroupTraits<TTraits>(TTraits traits, KissmetricsOptions options, DeliveryTelemetry telemetry)
        where TTraits : IKissmetricsGroupTraits =>
        Run(traits, static (TTraits t, ref KissmetricsValidationContext c) => t.Validate(ref c), options, telemetry);

    /// <inheritdoc cref="Check{TEvent}"/>
    public static bool CheckView<TView>(TView view, KissmetricsOptions options, DeliveryTelemetry telemetry)
        where TView : IKissmetricsView =>
        Run(view, static (TView v, ref KissmetricsValidationContext c) => v.Validate(ref c), options, telemetry);

    // The four contracts are separate interfaces; the static lambdas above are cached per type, so this allocates nothing
    // when every rule passes.
    private delegate void Validator<T>(T value, ref KissmetricsValidationContext context);

    private static bool Run<T>(T value, Validator<T> validate, KissmetricsOptions options, DeliveryTelemetry telemetry)
    {
        if (value is null)
        {
            return true; // the formatter throws the usual ArgumentNullException
        }

        var context = new KissmetricsValidationContext(options.PrefixProperties, violations: null);
        validate(value, ref context);
        if (context.ViolationCount == 0)
        {
            return true;
        }

        var violations = new List<KissmetricsViolation>(context.ViolationCount);
        var collecting = new KissmetricsValidationContext(options.PrefixProperties, violations);
        validate(value, ref collecting);
        return Report(violations, options, telemetry);
    }

    private static bool Report(List<KissmetricsViolation> violations, KissmetricsOptions options, DeliveryTelemetry telemetry)
    {
        bool drop = options.Validation == KissmetricsValidationMode.ReportAndDrop;
        if (violations.Count > 0)
        {
            telemetry.ValidationFailed(violations[0], violations.Count, drop);
        }

        if (options.OnViolation is { } onViolation)
        {
            foreach (KissmetricsViolation violation in violations)
            {
                onViolation(violation);
            }
        }

        return !drop;
    }
}
