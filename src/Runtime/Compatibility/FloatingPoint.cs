#if !NET
using Microsoft.CodeAnalysis;

namespace System;

/// <summary><c>double.IsFinite</c> and <c>float.IsFinite</c> of .NET Core 2.1+, which netstandard2.0 lacks.</summary>
[Embedded]
internal static class FloatingPointPolyfills
{
    extension(double)
    {
        public static bool IsFinite(double d) => !double.IsNaN(d) && !double.IsInfinity(d);
    }

    extension(float)
    {
        public static bool IsFinite(float f) => !float.IsNaN(f) && !float.IsInfinity(f);
    }
}
#endif
