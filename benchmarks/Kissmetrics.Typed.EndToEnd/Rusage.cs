using System;
using System.Runtime.InteropServices;

namespace Kissmetrics.Typed.EndToEnd;

/// <summary>The process's context switches (Linux <c>getrusage(RUSAGE_SELF)</c>: every thread, the ended ones included).</summary>
internal static class Rusage
{
    /// <summary>Voluntary plus involuntary context switches so far; 0 where <c>getrusage</c> is not available.</summary>
    public static long ContextSwitches()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        // struct rusage on 64-bit Linux: two timevals (4 longs), then 14 longs; ru_nvcsw and ru_nivcsw are the last two.
        long[] usage = new long[18];
        return NativeMethods.getrusage(0, usage) == 0 ? usage[16] + usage[17] : 0;
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "getrusage")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code for the array; this is one call per run.
        public static extern int getrusage(int who, [Out] long[] usage);
#pragma warning restore SYSLIB1054
    }
}
