#if !NET
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;

namespace System;

/// <summary>The <c>OperatingSystem.Is...()</c> checks of .NET 5+, which netstandard2.0 lacks: <see cref="RuntimeInformation.IsOSPlatform"/>.</summary>
[Embedded]
internal static class OperatingSystemPolyfills
{
    extension(OperatingSystem)
    {
        public static bool IsWindows() => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        public static bool IsLinux() => RuntimeInformation.IsOSPlatform(OSPlatform.Linux);

        public static bool IsMacOS() => RuntimeInformation.IsOSPlatform(OSPlatform.OSX);
    }
}
#endif
