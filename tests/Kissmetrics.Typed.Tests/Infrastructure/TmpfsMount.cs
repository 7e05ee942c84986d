using System;
using System.Diagnostics;
using System.IO;

namespace Kissmetrics.Typed.Tests.Infrastructure;

/// <summary>
/// A small tmpfs of its own for a test (a full disk, a read-only filesystem), mounted with <c>mount</c>: it needs root or
/// CAP_SYS_ADMIN, which this project's machines and CI have. Anywhere else the test fails saying so, rather than pass
/// without having run.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path) => Path = path;

    /// <summary>Where it is mounted.</summary>
    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="kilobytes"/> KiB on a new folder under the temp directory.</summary>
    public static TmpfsMount Create(int kilobytes)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("This test mounts a tmpfs: Linux only.");
        }

        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kissmetrics-tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k,mode=0700", "tmpfs", path);
        return new TmpfsMount(path);
    }

    /// <summary>Bytes still free on it.</summary>
    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>Bytes in use on it.</summary>
    public long UsedBytes => new DriveInfo(Path).TotalSize - new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>Remounts it read-only, or read-write again.</summary>
    public void Remount(bool readOnly) => Run("mount", "-o", readOnly ? "remount,ro" : "remount,rw", Path);

    public void Dispose()
    {
        try
        {
            Run("umount", "-l", Path);
            Directory.Delete(Path);
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException)
        {
        }
    }

    private static void Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{command} {string.Join(' ', arguments)}' failed ({process.ExitCode}): {error.Trim()} (these tests need root or CAP_SYS_ADMIN to mount a tmpfs)");
        }
    }
}
