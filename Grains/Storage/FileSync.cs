using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tributary.Grains.Storage;

/// <summary>
/// Forcing written data to stable storage. On Linux the data of a file goes down with <c>fdatasync</c> (no
/// timestamp-only metadata), and a directory is fsynced after a rename or create inside it so that the new
/// name survives a power loss. Elsewhere the runtime's flush-to-disk is used. Many files at once (closing every log
/// of a broker) go down with one <c>syncfs</c> of their file system, where the system has it.
/// </summary>
public static partial class FileSync
{
    public static void FlushData(SafeFileHandle handle)
    {
        if (OperatingSystem.IsLinux())
        {
            if (FdataSync(handle) != 0)
            {
                throw new IOException($"fdatasync failed with errno {Marshal.GetLastPInvokeError()}");
            }

            return;
        }

        using var stream = new FileStream(handle, FileAccess.ReadWrite, bufferSize: 0);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Makes the entries of <paramref name="directory"/> (creates, renames, deletes) durable.</summary>
    public static void FlushDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            throw new IOException($"open({directory}) failed with errno {Marshal.GetLastPInvokeError()}");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync({directory}) failed with errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>True where <see cref="TrySyncFileSystem"/> can sync a whole file system at once (Linux).</summary>
    public static bool CanSyncFileSystem => OperatingSystem.IsLinux();

    /// <summary>
    /// Writes every dirty page and metadata change of the file system holding <paramref name="path"/> to stable
    /// storage (<c>syncfs</c>): one call instead of one fsync per file. False where the system has no such call.
    /// </summary>
    public static bool TrySyncFileSystem(string path)
    {
        if (!CanSyncFileSystem)
        {
            return false;
        }

        var fd = Open(path, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            throw new IOException($"open({path}) failed with errno {Marshal.GetLastPInvokeError()}");
        }

        try
        {
            if (SyncFs(fd) != 0)
            {
                throw new IOException($"syncfs({path}) failed with errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = Close(fd);
        }

        return true;
    }

    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="contents"/> so that after a crash the file holds either
    /// the old or the new contents, never a mix: write a temporary file, fsync it, rename it over, fsync the directory.
    /// </summary>
    /// <remarks>
    /// Without <paramref name="sync"/> nothing is fsynced: the replacement survives a kill -9 (it is in the page cache)
    /// but not a power loss, until the caller makes it durable with <see cref="FlushFile"/>.
    /// </remarks>
    public static void AtomicReplace(string path, ReadOnlySpan<byte> contents, bool sync = true)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = path + LogFileNames.TemporarySuffix;
        using (var handle = File.OpenHandle(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None))
        {
            RandomAccess.Write(handle, contents, 0);
            if (sync)
            {
                FlushData(handle);
            }
        }

        File.Move(temporary, path, overwrite: true);
        if (sync)
        {
            FlushDirectory(directory);
        }
    }

    /// <summary>Makes a file written by <see cref="AtomicReplace"/> without sync durable: its data, then its name.</summary>
    public static void FlushFile(string path)
    {
        using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
        {
            FlushData(handle);
        }

        FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FdataSync(SafeFileHandle fd);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int SyncFs(int fd);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
