#if !NET
using System.Buffers;
using System.Text;
using Microsoft.CodeAnalysis;

namespace System;

/// <summary>The string and encoding overloads of .NET Core 2.0+/2.1+ the code uses, which netstandard2.0 lacks.</summary>
[Embedded]
internal static class StringPolyfills
{
    extension(string text)
    {
        public bool StartsWith(char value) => text.Length > 0 && text[0] == value;

        /// <summary>An ordinal search (the only comparison the code asks for with a char).</summary>
        public int IndexOf(char value, StringComparison comparisonType)
        {
            if (comparisonType != StringComparison.Ordinal)
            {
                throw new ArgumentException("Only an ordinal search is supported here.", nameof(comparisonType));
            }

            return text.IndexOf(value);
        }
    }

    extension(string)
    {
        /// <summary><c>string.Create(provider, $"...")</c>: netstandard2.0 formats the interpolation with the provider (one allocation more).</summary>
        public static string Create(IFormatProvider? provider, FormattableString text) => text.ToString(provider);
    }

    extension(Encoding encoding)
    {
        /// <summary>Decodes through a pooled array (netstandard2.0's Encoding has no span overload).</summary>
        public string GetString(ReadOnlySpan<byte> bytes)
        {
            if (bytes.IsEmpty)
            {
                return string.Empty;
            }

            byte[] array = ArrayPool<byte>.Shared.Rent(bytes.Length);
            try
            {
                bytes.CopyTo(array);
                return encoding.GetString(array, 0, bytes.Length);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(array);
            }
        }

        public byte[] GetBytes(string s, int index, int count) => encoding.GetBytes(s.ToCharArray(index, count));
    }
}
#endif
