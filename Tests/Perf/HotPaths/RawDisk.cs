using System.Diagnostics;

namespace Tributary.Tests.Perf.HotPaths;

/// <summary>
/// The disk's own cost of taking a produce stream: the same bytes written to a new file in <paramref name="directory"/>
/// in batch-sized writes (no fsync, as a broker's appends between flushes), with this process's CPU-seconds per GB. On a
/// virtual machine, copying into page-cache pages the guest touches for the first time costs several times a reused
/// page's copy, so the broker's CPU per GB is read beside this figure, measured just before it.
/// </summary>
internal static class RawDisk
{
    public static (double MegabytesPerSecond, double CpuSecondsPerGb) Measure(string directory, int batchBytes, long bytes = 1L << 30)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "raw-disk-" + Guid.NewGuid().ToString("N")[..8]);
        var batch = new byte[batchBytes];
        Random.Shared.NextBytes(batch);
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        try
        {
            using var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write);
            for (long written = 0; written < bytes; written += batchBytes)
            {
                RandomAccess.Write(file, batch, written);
            }
        }
        finally
        {
            File.Delete(path);
        }

        var seconds = watch.Elapsed.TotalSeconds;
        process.Refresh();
        return (bytes / 1e6 / seconds, (process.TotalProcessorTime - cpu).TotalSeconds / (bytes / 1e9));
    }
}
