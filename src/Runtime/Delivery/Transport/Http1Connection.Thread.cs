using System;
using System.Buffers;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Kissmetrics.Typed.Delivery.Transport;

/// <summary>
/// A connection on a thread of its own (<see cref="SocketTransport.DedicatedThreads"/>): the thread connects, then
/// reads in a blocking call, completes the answers, and writes what they queued on the connection before it reads
/// again, as a hand-written loop over a blocking socket does.
/// </summary>
/// <remarks>
/// <para>
/// Why: with few requests in flight each answer is a round trip through the runtime's socket engine, whose epoll
/// thread hands every completed read to the thread pool; that hand-off, and the pool's workers spinning and parking
/// around it, cost more than the request itself (about 1.6-1.9 context switches per request on a 2-core machine, where
/// a blocking read costs one). A thread blocked in its read is woken by the kernel with the bytes, once. With many
/// requests in flight the asynchronous loops are cheaper (one thread serves many connections and a read brings many
/// answers), so the transport uses threads only when the in-flight limit is small (it caps the threads too: a
/// connection is opened only for a request that finds every open one busy).
/// </para>
/// <para>
/// Every operation on the socket is synchronous (connect, the TLS handshake, reads, both writers' writes): the runtime
/// switches a socket to non-blocking mode, for good, at its first asynchronous operation, and a blocking read on such
/// a socket is emulated through the epoll thread again. Closing the socket (<see cref="Abort"/>: a timeout, dispose)
/// ends a blocked connect, read or write. The send loop, for requests queued while no answer is being completed, is
/// the same as in the asynchronous mode but writes synchronously too, on a pool thread; a write blocks only when the
/// socket's send buffer is full, that is when the server stopped reading, and then the request timeout closes the
/// connection. The receive thread's own write can block the same way, which stops it reading meanwhile: with answers of
/// a few hundred bytes to at most <see cref="KissmetricsOptions.PipelineDepth"/> requests, the server's answers fit in
/// the socket buffers, so a server that reads again is never waiting for us.
/// </para>
/// </remarks>
internal sealed partial class Http1Connection
{
    private Task StartThread()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(static state =>
        {
            var (connection, completion) = ((Http1Connection, TaskCompletionSource))state!;
            try
            {
                connection.RunOnThread();
            }
            finally
            {
                completion.TrySetResult();
            }
        })
        {
            IsBackground = true, // never keeps a process alive: dispose ends the connections anyway
            Name = "Kissmetrics connection",
        };
        thread.UnsafeStart((this, done)); // no ExecutionContext: the thread lives as long as the connection
        return done.Task;
    }

    private void RunOnThread()
    {
        Stream stream;
        try
        {
            // Blocking all the way: completes synchronously, so GetResult does not wait on anything.
            stream = ConnectAsync(blocking: true, _connecting.Token).GetAwaiter().GetResult();
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
            DisposeQuietly(stream);
            return;
        }

        byte[] receiveBuffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
        _writeBuffer = ArrayPool<byte>.Shared.Rent(WriteBufferSize);
        try
        {
            Task sending = SendLoopAsync(stream);
            ReceiveLoopBlocking(stream, receiveBuffer);

            // The receive loop ended with the connection closed, which wakes the send loop to end; it never faults.
            sending.GetAwaiter().GetResult();
        }
        finally
        {
            // Both loops have ended and no writer holds the write buffer: nobody touches the buffers any more.
            ArrayPool<byte>.Shared.Return(receiveBuffer);
            ArrayPool<byte>.Shared.Return(_writeBuffer);
            DisposeQuietly(stream);
        }
    }

    private static void DisposeQuietly(Stream stream)
    {
        try
        {
            stream.Dispose();
        }
        catch (Exception)
        {
            // Closing a broken TLS stream may throw; the connection is gone either way.
        }
    }

    private void ReceiveLoopBlocking(Stream stream, byte[] buffer)
    {
        var window = new ReceiveWindow(buffer);
        try
        {
            while (true)
            {
                int read = stream.Read(window.Free().Span);
                if (!OnReceived(ref window, read))
                {
                    return;
                }

                if (window.Answered && _transport.EndReceiveBatch(this))
                {
                    WriteFromReceiveThread(stream);
                }
            }
        }
        catch (Exception)
        {
            _transport.OnBroken(this, AttemptFailure.ConnectionLost, "read failed");
        }
    }

    /// <summary>
    /// Writes the waiting requests from the receive thread, which took the writer's place at the end of a batch of
    /// answers. A failed write ends the writing (the answers already on their way are still read), as in the send loop.
    /// </summary>
    private void WriteFromReceiveThread(Stream stream)
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

            try
            {
                stream.Write(_writeBuffer, 0, length);
            }
            catch (Exception)
            {
                _transport.OnWriteFailed(this, releaseWriter: true);
                _sendSignal.Set(); // the send loop sees the failure and ends
                return;
            }
        }
    }
}
