using System;
using System.Buffers;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Kissmetrics.Typed.Delivery.Transport;

/// <summary>Where a connection is in its life. Changed only under the transport's lock.</summary>
internal enum ConnectionState
{
    /// <summary>Resolving, connecting, handshaking: requests may be queued on it but none is written.</summary>
    Connecting,

    /// <summary>Open and taking new requests.</summary>
    Open,

    /// <summary>Open but past its lifetime: no new requests; closed once its last answer is in.</summary>
    Draining,

    /// <summary>Closed: its queues are empty and its loops are ending.</summary>
    Closed,
}

/// <summary>
/// One keep-alive HTTP/1.1 connection of a <see cref="SocketTransport"/>: the I/O only. A send loop copies the framed
/// requests waiting on it (as many as the pipeline depth allows) into one buffer and writes them with one call; a
/// receive loop reads into a buffer of its own and frames the answers with an <see cref="Http1ResponseParser"/>,
/// each answering the oldest request written, and once a read's answers are completed writes what their sinks queued
/// here in the same way (who writes is <see cref="WriterPlace"/>'s protocol). Both loops are asynchronous, or the
/// receive loop is a thread of its own with blocking calls (Http1Connection.Thread.cs). What happens to requests (queued, written, answered, moved, failed) is
/// decided by the transport, under its lock, which guards this object's state and queues too.
/// </summary>
internal sealed partial class Http1Connection
{
    private const int ReceiveBufferSize = 32 * 1024; // more than a header block (16 KiB) and room for the next read
    private const int WriteBufferSize = 16 * 1024;

    private readonly SocketTransport _transport;
    private readonly Http1ResponseParser _parser;
    private readonly AsyncSignal _sendSignal = new();
    private readonly CancellationTokenSource _connecting = new();
    private Socket? _socket; // read by Abort on another thread (Volatile, or Interlocked where the order matters)
    private volatile Stream? _stream;

    // The write buffer belongs to whoever holds the writer's place (Writer.Held, under the transport's lock): the send
    // loop, or the receive loop writing on its way out of a batch. A field, so that either can use (and grow) it.
    private byte[] _writeBuffer = Array.Empty<byte>();

    // A write the receive loop started and could not finish at once (the socket's send buffer was full, or it failed):
    // handed to the send loop, which awaits it before writing anything else. Null almost always.
    private volatile Task? _handedOver;

    /// <summary>Creates a connection in <see cref="ConnectionState.Connecting"/>; <see cref="Start"/> opens it.</summary>
    public Http1Connection(SocketTransport transport, int id, long createdAt)
    {
        _transport = transport;
        Id = id;
        CreatedAt = createdAt;
        LastActivity = createdAt;
        _parser = new Http1ResponseParser(transport.TimeProvider);
    }

    /// <summary>A number for the log (never the URL).</summary>
    public int Id { get; }

    /// <summary>Requests queued on this connection and not written yet. Under the transport's lock.</summary>
    public AttemptQueue Unwritten { get; } = new();

    /// <summary>Requests written and not answered yet, oldest first. Under the transport's lock.</summary>
    public AttemptQueue Outstanding { get; } = new();

    /// <summary>Where the connection is. Under the transport's lock.</summary>
    public ConnectionState State { get; set; }

    /// <summary>When it was created (the connect timeout counts from here). A <see cref="TimeProvider"/> timestamp.</summary>
    public long CreatedAt { get; }

    /// <summary>When it opened (its lifetime counts from here). Under the transport's lock.</summary>
    public long OpenedAt { get; set; }

    /// <summary>When it last had an answer, or opened (the idle timeout counts from here). Under the transport's lock.</summary>
    public long LastActivity { get; set; }

    /// <summary>How many answers it has had, for the log. Under the transport's lock.</summary>
    public long Answered { get; set; }

    /// <summary>Who writes, and whether a queued request must wake the send loop (see <see cref="WriterPlace"/>). Under the transport's lock.</summary>
    public WriterPlace Writer { get; } = new();

