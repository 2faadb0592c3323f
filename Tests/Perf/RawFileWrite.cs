using System.Diagnostics;

namespace Tributary.Tests.Perf;

/// <summary>
/// The disk's share of the ceiling: 1 GiB written to a new file in 1 MiB sequential writes (into the page cache, as a
/// log segment is written), in MB/s.
/// </summary>
internal static class RawFileWrite
{
    public static double Measure(long bytes = 1L << 30)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tributary-rawwrite-{Guid.NewGuid():N}.bin");
        var chunk = new byte[1 << 20];
        new Random(1).NextBytes(chunk);
        try
        {
            using var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write);
            var watch = Stopwatch.StartNew();
            for (long position = 0; position < bytes; position += chunk.Length)
            {
                RandomAccess.Write(file, chunk, position);
            }

            return bytes / 1e6 / watch.Elapsed.TotalSeconds;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
