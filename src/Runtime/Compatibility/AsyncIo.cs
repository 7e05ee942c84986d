#if !NET
using System.Buffers;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;

namespace System;

/// <summary>
/// The memory-based stream and socket calls of .NET Core 2.1+, which netstandard2.0 lacks, over its array and
/// <see cref="Task"/> overloads. The socket transport's buffers are pooled arrays, so the memory they are given is an
/// array's and goes through as it is; anything else is copied through a pooled array. Cancellation the older overloads
/// cannot take closes the socket or stream, which ends the call (as .NET's own cancellation of a socket call does).
/// </summary>
[Embedded]
internal static class AsyncIoPolyfills
{
    extension(Stream stream)
    {
        public ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (MemoryMarshal.TryGetArray(buffer, out ArraySegment<byte> segment))
            {
                return new ValueTask(stream.WriteAsync(segment.Array!, segment.Offset, segment.Count, cancellationToken));
            }

            return WriteCopyAsync(stream, buffer, cancellationToken);
        }

        public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (MemoryMarshal.TryGetArray(buffer, out ArraySegment<byte> segment))
            {
                return new ValueTask<int>(stream.ReadAsync(segment.Array!, segment.Offset, segment.Count, cancellationToken));
            }

            return ReadCopyAsync(stream, buffer, cancellationToken);
        }

        public int Read(Span<byte> buffer)
        {
            byte[] array = ArrayPool<byte>.Shared.Rent(buffer.Length);
            try
            {
                int read = stream.Read(array, 0, buffer.Length);
                array.AsSpan(0, read).CopyTo(buffer);
                return read;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(array);
            }
        }

        public ValueTask DisposeAsync()
        {
            stream.Dispose();
            return default;
        }
    }

    extension(Socket socket)
    {
        public async ValueTask ConnectAsync(EndPoint remoteEP, CancellationToken cancellationToken)
        {
            using (cancellationToken.Register(static state => ((Socket)state!).Dispose(), socket))
            {
                try
                {
                    await SocketTaskExtensions.ConnectAsync(socket, remoteEP).ConfigureAwait(false);
                }
                catch (Exception) when (cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException(cancellationToken);
                }
            }
        }
    }

    extension(Dns)
    {
        public static async Task<IPAddress[]> GetHostAddressesAsync(string hostNameOrAddress, CancellationToken cancellationToken)
        {
            Task<IPAddress[]> lookup = Dns.GetHostAddressesAsync(hostNameOrAddress);
            await ((Task)lookup).WaitAsync(cancellationToken).ConfigureAwait(false);
            return await lookup.ConfigureAwait(false);
        }
    }

    extension(Thread thread)
    {
        /// <summary>Starts the thread; netstandard2.0 cannot leave the ExecutionContext behind, so the caller's flows to it.</summary>
        public void UnsafeStart(object? parameter) => thread.Start(parameter);
    }

    extension(ValueTask)
    {
        public static ValueTask FromException(Exception exception) => new(Task.FromException(exception));
    }

    extension(CancellationTokenSource source)
    {
        /// <summary>Cancels with the callbacks run off the caller's thread, as .NET's does.</summary>
        public Task CancelAsync() => source.IsCancellationRequested ? Task.CompletedTask : Task.Run(source.Cancel);
    }

    private static async ValueTask WriteCopyAsync(Stream stream, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        byte[] array = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            buffer.CopyTo(array);
            await stream.WriteAsync(array, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private static async ValueTask<int> ReadCopyAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        byte[] array = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            int read = await stream.ReadAsync(array, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
            array.AsMemory(0, read).CopyTo(buffer);
            return read;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
#endif