    /// <summary>A write failed: nothing more is written; the answers already sent for are still read. Under the transport's lock.</summary>
    public bool WriteFailed { get; set; }

    /// <summary>Requests on it, written or not: what "least loaded" compares.</summary>
    public int Load => Unwritten.Count + Outstanding.Count;

    /// <summary>The connection's task (connect, then both loops); awaited by the transport's dispose.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Starts connecting on the thread pool, or on a thread of its own (<see cref="SocketTransport.DedicatedThreads"/>); never inline in <c>Send</c>.</summary>
    public void Start()
    {
        // The loops live as long as the connection: they must not carry the AsyncLocals (an Activity, a logging
        // scope) of whichever caller happened to open it.
        bool suppress = !ExecutionContext.IsFlowSuppressed(); // SuppressFlow throws when it already is
        if (suppress)
        {
            ExecutionContext.SuppressFlow();
        }

        try
        {
            Completion = _transport.DedicatedThreads ? StartThread() : Task.Run(RunAsync);
        }
        finally
        {
            if (suppress)
            {
                ExecutionContext.RestoreFlow();
            }
        }
    }

    /// <summary>Wakes the send loop (to write, or to see it is closed).</summary>
    public void WakeSendLoop()
    {
        Writer.SendLoopWaiting = false;
        _sendSignal.Set();
    }

    /// <summary>
    /// Writes the waiting requests on the receive loop's thread, which took the writer's place under the transport's
    /// lock at the end of a batch of answers (<see cref="SocketTransport.EndReceiveBatch"/>). The write is the socket's
    /// asynchronous one, which sends at once when the socket's send buffer has room and never blocks: when it cannot
    /// finish at once (or fails), it is handed to the send loop, still holding the place, and this returns, so the
    /// receive loop never waits for the server to take our bytes while the server may be waiting for us to read.
    /// </summary>
    private void WriteFromReceiveLoop(Stream stream)
    {
        while (true)
        {
            int length = _transport.TakeBatch(this, ref _writeBuffer, out bool closed, sendLoop: false, holding: true);
            if (length == 0)
            {
                if (closed)
                {
                    _sendSignal.Set(); // the send loop may be waiting for this writer to let go before it ends
                }

                return;
            }

            ValueTask write;
            try
            {
                write = stream.WriteAsync(_writeBuffer.AsMemory(0, length));
            }
            catch (Exception exception)
            {
                write = ValueTask.FromException(exception);
            }

            if (!write.IsCompletedSuccessfully)
            {
                // Still the writer's place, now the send loop's: it awaits this write (and handles its failure) first.
                _handedOver = write.AsTask();
                _sendSignal.Set();
                return;
            }

            write.GetAwaiter().GetResult(); // releases a pooled source behind the ValueTask, if any
        }
    }

    /// <summary>Closes the socket: a connect, read or write in progress fails, and the loops end. Idempotent.</summary>
    public void Abort()
    {
        try
        {
            _connecting.Cancel();
        }
        catch (AggregateException)
        {
            // A registration threw while being cancelled; the socket is closed below anyway.
        }

        _stream?.Dispose();
        Volatile.Read(ref _socket)?.Dispose();
        _sendSignal.Set();
    }

    private async Task RunAsync()
    {
        Stream stream;
        try
        {
            stream = await ConnectAsync(blocking: false, _connecting.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            Volatile.Read(ref _socket)?.Dispose();
            _transport.OnConnectFailed(this, exception);
            return;
        }

        _stream = stream;
        if (!_transport.OnOpened(this))
        {
            // Aborted (a connect timeout, the transport disposed) while the handshake finished.
            await stream.DisposeAsync().ConfigureAwait(false);
            return;
        }

        byte[] receiveBuffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
        _writeBuffer = ArrayPool<byte>.Shared.Rent(WriteBufferSize);
        try
        {
            Task sending = SendLoopAsync(stream);
            await ReceiveLoopAsync(stream, receiveBuffer).ConfigureAwait(false);
            await sending.ConfigureAwait(false);
        }
        finally
        {
            // Both loops have ended (the receive loop writes only from inside its loop, and the send loop ends only
            // once no other writer holds the write buffer): nobody touches the buffers any more.
            ArrayPool<byte>.Shared.Return(receiveBuffer);
            ArrayPool<byte>.Shared.Return(_writeBuffer);
            try
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Closing a broken TLS stream may throw; the connection is gone either way.
            }
        }
    }

