using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Tests.Benchmarks.Storage;

/// <summary>Producer-shaped batches and scratch directories for the storage benchmarks.</summary>
internal static class BenchmarkData
{
    /// <summary>One uncompressed batch of random-valued records totalling about <paramref name="batchBytes"/>.</summary>
    public static byte[] Batch(int batchBytes, int recordBytes)
    {
        var random = new Random(42);
        var builder = new RecordBatchBuilder();
        var count = Math.Max(1, batchBytes / (recordBytes + 8));
        for (var i = 0; i < count; i++)
        {
            var value = new byte[recordBytes];
            random.NextBytes(value);
            builder.Append(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), null, value);
        }

        return builder.Build();
    }

    public static string NewDirectory(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), "tributary-bench", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
