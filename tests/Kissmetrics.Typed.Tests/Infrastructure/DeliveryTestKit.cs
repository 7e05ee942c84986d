using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Kissmetrics.Typed.Tests.Infrastructure;

/// <summary>An event for the delivery tests (serialized by the generator): each carries its index, so arrivals can be counted per request.</summary>
/// <param name="Index">Which request it is.</param>
/// <param name="Secret">A payload value that must never be logged.</param>
[KissmetricsEvent("Delivery Test")]
public sealed partial record DeliveryEvent(int Index, string? Secret = null);

/// <summary>Shared settings and helpers of the delivery tests: small retry delays, bounded waits.</summary>
public static class DeliveryTestKit
{
    public const string ApiKey = "delivery-test-key-7c1d";

    public static readonly DateTimeOffset When = new(2014, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);

    public static KissmetricsOptions Options(LoopbackTracker tracker) => Options(tracker.BaseAddress);

    public static KissmetricsOptions Options(Uri endpoint) => new()
    {
        ApiKey = ApiKey,
        Endpoint = endpoint,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        MaxRetryDelay = TimeSpan.FromSeconds(5),
        RequestTimeout = TimeSpan.FromSeconds(5),
        ShutdownTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>
    /// The transport the delivery suite runs on. By default the tests send through the <see cref="HttpClient"/> they
    /// make; with <c>KISSMETRICS_TEST_TRANSPORT=sockets</c> the same tests run on the socket transport (CI runs both).
    /// </summary>
    public static bool OnSockets { get; } = string.Equals(Environment.GetEnvironmentVariable("KISSMETRICS_TEST_TRANSPORT"), "sockets", StringComparison.OrdinalIgnoreCase);

    /// <summary>A client on the suite's transport (<see cref="OnSockets"/>): <paramref name="http"/>, or the socket transport, which then leaves it unused.</summary>
    public static KissmetricsClient NewClient(KissmetricsOptions options, HttpClient http, TimeProvider? time = null, ILoggerFactory? loggerFactory = null, System.Diagnostics.Metrics.IMeterFactory? meterFactory = null)
    {
        if (!OnSockets)
        {
            return new KissmetricsClient(options, http, time, loggerFactory, meterFactory);
        }

        options.Transport = KissmetricsTransport.Sockets;
        return new KissmetricsClient(options, httpClient: null, time, loggerFactory, meterFactory);
    }

    public static HttpClient NewHttpClient() => new(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };

    public static async Task FlushAsync(IKissmetricsClient client)
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        await client.FlushAsync(timeout.Token);
    }

    /// <summary>Polls <paramref name="condition"/> every 5 ms until it holds; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null, string? what = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TestTimeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Timed out waiting for " + (what ?? "a condition"));
            }

            await Task.Delay(5);
        }
    }
}

/// <summary>An HTTP handler that answers 200 once released: holds the senders still, to fill the queue deterministically.</summary>
public sealed class GateHandler : HttpMessageHandler
{
    private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waiting;
    private int _sent;

    /// <summary>How many requests are held at the gate now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>How many requests were answered.</summary>
    public int Sent => Volatile.Read(ref _sent);

    public void Open() => _gate.TrySetResult();

    public void Close() => Interlocked.Exchange(ref _gate, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await Volatile.Read(ref _gate).Task.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }

        Interlocked.Increment(ref _sent);
        return new HttpResponseMessage(HttpStatusCode.OK);
    }
}

/// <summary>One log entry, formatted, with its state's values and exception rendered.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, string Everything);

/// <summary>Captures every log entry at every level, including the values of structured state.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _logs = new();

    public IReadOnlyCollection<CapturedLog> Logs => _logs.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _logs);

    public void Dispose()
    {
    }

    private sealed class Logger : ILogger
    {
        private readonly string _category;
        private readonly ConcurrentQueue<CapturedLog> _logs;

        public Logger(string category, ConcurrentQueue<CapturedLog> logs)
        {
            _category = category;
            _logs = logs;
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string message = formatter(state, exception);
            var everything = new List<string> { message, exception?.ToString() ?? string.Empty };
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (KeyValuePair<string, object?> value in values)
                {
                    everything.Add(value.Key + "=" + value.Value);
                }
            }

            _logs.Enqueue(new CapturedLog(_category, logLevel, eventId, message, string.Join("\n", everything)));
        }
    }
}
