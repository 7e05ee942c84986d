using System;
using System.IO;
using System.Security.Cryptography;

namespace Kissmetrics.Typed.Delivery;

/// <summary>Why a spool directory cannot be used: the real cause (read-only, missing, not a directory, no permission, not private), for the log.</summary>
internal sealed class SpoolUnavailableException : Exception
{
    public SpoolUnavailableException(string message, bool heldByAnotherClient, Exception? inner = null)
        : base(message, inner)
    {
        HeldByAnotherClient = heldByAnotherClient;
    }

    /// <summary>The directory is fine but another client (in this or another process) holds its lock.</summary>
    public bool HeldByAnotherClient { get; }
}

/// <summary>
/// Opening a spool directory, and what makes it trustworthy: created <c>0700</c>, or made private when group or others
/// could read or write it (the lines hold the API key, and a writable directory lets another user plant lines or delete
/// segments); a lock file that keeps a second client off it; and the secret its lines are authenticated with.
/// </summary>
internal static class SpoolDirectory
{
    public const string LockFileName = "spool.lock";
    public const string KeyFileName = "spool.key";


    /// <summary>Permissions for group and others: a spool directory or file has none.</summary>
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Creates (<c>0700</c>) or checks <paramref name="directory"/>, locks it and loads (or creates) its key.
    /// <paramref name="tightened"/> is the mode it had when it had to be made private, for the log.
    /// </summary>
    /// <exception cref="SpoolUnavailableException">It cannot be used; the message names the real cause.</exception>
    public static (FileStream Lock, byte[] Key) Open(string directory, out UnixFileMode? tightened)
    {
        tightened = null;
        try
        {
            if (File.Exists(directory))
            {
                throw new SpoolUnavailableException($"'{directory}' is a file, not a directory", heldByAnotherClient: false);
            }

            if (!Directory.Exists(directory))
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(directory);
                }
                else
                {
                    Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }
            else if (!OperatingSystem.IsWindows())
            {
                UnixFileMode mode = File.GetUnixFileMode(directory);
                if ((mode & GroupOrOther) != 0)
                {
                    try
                    {
                        File.SetUnixFileMode(directory, mode & ~GroupOrOther);
                    }
                    catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                    {
                        throw new SpoolUnavailableException(
                            $"'{directory}' is open to other users (mode {Octal(mode)}) and could not be made private ({exception.Message}); use a directory of the service's own",
                            heldByAnotherClient: false,
                            exception);
                    }

                    tightened = mode;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new SpoolUnavailableException($"'{directory}' cannot be created: {exception.Message}", heldByAnotherClient: false, exception);
        }

        FileStream lockFile;
        try
        {
            lockFile = OpenOwnerOnly(Path.Combine(directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException exception) when (IsLockHeld(exception))
        {
            throw new SpoolUnavailableException($"'{directory}' is in use by another Kissmetrics client (its {LockFileName} is locked)", heldByAnotherClient: true, exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new SpoolUnavailableException($"'{directory}' cannot be written: {exception.Message}", heldByAnotherClient: false, exception);
        }

        try
        {
            MakePrivate(Path.Combine(directory, LockFileName));
            return (lockFile, LoadOrCreateKey(directory));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            lockFile.Dispose();
            throw new SpoolUnavailableException($"the key of '{directory}' cannot be read or written: {exception.Message}", heldByAnotherClient: false, exception);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>Opens <paramref name="path"/> unbuffered, creating it <c>0600</c>, shared as <paramref name="share"/> says.</summary>
    public static FileStream OpenOwnerOnly(string path, FileMode mode, FileAccess access, FileShare share)
    {
#if NET
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share, BufferSize = 0 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
#else
        // No create mode on netstandard2.0: a file the call creates is made 0600 right after (chmod). Until then it has
        // the umask's mode, inside a directory that is already 0700, so no other user can open it in between.
        bool existed = File.Exists(path);
        var stream = new FileStream(path, mode, access, share, bufferSize: 1);
        if (!existed && !OperatingSystem.IsWindows())
        {
            try
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        return stream;
#endif
    }

    /// <summary>Takes group and other permissions off a file an earlier run (or someone else) left; <see langword="true"/> when it had any.</summary>
    public static bool MakePrivate(string file)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        UnixFileMode mode = File.GetUnixFileMode(file);
        if ((mode & GroupOrOther) == 0)
        {
            return false;
        }

        File.SetUnixFileMode(file, mode & ~GroupOrOther);
        return true;
    }

    /// <summary>The spool's secret: read from <c>spool.key</c>, or made (random, written to a temporary file and renamed into place, so a crash never leaves half a key).</summary>
    internal static byte[] LoadOrCreateKey(string directory)
    {
        string path = Path.Combine(directory, KeyFileName);
        if (File.Exists(path))
        {
            MakePrivate(path);
            byte[] existing = File.ReadAllBytes(path);
            if (existing.Length == SpoolFormat.KeySize)
            {
                return existing;
            }

            // Not a key this spool wrote: a new one, so lines signed with whatever it was are skipped and counted.
        }

        byte[] key = RandomNumberGenerator.GetBytes(SpoolFormat.KeySize);
        string temporary = path + ".tmp";
        File.Delete(temporary);
        using (var stream = OpenOwnerOnly(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            stream.Write(key);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        return key;
    }

    /// <summary>The lock is held elsewhere: <c>flock</c>'s EWOULDBLOCK on Unix (11 on Linux, 35 on macOS and BSD), a sharing or lock violation on Windows.</summary>
    private static bool IsLockHeld(IOException exception) => exception.HResult switch
    {
        11 when OperatingSystem.IsLinux() => true,
        35 when !OperatingSystem.IsLinux() && !OperatingSystem.IsWindows() => true,
        unchecked((int)0x80070020) or unchecked((int)0x80070021) => true,
        _ => false,
    };

    internal static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode, 8);
}
