#if !NET
using System;
using System.Runtime.CompilerServices;

namespace Kissmetrics.Typed.Compatibility;

/// <summary>
/// The four 32-bit parts of a decimal without allocating: netstandard2.0 has only <c>decimal.GetBits(decimal)</c>, which
/// returns a new array per call (the writer formats decimals allocation-free). A decimal is laid out as flags, high,
/// low, middle on .NET Framework, Mono and .NET (whose <c>_lo64</c> is low then middle on little-endian machines), so the
/// parts are read in place there; a big-endian machine takes <c>GetBits</c>.
/// </summary>
internal static class DecimalParts
{
    public static void Read(decimal value, out int low, out int middle, out int high, out int flags)
    {
        if (BitConverter.IsLittleEndian)
        {
            Layout parts = Unsafe.As<decimal, Layout>(ref value);
            low = parts.Low;
            middle = parts.Middle;
            high = parts.High;
            flags = parts.Flags;
            return;
        }

        int[] bits = decimal.GetBits(value);
        low = bits[0];
        middle = bits[1];
        high = bits[2];
        flags = bits[3];
    }

    private struct Layout
    {
#pragma warning disable CS0649 // assigned through Unsafe.As
        public int Flags;
        public int High;
        public int Low;
        public int Middle;
#pragma warning restore CS0649
    }
}
#endif
