using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Delivery;
using Kissmetrics.Typed.Delivery.Transport;
using Xunit;

namespace Kissmetrics.Typed.Tests.Validation;

/// <summary>What the client does with a call whose values break their attributes, per <see cref="KissmetricsOptions.Validation"/>.</summary>
public sealed class ClientValidationTests
{
    private static readonly Ranged Valid = new(1, 0.5, 0.01m, 2, 0, null, 0);
    private static readonly Ranged Invalid = Valid with { Quantity = 11 };

    [Fact]
    public async Task Report_sends_the_event_calls_OnViolation_and_counts()
    {
        var violations = new ConcurrentQueue<KissmetricsViolation>();
        var transport = new CountingTransport();
        await using (KissmetricsClient client = Client(KissmetricsValidationMode.Report, violations.Enqueue, transport))
        {
            client.Track("bob", Invalid);
            client.Track("bob", Valid);
            await client.FlushAsync();

            KissmetricsViolation violation = Assert.Single(violations);
            Assert.Equal("Ranged", violation.EventName);
            Assert.Equal("Quantity", violation.MemberPath);
            Assert.Equal("Ranged - Quantity", violation.WireName);
            Assert.Equal(KissmetricsValidationRule.Range, violation.Rule);
            Assert.Equal(2, transport.Sent);
            Assert.Equal(1, client.Statistics.ValidationFailures);
            Assert.Equal(0, client.Statistics.DroppedInvalid);
        }
    }

    [Fact]
    public async Task ReportAndDrop_drops_the_event_and_counts()
    {
        var violations = new ConcurrentQueue<KissmetricsViolation>();
        var transport = new CountingTransport();
        await using (KissmetricsClient client = Client(KissmetricsValidationMode.ReportAndDrop, violations.Enqueue, transport))
        {
            client.Track("bob", Invalid);
            client.Identify("bob", new ValidatedTraits(12, null));
            client.Track("bob", Valid);
            await client.FlushAsync();

            Assert.Equal(2, violations.Count);
            Assert.Equal(1, transport.Sent);
            Assert.Equal(2, client.Statistics.ValidationFailures);
            Assert.Equal(2, client.Statistics.DroppedInvalid);
            Assert.Equal(2, client.Statistics.Dropped);
        }
    }

    [Fact]
    public async Task Off_checks_nothing()
    {
        var violations = new ConcurrentQueue<KissmetricsViolation>();
        var transport = new CountingTransport();
        await using (KissmetricsClient client = Client(KissmetricsValidationMode.Off, violations.Enqueue, transport))
        {
            client.Track("bob", Invalid);
            await client.FlushAsync();

            Assert.Empty(violations);
            Assert.Equal(1, transport.Sent);
            Assert.Equal(0, client.Statistics.ValidationFailures);
        }
    }

    [Fact]
    public void Validation_is_off_by_default_outside_Development()
    {
        string? dotnet = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT");
        string? aspnet = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT");
        if (string.Equals(dotnet, "Development", StringComparison.OrdinalIgnoreCase) || string.Equals(aspnet, "Development", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Equal(KissmetricsValidationMode.Report, new KissmetricsOptions().Validation);
        }
        else
        {
            Assert.Equal(KissmetricsValidationMode.Off, new KissmetricsOptions().Validation);
        }
    }

    private static KissmetricsClient Client(KissmetricsValidationMode mode, Action<KissmetricsViolation> onViolation, CountingTransport transport) =>
        new(
            new KissmetricsOptions { ApiKey = "validation-test-key", Validation = mode, OnViolation = onViolation },
            httpClient: null,
            ownsHttp: false,
            TimeProvider.System,
            loggerFactory: null,
            meterFactory: null,
            transport);

    private sealed class CountingTransport : IAttemptTransport
    {
        private int _sent;

        public int Sent => Volatile.Read(ref _sent);

        public string Name => "counting";


        public int Capacity => int.MaxValue;

        public void Send(in OutgoingRequest request, IAttemptSink sink)
        {
            Interlocked.Increment(ref _sent);
            OutgoingRequest copy = request;
            _ = Task.Run(() => sink.AttemptCompleted(copy, AttemptResult.Answered(200)));
        }

        public ValueTask DisposeAsync() => default;
    }
}
