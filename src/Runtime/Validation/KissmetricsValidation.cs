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
        where TEvent : IKissmetricsEvent
    {
        if (@event is null)
        {
            return true; // the formatter throws the usual ArgumentNullException
        }

        var context = new KissmetricsValidationContext(options.PrefixProperties, violations: null);
        @event.Validate(ref context);
        if (context.ViolationCount == 0)
        {
            return true;
        }

        var violations = new List<KissmetricsViolation>(context.ViolationCount);
        var collecting = new KissmetricsValidationContext(options.PrefixProperties, violations);
        @event.Validate(ref collecting);
        return Report(violations, options, telemetry);
    }

    /// <inheritdoc cref="Check{TEvent}"/>
    public static bool CheckTraits<TTraits>(TTraits traits, KissmetricsOptions options, DeliveryTelemetry telemetry)
        where TTraits : IKissmetricsTraits
    {
        if (traits is null)
        {
            return true;
        }

        var context = new KissmetricsValidationContext(options.PrefixProperties, violations: null);
        traits.Validate(ref context);
        if (context.ViolationCount == 0)
        {
            return true;
        }

        var violations = new List<KissmetricsViolation>(context.ViolationCount);
        var collecting = new KissmetricsValidationContext(options.PrefixProperties, violations);
        traits.Validate(ref collecting);
        return Report(violations, options, telemetry);
    }

    /// <inheritdoc cref="Check{TEvent}"/>
    public static bool CheckGroupTraits<TTraits>(TTraits traits, KissmetricsOptions options, DeliveryTelemetry telemetry)
        where TTraits : IKissmetricsGroupTraits
    {
        if (traits is null)
        {
            return true;
        }

        var context = new KissmetricsValidationContext(options.PrefixProperties, violations: null);
        traits.Validate(ref context);
        if (context.ViolationCount == 0)
        {
            return true;
        }

        var violations = new List<KissmetricsViolation>(context.ViolationCount);
        var collecting = new KissmetricsValidationContext(options.PrefixProperties, violations);
        traits.Validate(ref collecting);
        return Report(violations, options, telemetry);
    }

    /// <inheritdoc cref="Check{TEvent}"/>
    public static bool CheckView<TView>(TView view, KissmetricsOptions options, DeliveryTelemetry telemetry)
        where TView : IKissmetricsView
    {
        if (view is null)
        {
            return true;
        }

        var context = new KissmetricsValidationContext(options.PrefixProperties, violations: null);
        view.Validate(ref context);
        if (context.ViolationCount == 0)
        {
            return true;
        }

        var violations = new List<KissmetricsViolation>(context.ViolationCount);
        var collecting = new KissmetricsValidationContext(options.PrefixProperties, violations);
        view.Validate(ref collecting);
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
