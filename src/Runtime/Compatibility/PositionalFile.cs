using System;
using System.IO;
#if !NET
using System.Buffers;
#endif

namespace Kissmetrics.Typed.Compatibility;

/// <summary>
/// Reads and writes at an offset of a spool file. .NET has <c>RandomAccess</c> (pread/pwrite: no shared position, so
/// a writer and an acknowledgement reader never race). netstandard2.0 has no such API, so there the stream's position
/// is set and the bytes are read or written under a lock on the stream, which serializes every positional access to
/// it; spans go through a pooled array (Stream has no span overloads there).
/// </summary>
internal static class PositionalFile
{
    public static int Read(FileStream file, Span<byte> buffer, long offset)
    {
#if NET
        return RandomAccess.Read(file.SafeFileHandle, buffer, offset);
#else
        byte[] array = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            int read;
            lock (file)
            {
                file.Position = offset;
                read = file.Read(array, 0, buffer.Length);
            }

            array.AsSpan(0, read).CopyTo(buffer);
            return read;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(array);
        }
#endif
    }

    public static void Write(FileStream file, ReadOnlySpan<byte> data, long offset)
    {
#if NET
        RandomAccess.Write(file.SafeFileHandle, data, offset);
#else
        byte[] array = ArrayPool<byte>.Shared.Rent(data.Length);
        try
        {
            data.CopyTo(array);
            lock (file)
            {
                file.Position = offset;
                file.Write(array, 0, data.Length);
                file.Flush();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(array);
        }
#endif
    }

    public static void SetLength(FileStream file, long length)
    {
#if NET
        RandomAccess.SetLength(file.SafeFileHandle, length);
#else
        lock (file)
        {
            file.SetLength(length);
        }
#endif
    }
}
