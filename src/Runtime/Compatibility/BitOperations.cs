#if !NET
using Microsoft.CodeAnalysis;

namespace System.Numerics;

/// <summary>
/// The <c>BitOperations</c> members the code uses (.NET Core 3.0+), which netstandard2.0 lacks: plain loops and a
/// de Bruijn lookup instead of the LZCNT/TZCNT instructions.
/// </summary>
[Embedded]
internal static class BitOperations
{
    private static ReadOnlySpan<byte> TrailingZeroDeBruijn =>
    [
        0, 1, 28, 2, 29, 14, 24, 3, 30, 22, 20, 15, 25, 17, 4, 8,
        31, 27, 13, 23, 21, 19, 16, 7, 26, 12, 18, 6, 11, 5, 10, 9,
    ];

    /// <summary>The floor of the base-2 logarithm; 0 for 0, as .NET's.</summary>
    public static int Log2(ulong value)
    {
        int log = 0;
        while ((value >>= 1) != 0)
        {
            log++;
        }

        return log;
    }

    /// <summary>The floor of the base-2 logarithm; 0 for 0, as .NET's.</summary>
    public static int Log2(uint value) => Log2((ulong)value);

    /// <summary>The number of leading zero bits; 32 for 0, as .NET's.</summary>
    public static int LeadingZeroCount(uint value) => value == 0 ? 32 : 31 - Log2(value);

    /// <summary>The number of trailing zero bits; 32 for 0, as .NET's.</summary>
    public static int TrailingZeroCount(uint value) =>
        value == 0 ? 32 : TrailingZeroDeBruijn[(int)(((value & (uint)-(int)value) * 0x077CB531u) >> 27)];

    /// <summary>The number of trailing zero bits; 32 for 0, as .NET's.</summary>
    public static int TrailingZeroCount(int value) => TrailingZeroCount((uint)value);
}
#endif
