#if !NET
using Microsoft.CodeAnalysis;

namespace System;

/// <summary>The span searches of .NET 8 the code uses (<c>Count</c>, <c>Contains</c>, range searches, <c>Trim</c> of bytes), which netstandard2.0's System.Memory lacks: plain loops.</summary>
[Embedded]
internal static class SpanPolyfills
{
    extension<T>(ReadOnlySpan<T> span)
        where T : IEquatable<T>
    {
        public int Count(T value)
        {
            int count = 0;
            foreach (T item in span)
            {
                if (item.Equals(value))
                {
                    count++;
                }
            }

            return count;
        }

        public bool Contains(T value) => span.IndexOf(value) >= 0;
    }

    extension<T>(Span<T> span)
        where T : IEquatable<T>
    {
        public int Count(T value) => ((ReadOnlySpan<T>)span).Count(value);

        public bool Contains(T value) => span.IndexOf(value) >= 0;
    }

    extension(ReadOnlySpan<byte> span)
    {
        public int IndexOfAnyExceptInRange(byte lowInclusive, byte highInclusive)
        {
            for (int i = 0; i < span.Length; i++)
            {
                if ((uint)(span[i] - lowInclusive) > (uint)(highInclusive - lowInclusive))
                {
                    return i;
                }
            }

            return -1;
        }

        public ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> trimElements)
        {
            int start = 0;
            while (start < span.Length && trimElements.IndexOf(span[start]) >= 0)
            {
                start++;
            }

            int end = span.Length;
            while (end > start && trimElements.IndexOf(span[end - 1]) >= 0)
            {
                end--;
            }

            return span.Slice(start, end - start);
        }
    }

    extension(ReadOnlySpan<char> span)
    {
        public int IndexOfAnyInRange(char lowInclusive, char highInclusive)
        {
            for (int i = 0; i < span.Length; i++)
            {
                if ((uint)(span[i] - lowInclusive) <= (uint)(highInclusive - lowInclusive))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
#endif
