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
/// each answering the oldest request written. What happens to requests (queued, written, answered, moved, failed) is
/// decided by the transport, under its lock, which guards this object's state and queues too.
/// </summary>
internal sealed class Http1Connection
{
    private const int ReceiveBufferSize = 32 * 1024; // more than a header block (16 KiB) and room for the next read
    private const int WriteBufferSize = 16 * 1024;

    private readonly SocketTransport _transport;
    private readonly Http1ResponseParser _parser;
    private readonly AsyncSignal _sendSignal = new();
    private readonly CancellationTokenSource _connecting = new();
    private volatile Socket? _socket; // read by Abort on another thread
    private volatile Stream? _stream;

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

    /// <summary>The send loop is waiting for work; whoever gives it some calls <see cref="WakeSendLoop"/>. Under the transport's lock.</summary>
    public bool SendLoopWaiting { get; set; }

    /// <summary>A write failed: nothing more is written; the answers already sent for are still read. Under the transport's lock.</summary>
    public bool WriteFailed { get; set; }

    /// <summary>Requests on it, written or not: what "least loaded" compares.</summary>
    public int Load => Unwritten.Count + Outstanding.Count;

    /// <summary>The connection's task (connect, then both loops); awaited by the transport's dispose.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Starts connecting on the thread pool (never inline in <c>Send</c>).</summary>
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
            Completion = Task.Run(RunAsync);
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
        SendLoopWaiting = false;
        _sendSignal.Set();
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
        _socket?.Dispose();
        _sendSignal.Set();
    }

    private async Task RunAsync()
    {
        Stream stream;
        try
        {
            stream = await ConnectAsync(_connecting.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            _socket?.Dispose();
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
        byte[] writeBuffer = ArrayPool<byte>.Shared.Rent(WriteBufferSize);
        try
        {
            Task<byte[]> sending = SendLoopAsync(stream, writeBuffer);
            await ReceiveLoopAsync(stream, receiveBuffer).ConfigureAwait(false);
            writeBuffer = await sending.ConfigureAwait(false);
        }
        finally
        {
            // Both loops have ended: nobody touches the buffers any more.
            ArrayPool<byte>.Shared.Return(receiveBuffer);
            ArrayPool<byte>.Shared.Return(writeBuffer);
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

    private async Task<Stream> ConnectAsync(CancellationToken cancellationToken)
    {
        // DNS at every connect (not once per transport): with the connection lifetime this follows a DNS change.
        string host = _transport.ConnectHost;
        IPAddress[] addresses = IPAddress.TryParse(host, out IPAddress? literal)
            ? new[] { literal }
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        // The addresses one after another, in the resolver's order (no happy eyeballs: an address that swallows the
        // SYN uses up the connect timeout). A family the machine lacks (IPv6 off) fails at once and the next is tried.
        Socket? connected = null;
        SocketException? last = null;
        foreach (IPAddress address in addresses)
        {
            Socket? socket = null;
            try
            {
                socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                _socket = socket;
                await socket.ConnectAsync(new IPEndPoint(address, _transport.Port), cancellationToken).ConfigureAwait(false);
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

        var tls = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(_transport.CreateTlsOptions(), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return tls;
    }

    /// <summary>Writes what the transport hands it until the connection closes; returns the write buffer (it may have grown).</summary>
    private async Task<byte[]> SendLoopAsync(Stream stream, byte[] buffer)
    {
        try
        {
            while (true)
            {
                int length = _transport.TakeBatch(this, ref buffer, out bool closed);
                if (closed)
                {
                    return buffer;
                }

                if (length == 0)
                {
                    await _sendSignal.WaitAsync().ConfigureAwait(false);
                    continue;
                }

                await stream.WriteAsync(buffer.AsMemory(0, length)).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // Whatever broke the write (reset, aborted, disposed), nothing more is written. The answers already on
            // their way are still read: a server that answered "Connection: close" and closed may make a write fail
            // before its answer has been read. The receive loop (or the timeout) ends the connection.
            _transport.OnWriteFailed(this);
            return buffer;
        }
    }

    private async Task ReceiveLoopAsync(Stream stream, byte[] buffer)
    {
        int start = 0;
        int end = 0;
        try
        {
            while (true)
            {
                if (end == buffer.Length)
                {
                    // Only a header block still arriving keeps bytes unconsumed, and it is at most half the buffer.
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }

                int read = await stream.ReadAsync(buffer.AsMemory(end)).ConfigureAwait(false);
                if (read == 0)
                {
                    if (_parser.CompleteAtEndOfStream())
                    {
                        _transport.OnAnswered(this, _parser.StatusCode, _parser.RetryAfter, connectionClose: true);
                    }

                    _transport.OnBroken(this, AttemptFailure.ConnectionLost, _parser.InProgress ? "closed by the server mid-answer" : "closed by the server");
                    return;
                }

                end += read;
                while (start < end)
                {
                    Http1ParseStatus status = _parser.Parse(buffer.AsSpan(start, end - start), out int consumed);
                    start += consumed;
                    if (status == Http1ParseStatus.NeedMoreData)
                    {
                        break;
                    }

                    if (status == Http1ParseStatus.Invalid)
                    {
                        _transport.OnBroken(this, AttemptFailure.Protocol, "not HTTP/1.1");
                        return;
                    }

                    if (!_transport.OnAnswered(this, _parser.StatusCode, _parser.RetryAfter, _parser.ConnectionClose))
                    {
                        return; // closed: Connection: close, or an answer nobody asked for
                    }
                }

                if (start == end)
                {
                    start = end = 0;
                }
                else if (start > 0 && buffer.Length - end < Http1ResponseParser.MaxHeaderBytes)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }
            }
        }
        catch (Exception)
        {
            _transport.OnBroken(this, AttemptFailure.ConnectionLost, "read failed");
        }
    }
}
