using BenchmarkDotNet.Attributes;
using Microsoft.Win32.SafeHandles;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Log;

namespace Tributary.Tests.Benchmarks.Storage;

/// <summary>
/// Durable append (flush.messages=1: acknowledged after fsync, group commit) by 8 concurrent writers, against one
/// writer writing the same bytes in the same chunks to a file opened for synchronous writes (O_SYNC via
/// FileOptions.WriteThrough, which on a growing file costs what O_DSYNC does). 32 MiB per operation.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class DurableAppendBenchmarks
{
    private const long BytesPerOperation = 32L * 1024 * 1024;
    private const int Writers = 8;

    private byte[][] _batches = [];
    private string _directory = "";
    private PartitionLog _log = null!;
    private SafeFileHandle _raw = null!;
    private long _rawPosition;

    [Params(16 * 1024, 1024 * 1024)]
    public int BatchBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // One batch per writer: a batch buffer is handed over to the log on append and must not be shared.
        _batches = Enumerable.Range(0, Writers).Select(_ => BenchmarkData.Batch(BatchBytes, 1024)).ToArray();
        _directory = BenchmarkData.NewDirectory("durable");
        _log = PartitionLog.Open(Path.Combine(_directory, "bench-0"), LogConfig.Default with
        {
            FlushMessages = 1,
            MaxMessageBytes = 2 * 1024 * 1024,
            SegmentBytes = 256 * 1024 * 1024,
            RetentionBytes = 512L * 1024 * 1024,
            RetentionMs = -1,
            FileDeleteDelayMs = 0,
        }, false);
        _raw = File.OpenHandle(Path.Combine(_directory, "raw.bin"), FileMode.Create, FileAccess.Write, FileShare.None, FileOptions.WriteThrough);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _raw.Dispose();
        BenchmarkData.Delete(_directory);
    }

    [Benchmark(Baseline = true, Description = "raw synchronous writes")]
    public void RawSynchronousWrite()
    {
        var batch = _batches[0];
        for (long written = 0; written < BytesPerOperation; written += batch.Length)
        {
            RandomAccess.Write(_raw, batch, _rawPosition);
            _rawPosition += batch.Length;
        }

        if (_rawPosition >= 256 * 1024 * 1024)
        {
            // Start over in a new file, as a segment roll would, so the disk does not fill.
            _raw.Dispose();
            _raw = File.OpenHandle(Path.Combine(_directory, "raw.bin"), FileMode.Create, FileAccess.Write, FileShare.None, FileOptions.WriteThrough);
            _rawPosition = 0;
        }
    }

    [Benchmark(Description = "durable append, 8 writers")]
    public void DurableAppend()
    {
        var perWriter = BytesPerOperation / Writers;
        Task.WaitAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var batch = _batches[w];
            for (long written = 0; written < perWriter; written += batch.Length)
            {
                var result = await _log.AppendAsync(batch);
                if (result.Error != Tributary.Grains.KafkaFormats.ErrorCode.None)
                {
                    throw new InvalidOperationException(result.ErrorMessage);
                }
            }
        })).ToArray());
        _log.EnforceRetention();
    }
}
