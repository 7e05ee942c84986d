using System;
using System.Buffers;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Kissmetrics.Typed.Delivery;
using Kissmetrics.Typed.Serialization;

namespace Kissmetrics.Typed;

/// <summary>
/// Delivers typed analytics to the Kissmetrics tracking API. Calls serialize on the caller's thread into pooled
/// buffers and queue the requests; a background sender delivers them with retries. Dispose it (or call
/// <see cref="FlushAsync"/>) before the process exits so nothing queued is lost.
/// </summary>
/// <example>
/// <code>
/// await using var client = new KissmetricsClient(new KissmetricsOptions { ApiKey = "..." });
/// client.Track("bob", new SignedUp("Pro"));
/// </code>
/// </example>
public sealed class KissmetricsClient : IKissmetricsClient
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_scratch;

    private readonly KissmetricsOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly HttpSender _sender;
    private readonly Channel<OutgoingRequest> _queue;
    private readonly Task _sending;
    private readonly object _flushGate = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _flushWaiters = new();
    private readonly CancellationTokenSource _stopping = new();

    private long _accepted;
    private long _completed;
    private long _delivered;
    private long _retried;
    private long _rejected;
    private long _gaveUp;
    private long _droppedQueueFull;
    private long _droppedAfterDispose;
    private int _disposed;

    /// <summary>Creates a client with its own long-lived <see cref="HttpClient"/>.</summary>
    /// <param name="options">The API key, endpoint and settings; validated here.</param>
    /// <exception cref="KissmetricsConfigurationException">The options cannot work (for example, no API key).</exception>
    public KissmetricsClient(KissmetricsOptions options)
        : this(options, CreateHttpClient(), ownsHttp: true, TimeProvider.System)
    {
    }

    /// <summary>Creates a client that sends with <paramref name="httpClient"/> (which it does not dispose).</summary>
    /// <param name="options">The API key, endpoint and settings; validated here.</param>
    /// <param name="httpClient">The HTTP client to send with, for example one from <c>IHttpClientFactory</c>.</param>
    /// <exception cref="KissmetricsConfigurationException">The options cannot work (for example, no API key).</exception>
    public KissmetricsClient(KissmetricsOptions options, HttpClient httpClient)
        : this(options, httpClient ?? throw new ArgumentNullException(nameof(httpClient)), ownsHttp: false, TimeProvider.System)
    {
    }

    /// <summary>Creates a client with an explicit clock (for tests and for hosts that fake time).</summary>
    /// <param name="options">The API key, endpoint and settings; validated here.</param>
    /// <param name="httpClient">The HTTP client to send with (not disposed by the client).</param>
    /// <param name="timeProvider">The clock for <c>_t</c>, timeouts and retry delays.</param>
    public KissmetricsClient(KissmetricsOptions options, HttpClient httpClient, TimeProvider timeProvider)
        : this(options, httpClient ?? throw new ArgumentNullException(nameof(httpClient)), ownsHttp: false, timeProvider)
    {
    }

    private KissmetricsClient(KissmetricsOptions options, HttpClient httpClient, bool ownsHttp, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        _options = options;
        _timeProvider = timeProvider;
        _http = httpClient;
        _ownsHttp = ownsHttp;
        _sender = new HttpSender(httpClient, options, timeProvider, () => Interlocked.Increment(ref _retried));
        _queue = Channel.CreateBounded<OutgoingRequest>(new BoundedChannelOptions(options.MaxQueueLength)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _sending = Task.Run(SendLoopAsync);
    }

    /// <summary>What the client has done so far: a snapshot of its counters.</summary>
    public KissmetricsClientStatistics Statistics => new(
        Accepted: Interlocked.Read(ref _accepted),
        Delivered: Interlocked.Read(ref _delivered),
        Retried: Interlocked.Read(ref _retried),
        Rejected: Interlocked.Read(ref _rejected),
        GaveUp: Interlocked.Read(ref _gaveUp),
        DroppedQueueFull: Interlocked.Read(ref _droppedQueueFull),
        DroppedAfterDispose: Interlocked.Read(ref _droppedAfterDispose));

    /// <inheritdoc />
    public void Track<TEvent>(string person, TEvent @event, DateTimeOffset? timestamp = null)
        where TEvent : IKissmetricsEvent
    {
        var writer = BeginCall(out ArrayBufferWriter<byte> scratch);
        KissmetricsFormatter.WriteTrack(ref writer, _options, person, @event, Now(timestamp));
        EndCall(ref writer, scratch);
    }

    /// <inheritdoc />
    public void Identify<TTraits>(string person, TTraits traits, string? anonymousId = null, DateTimeOffset? timestamp = null)
        where TTraits : IKissmetricsTraits
    {
        var writer = BeginCall(out ArrayBufferWriter<byte> scratch);
        KissmetricsFormatter.WriteIdentify(ref writer, _options, person, traits, anonymousId, Now(timestamp));
        EndCall(ref writer, scratch);
    }

    /// <inheritdoc />
    public void Group<TTraits>(string person, string groupId, TTraits traits, DateTimeOffset? timestamp = null)
        where TTraits : IKissmetricsGroupTraits
    {
        var writer = BeginCall(out ArrayBufferWriter<byte> scratch);
        KissmetricsFormatter.WriteGroup(ref writer, _options, person, groupId, traits, Now(timestamp));
        EndCall(ref writer, scratch);
    }

    /// <inheritdoc />
    public void Page<TPage>(string person, TPage page, DateTimeOffset? timestamp = null)
        where TPage : IKissmetricsPage
    {
        var writer = BeginCall(out ArrayBufferWriter<byte> scratch);
        KissmetricsFormatter.WriteView(ref writer, _options, person, page, Now(timestamp));
        EndCall(ref writer, scratch);
    }

    /// <inheritdoc />
    public void Screen<TScreen>(string person, TScreen screen, DateTimeOffset? timestamp = null)
        where TScreen : IKissmetricsScreen
    {
        var writer = BeginCall(out ArrayBufferWriter<byte> scratch);
        KissmetricsFormatter.WriteView(ref writer, _options, person, screen, Now(timestamp));
        EndCall(ref writer, scratch);
    }

    /// <inheritdoc />
    public void Alias(string previousId, string newId)
    {
        var writer = BeginCall(out ArrayBufferWriter<byte> scratch);
        KissmetricsFormatter.WriteAlias(ref writer, _options, previousId, newId);
        EndCall(ref writer, scratch);
    }

    /// <inheritdoc />
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        long target = Interlocked.Read(ref _accepted);
        if (Interlocked.Read(ref _completed) >= target)
        {
            return Task.CompletedTask;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_flushGate)
        {
            if (Interlocked.Read(ref _completed) >= target)
            {
                return Task.CompletedTask;
            }

            _flushWaiters.Add((target, done));
        }

        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Sends what is queued (waiting at most <see cref="KissmetricsOptions.ShutdownTimeout"/>), then stops. Calling it twice is harmless.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await FlushAsync().WaitAsync(_options.ShutdownTimeout, _timeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // What is still queued is given up below and counted.
        }

        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _sending.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        while (_queue.Reader.TryRead(out OutgoingRequest abandoned))
        {
            abandoned.Release();
            Interlocked.Increment(ref _gaveUp);
            Complete();
        }

        _stopping.Dispose();
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private KissmetricsWriter BeginCall(out ArrayBufferWriter<byte> scratch)
    {
        scratch = t_scratch ??= new ArrayBufferWriter<byte>(1024);
        scratch.ResetWrittenCount();
        return new KissmetricsWriter(scratch);
    }

    private void EndCall(ref KissmetricsWriter writer, ArrayBufferWriter<byte> scratch)
    {
        writer.Flush();
        ReadOnlySpan<byte> written = scratch.WrittenSpan;
        while (!written.IsEmpty)
        {
            int end = written.IndexOf((byte)'\n');
            Enqueue(written.Slice(0, end));
            written = written.Slice(end + 1);
        }
    }

    private void Enqueue(ReadOnlySpan<byte> line)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            Interlocked.Increment(ref _droppedAfterDispose);
            return;
        }

        OutgoingRequest request = OutgoingRequest.CopyOf(line);
        Interlocked.Increment(ref _accepted);
        if (!_queue.Writer.TryWrite(request))
        {
            request.Release();
            Interlocked.Increment(ref _droppedQueueFull);
            Complete();
        }
    }

    private long Now(DateTimeOffset? timestamp) => UnixTime.Seconds(timestamp ?? _timeProvider.GetUtcNow());

    private async Task SendLoopAsync()
    {
        CancellationToken stopping = _stopping.Token;
        while (await _queue.Reader.WaitToReadAsync(stopping).ConfigureAwait(false))
        {
            while (_queue.Reader.TryRead(out OutgoingRequest request))
            {
                try
                {
                    (SendOutcome outcome, _) = await _sender.SendAsync(request, stopping).ConfigureAwait(false);
                    switch (outcome)
                    {
                        case SendOutcome.Delivered:
                            Interlocked.Increment(ref _delivered);
                            break;
                        case SendOutcome.Rejected:
                            Interlocked.Increment(ref _rejected);
                            break;
                        default:
                            Interlocked.Increment(ref _gaveUp);
                            break;
                    }
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _gaveUp);
                }
                finally
                {
                    request.Release();
                    Complete();
                }
            }
        }
    }

    private void Complete()
    {
        long completed = Interlocked.Increment(ref _completed);
        lock (_flushGate)
        {
            for (int i = _flushWaiters.Count - 1; i >= 0; i--)
            {
                if (_flushWaiters[i].Target <= completed)
                {
                    _flushWaiters[i].Done.TrySetResult();
                    _flushWaiters.RemoveAt(i);
                }
            }
        }
    }

    private static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = 8,
    });
}

/// <summary>A snapshot of what a <see cref="KissmetricsClient"/> has done: nothing accepted is lost without being counted here.</summary>
/// <param name="Accepted">Requests accepted into the queue.</param>
/// <param name="Delivered">Requests Kissmetrics answered with 2xx.</param>
/// <param name="Retried">Retries made (each attempt after the first).</param>
/// <param name="Rejected">Requests answered with a 4xx that is not retried; dropped.</param>
/// <param name="GaveUp">Requests still failing after every attempt, or abandoned at shutdown; dropped.</param>
/// <param name="DroppedQueueFull">Requests dropped because the queue was full.</param>
/// <param name="DroppedAfterDispose">Calls made after the client was disposed; ignored.</param>
public readonly record struct KissmetricsClientStatistics(
    long Accepted,
    long Delivered,
    long Retried,
    long Rejected,
    long GaveUp,
    long DroppedQueueFull,
    long DroppedAfterDispose);
