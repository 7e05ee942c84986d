using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using Kissmetrics.Typed.Delivery;
using Kissmetrics.Typed.Delivery.Transport;

namespace Kissmetrics.Typed.Tests.Infrastructure;

/// <summary>
/// An attempt transport the test answers by hand, to drive the dispatch protocol alone (the loopback tests drive it
/// through real HTTP). Every attempt waits until the test completes it; completions run on the
/// thread pool, as a real transport's never run inside <c>Send</c>.
/// </summary>
internal sealed class ScriptedTransport : IAttemptTransport
{
    private readonly ConcurrentQueue<PendingAttempt> _pending = new();
    private int _inFlight;
    private int _maxInFlight;
    private int _sent;
    private int _completing;

    public string Name => "scripted";


    public int Capacity => int.MaxValue;

    /// <summary>Attempts started and not yet answered.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most attempts that were in flight at once.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Attempts started in all.</summary>
    public int Sent => Volatile.Read(ref _sent);

    /// <summary>When set, attempts are answered with it at once instead of waiting for the test.</summary>
    public Func<int, AttemptResult>? AutoAnswer { get; set; }

    public void Send(in OutgoingRequest request, IAttemptSink sink)
    {
        int index = Interlocked.Increment(ref _sent) - 1;
        int inFlight = Interlocked.Increment(ref _inFlight);
        int max;
        while (inFlight > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, inFlight, max) != max)
        {
        }

        var attempt = new PendingAttempt(this, request, sink, DeliveryEventIndex(request));
        if (AutoAnswer is { } answer)
        {
            attempt.Answer(answer(index));
            return;
        }

        _pending.Enqueue(attempt);
    }

    /// <summary>Takes the oldest unanswered attempt.</summary>
    public bool TryTake(out PendingAttempt attempt) => _pending.TryDequeue(out attempt!);

    /// <summary>Answers every attempt waiting now with <paramref name="result"/>; returns how many.</summary>
    public int AnswerAll(AttemptResult result)
    {
        int answered = 0;
        while (_pending.TryDequeue(out PendingAttempt? attempt))
        {
            attempt.Answer(result);
            answered++;
        }

        return answered;
    }

    /// <summary>Ends every attempt still waiting as stopped in flight (a scripted attempt counts as written: the test holds it) and returns once their completions have run, as a real transport does.</summary>
    public async ValueTask DisposeAsync()
    {
        AnswerAll(AttemptResult.Failed(AttemptFailure.StoppedInFlight));
        await DeliveryTestKit.WaitUntilAsync(() => Volatile.Read(ref _completing) == 0, what: "the stopped attempts' completions");
    }

    private static int DeliveryEventIndex(in OutgoingRequest request)
    {
        string text = System.Text.Encoding.ASCII.GetString(request.Bytes);
        const string Key = "Delivery%20Test%20-%20Index=";
        int at = text.IndexOf(Key, StringComparison.Ordinal);
        if (at < 0)
        {
            return -1;
        }

        int end = text.IndexOf('&', at);
        return int.Parse(text.AsSpan(at + Key.Length, (end < 0 ? text.Length : end) - at - Key.Length), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>One attempt waiting for the test's answer.</summary>
    public sealed class PendingAttempt
    {
        private readonly ScriptedTransport _owner;
        private readonly OutgoingRequest _request;
        private readonly IAttemptSink _sink;
        private int _answered;

        internal PendingAttempt(ScriptedTransport owner, OutgoingRequest request, IAttemptSink sink, int index)
        {
            _owner = owner;
            _request = request;
            _sink = sink;
            Index = index;
        }

        /// <summary>The <c>DeliveryEvent.Index</c> the request carries, or -1.</summary>
        public int Index { get; }

        public void Answer(AttemptResult result)
        {
            if (Interlocked.Exchange(ref _answered, 1) != 0)
            {
                throw new InvalidOperationException("An attempt is answered once.");
            }

            Interlocked.Decrement(ref _owner._inFlight);
            Interlocked.Increment(ref _owner._completing);
            ThreadPool.UnsafeQueueUserWorkItem(
                _ =>
                {
                    try
                    {
                        _sink.AttemptCompleted(_request, result);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _owner._completing);
                    }
                },
                null);
        }
    }
}
