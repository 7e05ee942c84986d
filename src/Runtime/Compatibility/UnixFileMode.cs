#if !NET
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;

namespace System.IO;

/// <summary><c>System.IO.UnixFileMode</c> of .NET 7+ (the same values), which netstandard2.0 lacks.</summary>
[Flags]
[Embedded]
internal enum UnixFileMode
{
    None = 0,
    OtherExecute = 1,
    OtherWrite = 2,
    OtherRead = 4,
    GroupExecute = 8,
    GroupWrite = 16,
    GroupRead = 32,
    UserExecute = 64,
    UserWrite = 128,
    UserRead = 256,
    StickyBit = 512,
    SetGroup = 1024,
    SetUser = 2048,
}

/// <summary>
/// The spool's file permissions on netstandard2.0, which has no <c>File.GetUnixFileMode</c>, <c>File.SetUnixFileMode</c>,
/// <c>Directory.CreateDirectory(path, mode)</c> or <c>FileStreamOptions.UnixCreateMode</c>:
/// <list type="bullet">
/// <item>setting a mode is libc's <c>chmod</c>, on every Unix;</item>
/// <item>reading one is .NET's own <c>File.GetUnixFileMode</c> when the process runs on .NET 7 or later (found once,
/// by reflection); on Mono, Unity and older .NET Core there is no portable way to read it without a <c>stat</c> whose
/// layout differs per platform, so an existing directory or file is taken as it is (<see cref="UnixFileMode.None"/>
/// for group and others) and only what the spool creates is made private;</item>
/// <item>on Windows (.NET Framework) there are no Unix modes: the calls do nothing, as the .NET code skips them there.</item>
/// </list>
/// </summary>
[Embedded]
internal static class UnixFileModePolyfills
{
    private static readonly Func<string, UnixFileMode>? s_getMode = FindGetMode();

    extension(File)
    {
        public static UnixFileMode GetUnixFileMode(string path) =>
            s_getMode is { } getMode ? getMode(path) : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

        public static void SetUnixFileMode(string path, UnixFileMode mode) => ChangeMode(path, mode);
    }

    extension(Directory)
    {
        public static DirectoryInfo CreateDirectory(string path, UnixFileMode unixCreateMode)
        {
            DirectoryInfo created = Directory.CreateDirectory(path);
            ChangeMode(path, unixCreateMode);
            return created;
        }
    }

    /// <summary><c>chmod</c>; an <see cref="IOException"/> (or <see cref="UnauthorizedAccessException"/> for EPERM/EACCES) when it fails, as .NET's.</summary>
    internal static void ChangeMode(string path, UnixFileMode mode)
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && !RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
        {
            return;
        }

        if (Chmod(path, (uint)mode) != 0)
        {
            int errno = Marshal.GetLastWin32Error();
            const int EPERM = 1, EACCES = 13;
            if (errno is EPERM or EACCES)
            {
                throw new UnauthorizedAccessException($"Access to the path '{path}' is denied (chmod).");
            }

            throw new IOException($"chmod of '{path}' failed (errno {errno}).", errno);
        }
    }

    private static Func<string, UnixFileMode>? FindGetMode()
    {
        MethodInfo? method = typeof(File).GetMethod("GetUnixFileMode", BindingFlags.Public | BindingFlags.Static, null, [typeof(string)], null);
        if (method is null)
        {
            return null;
        }

        return path =>
        {
            try
            {
                return (UnixFileMode)Convert.ToInt32(method.Invoke(null, [path]));
            }
            catch (TargetInvocationException exception) when (exception.InnerException is not null)
            {
                throw exception.InnerException;
            }
        };
    }

    [DllImport("libc", EntryPoint = "chmod", SetLastError = true)]
    private static extern int Chmod([MarshalAs(UnmanagedType.LPStr)] string path, uint mode);
}
#endif
