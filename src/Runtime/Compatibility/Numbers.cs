#if !NET
using Microsoft.CodeAnalysis;

namespace System;

/// <summary><c>Math.Clamp</c>, the <c>ArgumentOutOfRangeException.ThrowIf...</c> guards, generic <c>Enum.IsDefined</c> and <c>DateTime.UnixEpoch</c> of .NET Core 2.0+ to .NET 8, which netstandard2.0 lacks.</summary>
[Embedded]
internal static class NumberPolyfills
{
    extension(Math)
    {
        public static int Clamp(int value, int min, int max) => value < min ? min : value > max ? max : value;

        public static long Clamp(long value, long min, long max) => value < min ? min : value > max ? max : value;

        public static double Clamp(double value, double min, double max) => value < min ? min : value > max ? max : value;
    }

    extension(ArgumentOutOfRangeException)
    {
        public static void ThrowIfLessThan<T>(T value, T other, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(value))] string? paramName = null)
            where T : IComparable<T>
        {
            if (value.CompareTo(other) < 0)
            {
                throw new ArgumentOutOfRangeException(paramName, value, $"'{paramName}' must be greater than or equal to '{other}'.");
            }
        }

        public static void ThrowIfGreaterThan<T>(T value, T other, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(value))] string? paramName = null)
            where T : IComparable<T>
        {
            if (value.CompareTo(other) > 0)
            {
                throw new ArgumentOutOfRangeException(paramName, value, $"'{paramName}' must be less than or equal to '{other}'.");
            }
        }

        public static void ThrowIfNegative(int value, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(value))] string? paramName = null)
        {
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(paramName, value, $"'{paramName}' must be a non-negative value.");
            }
        }
    }

    extension(Enum)
    {
        /// <summary>Boxes the value (netstandard2.0 has only <c>Enum.IsDefined(Type, object)</c>); options validation only.</summary>
        public static bool IsDefined<TEnum>(TEnum value)
            where TEnum : struct, Enum => Enum.IsDefined(typeof(TEnum), value);
    }

    extension(long)
    {
        /// <summary>Through a string (netstandard2.0 parses no spans); the spool's file names, at start only.</summary>
        public static bool TryParse(ReadOnlySpan<char> s, Globalization.NumberStyles style, IFormatProvider? provider, out long result) =>
            long.TryParse(s.ToString(), style, provider, out result);
    }

    extension(DateTime)
    {
        public static DateTime UnixEpoch => new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    }
}
#endif