    /// <summary>
    /// Opens the connection's stream: DNS at every connect (not once per transport: with the connection lifetime this
    /// follows a DNS change), the addresses in the resolver's order, TLS with SNI. One method for both receive modes, in
    /// the BCL's <c>bool async</c> style: with <paramref name="blocking"/> (the dedicated thread) every step is the
    /// blocking call and the method completes synchronously; otherwise every step is awaited.
    /// </summary>
    private async ValueTask<Stream> ConnectAsync(bool blocking, CancellationToken cancellationToken)
    {
        string host = _transport.ConnectHost;
        IPAddress[] addresses = IPAddress.TryParse(host, out IPAddress? literal) ? new[] { literal }
            : blocking ? Dns.GetHostAddresses(host)
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        // One address after another (no happy eyeballs: an address that swallows the SYN uses up the connect timeout).
        // A family the machine lacks (IPv6 off) fails at once and the next is tried.
        Socket? connected = null;
        SocketException? last = null;
        foreach (IPAddress address in addresses)
        {
            Socket? socket = null;
            try
            {
                socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

                // Abort cancels, then closes the socket it sees: publishing this one with a full fence before looking
                // at the token means that either Abort closes it (and the connect fails) or this sees the cancellation.
                // The blocking connect takes no token; this is how it is ended.
                Interlocked.Exchange(ref _socket, socket);
                cancellationToken.ThrowIfCancellationRequested();
                var endpoint = new IPEndPoint(address, _transport.Port);
                if (blocking)
                {
                    socket.Connect(endpoint);
                }
                else
                {
                    await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
                }

                connected = socket;
                break;
            }
            catch (SocketException exception)
            {
                socket?.Dispose();
                last = exception;
            }
        }

        if (connected is null)
        {
            throw last ?? new SocketException((int)SocketError.HostNotFound);
        }

        var network = new NetworkStream(connected, ownsSocket: true);
        if (!_transport.UseTls)
        {
            return network;
        }

        SslStream tls = _transport.CreateTlsStream(network);
        try
        {
            if (blocking)
            {
                _transport.Authenticate(tls);
            }
            else
            {
                await _transport.AuthenticateAsync(tls, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            tls.Dispose();
            throw;
        }

        return tls;
    }

    /// <summary>Writes what the transport hands it (and finishes a write the receive loop handed over) until the connection closes.</summary>
    private async Task SendLoopAsync(Stream stream)
    {
        try
        {
            bool holding = false; // whether this loop holds the writer's place from its last write
            while (true)
            {
                if (Interlocked.Exchange(ref _handedOver, null) is { } handedOver)
                {
                    await handedOver.ConfigureAwait(false);
                    holding = true;
                }

                int length = _transport.TakeBatch(this, ref _writeBuffer, out bool closed, sendLoop: true, holding);
                if (closed)
                {
                    return;
                }

                if (length == 0)
                {
                    holding = false;
                    await _sendSignal.WaitAsync().ConfigureAwait(false);
                    continue;
                }

                if (_transport.DedicatedThreads)
                {
                    // A socket used only synchronously stays in blocking mode, which its thread's reads need (see
                    // Http1Connection.Thread.cs). The write sends at once unless the server stopped reading.
                    stream.Write(_writeBuffer, 0, length);
                }
                else
                {
                    await stream.WriteAsync(_writeBuffer.AsMemory(0, length)).ConfigureAwait(false);
                }

                holding = true;
            }
        }
        catch (Exception)
        {
            // Whatever broke the write (reset, aborted, disposed), nothing more is written. The answers already on
            // their way are still read: a server that answered "Connection: close" and closed may make a write fail
            // before its answer has been read. The receive loop (or the timeout) ends the connection.
            _transport.OnWriteFailed(this);
        }
    }

    private async Task ReceiveLoopAsync(Stream stream, byte[] buffer)
    {
        var window = new ReceiveWindow(buffer);
        try
        {
            while (true)
            {
                int read = await stream.ReadAsync(window.Free()).ConfigureAwait(false);
                if (!OnReceived(ref window, read))
                {
                    return;
                }

                if (window.Answered && _transport.EndReceiveBatch(this))
                {
                    WriteFromReceiveLoop(stream);
                }
            }
        }
        catch (Exception)
        {
            _transport.OnBroken(this, AttemptFailure.ConnectionLost, "read failed");
        }
    }

    /// <summary>
    /// Frames and completes every complete answer in the window after a read of <paramref name="read"/> bytes (0: the
    /// server closed). Shared by both receive loops; afterwards <see cref="ReceiveWindow.Answered"/> says whether the
    /// read completed any (then the loop ends the batch: <see cref="SocketTransport.EndReceiveBatch"/>).
    /// </summary>
    /// <returns>Whether the loop reads on.</returns>
    private bool OnReceived(ref ReceiveWindow window, int read)
    {
        window.Answered = false;
        if (read == 0)
        {
            if (_parser.CompleteAtEndOfStream())
            {
                _transport.OnAnswered(this, _parser.StatusCode, _parser.RetryAfter, connectionClose: true);
            }

            _transport.OnBroken(this, AttemptFailure.ConnectionLost, _parser.InProgress ? "closed by the server mid-answer" : "closed by the server");
            return false;
        }

        byte[] buffer = window.Buffer;
        window.End += read;
        while (window.Start < window.End)
        {
            Http1ParseStatus status = _parser.Parse(buffer.AsSpan(window.Start, window.End - window.Start), out int consumed);
            window.Start += consumed;
            if (status == Http1ParseStatus.NeedMoreData)
            {
                break;
            }

            if (status == Http1ParseStatus.Invalid)
            {
                _transport.OnBroken(this, AttemptFailure.Protocol, "not HTTP/1.1");
                return false;
            }

            if (!_transport.OnAnswered(this, _parser.StatusCode, _parser.RetryAfter, _parser.ConnectionClose))
            {
                return false; // closed: Connection: close, or an answer nobody asked for
            }

            // Every complete answer of this read is completed, and their sinks have queued what they start, before
            // the loop writes what waits on this connection, in one write, rather than wake the send loop for it.
            window.Answered = true;
        }

        if (window.Start == window.End)
        {
            window.Start = window.End = 0;
        }
        else if (window.Start > 0 && buffer.Length - window.End < Http1ResponseParser.MaxHeaderBytes)
        {
            Buffer.BlockCopy(buffer, window.Start, buffer, 0, window.End - window.Start);
            window.End -= window.Start;
            window.Start = 0;
        }

        return true;
    }

    /// <summary>A receive loop's buffer: bytes from <see cref="Start"/> to <see cref="End"/> are read and not framed yet.</summary>
    private struct ReceiveWindow
    {
        public ReceiveWindow(byte[] buffer) => Buffer = buffer;

        /// <summary>The receive buffer.</summary>
        public byte[] Buffer;

        /// <summary>The first byte not framed yet.</summary>
        public int Start;

        /// <summary>The end of what was read.</summary>
        public int End;

        /// <summary>The last read completed at least one answer.</summary>
        public bool Answered;

        /// <summary>Where the next read goes (room is made first when the buffer is full).</summary>
        public Memory<byte> Free()
        {
            if (End == Buffer.Length)
            {
                // Only a header block still arriving keeps bytes unconsumed, and it is at most half the buffer.
                System.Buffer.BlockCopy(Buffer, Start, Buffer, 0, End - Start);
                End -= Start;
                Start = 0;
            }

            return Buffer.AsMemory(End);
        }
    }
}
