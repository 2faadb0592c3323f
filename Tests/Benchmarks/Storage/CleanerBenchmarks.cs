using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Win32.SafeHandles;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Cleaner;
using Tributary.Grains.Storage.Log;

namespace Tributary.Tests.Benchmarks.Storage;

/// <summary>
/// The log cleaner against its physical baseline, in the same run: cleaning a 64 MiB dirty log (16 KiB batches of
/// 1 KiB records updating 8,192 keys, so most records go) against reading the same segment files and writing their
/// bytes to one new file, fsynced as the cleaner fsyncs what it writes. Each iteration starts from a fresh copy of
/// the dirty log (not measured). The Ratio column is cleaning time over raw time; cleaner MB/s over raw MB/s is its
/// inverse.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10, invocationCount: 1)]
public class CleanerBenchmarks
{
    internal const long DirtyBytes = 64L * 1024 * 1024;
    internal const int Keys = 8_192;

    private string _template = "";
    private string _work = "";
    private PartitionLog? _log;
    private readonly OffsetMap _map = new(16 * 1024 * 1024);

    [GlobalSetup]
    public void Setup()
    {
        _template = BenchmarkData.NewDirectory("cleaner-template");
        WriteDirtyLog(Path.Combine(_template, "compacted-0"), DirtyBytes);
    }

    [GlobalCleanup]
    public void Cleanup() => BenchmarkData.Delete(_template);

    [IterationSetup]
    public void CopyDirtyLog()
    {
        _work = BenchmarkData.NewDirectory("cleaner-work");
        CopyDirectory(Path.Combine(_template, "compacted-0"), Path.Combine(_work, "compacted-0"));
        _log = PartitionLog.Open(Path.Combine(_work, "compacted-0"), Config, true);
    }

    [IterationCleanup]
    public void DeleteCopy()
    {
        _log?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _log = null;
        BenchmarkData.Delete(_work);
    }

    [Benchmark(Baseline = true, Description = "raw read + write of the dirty bytes")]
    public long RawReadWrite()
    {
        var source = Path.Combine(_work, "compacted-0");
        var buffer = new byte[1 << 20];
        long copied = 0;
        using var target = File.OpenHandle(Path.Combine(_work, "copy.log"), FileMode.Create, FileAccess.Write);
        foreach (var segment in Directory.GetFiles(source, "*.log").Order().SkipLast(1))
        {
            using var input = File.OpenHandle(segment);
            int read;
            long position = 0;
            while ((read = RandomAccess.Read(input, buffer, position)) > 0)
            {
                RandomAccess.Write(target, buffer.AsSpan(0, read), copied);
                position += read;
                copied += read;
            }
        }

        RandomAccess.FlushToDisk(target);
        return copied;
    }

    [Benchmark(Description = "log cleaner")]
    public long Clean()
    {
        var result = new LogCompactor(_map, null, TimeProvider.System).Clean(_log!, 0)
            ?? throw new InvalidOperationException("The dirty log was not cleaned.");
        return result.BytesWritten;
    }

    internal static LogConfig Config => LogConfig.Default with
    {
        Compact = true,
        Delete = false,
        SegmentBytes = 16 * 1024 * 1024,
        MaxMessageBytes = 2 * 1024 * 1024,
        RetentionMs = -1,
        FileDeleteDelayMs = 0,
    };

    /// <summary>A batch of 16 keyed 1 KiB records, keys drawn from <see cref="Keys"/>.</summary>
    internal static byte[] KeyedBatch(Random random)
    {
        var builder = new RecordBatchBuilder();
        var value = new byte[1024];
        random.NextBytes(value);
        for (var i = 0; i < 16; i++)
        {
            builder.Append(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Encoding.UTF8.GetBytes($"key-{random.Next(Keys)}"), value);
        }

        return builder.Build();
    }

    /// <summary>Fills a compacted log with <paramref name="bytes"/> of updates and flushes it, so that all but the active segment is cleanable.</summary>
    internal static void WriteDirtyLog(string directory, long bytes)
    {
        var random = new Random(7);
        var log = PartitionLog.Open(directory, Config, false);
        for (long written = 0; written < bytes + Config.SegmentBytes;)
        {
            var batch = KeyedBatch(random);
            var result = log.AppendAsync(batch).GetAwaiter().GetResult();
            if (result.Error != ErrorCode.None)
            {
                throw new InvalidOperationException($"Append failed: {result.Error}");
            }

            written += batch.Length;
        }

        log.FlushAsync().GetAwaiter().GetResult();
        log.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    internal static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var path in Directory.GetFiles(from))
        {
            File.Copy(path, Path.Combine(to, Path.GetFileName(path)));
        }
    }
}

/// <summary>
/// Appends to a compacted log while the cleaner cleans that same log on another thread, against the same appends
/// with no cleaning, in the same run: 32 MiB of 16 KiB keyed batches per operation. The Ratio column is append time
/// with cleaning over append time without; append throughput while cleaning is its inverse.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10, invocationCount: 1)]
public class AppendWhileCleaningBenchmarks
{
    private const long AppendBytes = 32L * 1024 * 1024;

    private string _template = "";
    private string _work = "";
    private PartitionLog? _log;
    private Task? _cleaning;
    private byte[][] _batches = [];
    private readonly OffsetMap _map = new(16 * 1024 * 1024);

    [GlobalSetup]
    public void Setup()
    {
        _template = BenchmarkData.NewDirectory("append-cleaning-template");
        CleanerBenchmarks.WriteDirtyLog(Path.Combine(_template, "compacted-0"), CleanerBenchmarks.DirtyBytes);
        var random = new Random(11);
        _batches = Enumerable.Range(0, 64).Select(_ => CleanerBenchmarks.KeyedBatch(random)).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => BenchmarkData.Delete(_template);

    [IterationSetup]
    public void CopyDirtyLog()
    {
        _work = BenchmarkData.NewDirectory("append-cleaning-work");
        CleanerBenchmarks.CopyDirectory(Path.Combine(_template, "compacted-0"), Path.Combine(_work, "compacted-0"));
        _log = PartitionLog.Open(Path.Combine(_work, "compacted-0"), CleanerBenchmarks.Config, true);
    }

    [IterationCleanup]
    public void DeleteCopy()
    {
        _cleaning?.GetAwaiter().GetResult();
        _cleaning = null;
        _log?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _log = null;
        BenchmarkData.Delete(_work);
    }

    [Benchmark(Baseline = true, Description = "append, no cleaning")]
    public void Append() => AppendAll();

    [Benchmark(Description = "append while the log is cleaned")]
    public void AppendWhileCleaning()
    {
        var started = new ManualResetEventSlim();
        _cleaning = Task.Factory.StartNew(
            () =>
            {
                started.Set();
                new LogCompactor(_map, null, TimeProvider.System).Clean(_log!, 0);
            },
            TaskCreationOptions.LongRunning);
        started.Wait();
        AppendAll();
    }

    private void AppendAll()
    {
        var i = 0;
        for (long written = 0; written < AppendBytes; i++)
        {
            var batch = _batches[i % _batches.Length];
            var result = _log!.AppendAsync(batch).GetAwaiter().GetResult();
            if (result.Error != ErrorCode.None)
            {
                throw new InvalidOperationException($"Append failed: {result.Error}");
            }

            written += batch.Length;
        }
    }
}
