using System.Diagnostics;

namespace Tributary.Tests.Perf;

/// <summary>
/// The disk's share of the ceiling: 1 GiB written to a new file in sequential writes (into the page cache, as a log
/// segment is written, no fsync), in MB/s and in this process's CPU-seconds per GB. On a virtual machine, copying into
/// page-cache pages the guest touches for the first time costs several times a reused page's copy, so a broker's CPU
/// per GB is read beside this figure measured just before it.
/// </summary>
internal static class RawFileWrite
{
    public static double Measure(long bytes = 1L << 30) => Measure(Path.GetTempPath(), 1 << 20, bytes).MegabytesPerSecond;

    public static (double MegabytesPerSecond, double CpuSecondsPerGb) Measure(string directory, int chunkBytes, long bytes = 1L << 30)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"tributary-rawwrite-{Guid.NewGuid():N}.bin");
        var chunk = new byte[chunkBytes];
        new Random(1).NextBytes(chunk);
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        try
        {
            var watch = Stopwatch.StartNew();
            using (var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write))
            {
                for (long position = 0; position < bytes; position += chunk.Length)
                {
                    RandomAccess.Write(file, chunk, position);
                }
            }

            var seconds = watch.Elapsed.TotalSeconds;
            process.Refresh();
            return (bytes / 1e6 / seconds, (process.TotalProcessorTime - cpu).TotalSeconds / (bytes / 1e9));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
