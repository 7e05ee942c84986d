using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Delivery;
using Kissmetrics.Typed.Delivery.Transport;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Kissmetrics.Typed.Tests.Delivery.Transport;

/// <summary>Requests, a recording sink and a capturing logger for the socket transport tests.</summary>
internal static class TransportTestKit
{
    public const string ApiKey = "transport-test-key-51a2";

    /// <summary>How long any one test waits for completions before it fails.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    /// <summary>A request line carrying <paramref name="index"/>, padded with <paramref name="padding"/> extra bytes of query.</summary>
    public static OutgoingRequest Request(int index, int padding = 0, string path = "/e")
    {
        string line = path + "?_k=" + ApiKey + "&_n=Signed%20Up&_p=bob%40example.com&_t=1388534400&_d=1&i=" + index.ToString(System.Globalization.CultureInfo.InvariantCulture)
            + (padding > 0 ? "&pad=" + new string('x', padding) : string.Empty);
        byte[] bytes = Encoding.ASCII.GetBytes(line);
        return new OutgoingRequest(bytes, bytes.Length, new DeliveryEpoch(null), null);
    }

    /// <summary>The request's line as text.</summary>
    public static string Line(in OutgoingRequest request) => Encoding.ASCII.GetString(request.Bytes);

    /// <summary>The index a <see cref="Request"/> carries.</summary>
    public static int IndexOf(string lineOrTarget)
    {
        int at = lineOrTarget.IndexOf("&i=", StringComparison.Ordinal) + 3;
        int end = at;
        while (end < lineOrTarget.Length && char.IsAsciiDigit(lineOrTarget[end]))
        {
            end++;
        }

        return int.Parse(lineOrTarget.AsSpan(at, end - at), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static KissmetricsOptions Options(Uri endpoint, int maxConnections = 2, int pipelineDepth = 32, int timeoutMilliseconds = 5000) => new()
    {
        ApiKey = ApiKey,
        Endpoint = endpoint,
        MaxConnections = maxConnections,
        PipelineDepth = pipelineDepth,
        RequestTimeout = TimeSpan.FromMilliseconds(timeoutMilliseconds),
    };

    public static SocketTransport NewTransport(
        KissmetricsOptions options,
        CapturingLogger? logger = null,
        RemoteCertificateValidationCallback? certificateValidation = null,
        TimeSpan? lifetime = null,
        TimeSpan? idle = null,
        TimeSpan? pipeliningPause = null,
        bool? dedicatedThreads = null) =>
        new(options, TimeProvider.System, (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, certificateValidation, lifetime, idle, pipeliningPause, dedicatedThreads);
}

/// <summary>
/// Records every completion and checks the contract as it goes: exactly one per request, never inside <c>Send</c>.
/// </summary>
internal sealed class AttemptRecorder : IAttemptSink
{
    [ThreadStatic]
    private static bool t_inSend;

    private readonly ConcurrentDictionary<int, List<AttemptResult>> _results = new();
    private readonly object _gate = new();
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = new();
    private int _completed;
    private int _inline;

    /// <summary>How many completions arrived.</summary>
    public int Completed => Volatile.Read(ref _completed);

    /// <summary>Sends through <paramref name="transport"/>, marking the thread so that an inline completion is caught.</summary>
    public void Send(SocketTransport transport, in OutgoingRequest request)
    {
        t_inSend = true;
        try
        {
            transport.Send(request, this);
        }
        finally
        {
            t_inSend = false;
        }
    }

    /// <inheritdoc />
    public void AttemptCompleted(in OutgoingRequest request, in AttemptResult result)
    {
        if (t_inSend)
        {
            Interlocked.Increment(ref _inline);
        }

        int index = TransportTestKit.IndexOf(TransportTestKit.Line(request));
        List<AttemptResult> list = _results.GetOrAdd(index, _ => new List<AttemptResult>());
        lock (list)
        {
            list.Add(result);
        }

        int completed = Interlocked.Increment(ref _completed);
        lock (_gate)
        {
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Count <= completed)
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>Waits until <paramref name="count"/> completions have arrived, within <see cref="TransportTestKit.Bound"/>.</summary>
    public async Task WaitForAsync(int count, TimeSpan? bound = null)
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            if (Completed >= count)
            {
                return;
            }

            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
        }

        try
        {
            await done.Task.WaitAsync(bound ?? TransportTestKit.Bound);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Expected {count} completion(s) within {bound ?? TransportTestKit.Bound}; {Completed} arrived.");
        }
    }

    /// <summary>The one result of request <paramref name="index"/>; fails unless there was exactly one.</summary>
    public AttemptResult Single(int index)
    {
        Assert.True(_results.TryGetValue(index, out List<AttemptResult>? list), $"request {index} never completed");
        lock (list!)
        {
            Assert.True(list.Count == 1, $"request {index} completed {list.Count} times");
            return list[0];
        }
    }

    /// <summary>Asserts that requests 0..<paramref name="count"/>-1 each completed exactly once, none inline, and nothing else completed.</summary>
    public List<AttemptResult> AssertExactlyOnce(int count)
    {
        var results = new List<AttemptResult>();
        for (int i = 0; i < count; i++)
        {
            results.Add(Single(i));
        }

        Assert.Equal(count, Completed);
        Assert.Equal(0, Volatile.Read(ref _inline));
        return results;
    }
}

/// <summary>Keeps every formatted log message: the tests check that no request target is ever logged.</summary>
internal sealed class CapturingLogger : ILogger
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyCollection<string> Messages => _messages.ToArray();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _messages.Enqueue(DateTime.UtcNow.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture) + " " + eventId.Id + " " + formatter(state, exception) + (exception is null ? string.Empty : " " + exception));

    /// <summary>Asserts that nothing logged carries the API key or a payload.</summary>
    public void AssertNoSecrets()
    {
        foreach (string message in _messages)
        {
            Assert.DoesNotContain(TransportTestKit.ApiKey, message, StringComparison.Ordinal);
            Assert.DoesNotContain("_p=", message, StringComparison.Ordinal);
        }
    }
}
