#if !NET
using System.Buffers;
using System.Security.Cryptography;
using Microsoft.CodeAnalysis;

namespace System.IO;

/// <summary>The file and random-number members of .NET Core 2.1+/3.0+ the spool uses, which netstandard2.0 lacks.</summary>
[Embedded]
internal static class FileSystemPolyfills
{
    extension(File)
    {
        /// <summary>A rename over an existing file: <c>File.Replace</c> when it exists (atomic where the platform allows), a move otherwise.</summary>
        public static void Move(string sourceFileName, string destFileName, bool overwrite)
        {
            if (overwrite && File.Exists(destFileName))
            {
                File.Replace(sourceFileName, destFileName, destinationBackupFileName: null);
                return;
            }

            File.Move(sourceFileName, destFileName);
        }
    }

    extension(Stream stream)
    {
        /// <summary>Writes the bytes through a pooled array (netstandard2.0's Stream has no span overload).</summary>
        public void Write(ReadOnlySpan<byte> buffer)
        {
            byte[] array = ArrayPool<byte>.Shared.Rent(buffer.Length);
            try
            {
                buffer.CopyTo(array);
                stream.Write(array, 0, buffer.Length);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(array);
            }
        }
    }

    extension(RandomNumberGenerator)
    {
        public static byte[] GetBytes(int count)
        {
            byte[] bytes = new byte[count];
            using var generator = RandomNumberGenerator.Create();
            generator.GetBytes(bytes);
            return bytes;
        }
    }
}
#endif
