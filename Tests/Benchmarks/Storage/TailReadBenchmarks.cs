using BenchmarkDotNet.Attributes;
using Microsoft.Win32.SafeHandles;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Log;

namespace Tributary.Tests.Benchmarks.Storage;

/// <summary>
/// Consumers that keep up: fetches (1 MiB asked for, as librdkafka's default per partition) from each of the last 32
/// batches of 2 KiB in a log, each returning the batches from there to the end, against reading the same byte ranges of
/// the segment file itself; both from the page cache. Time is per round of 32 fetches.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class TailReadBenchmarks
{
    private const int TailBatches = 32;

    private readonly List<(long Offset, long Position)> _tail = [];
    private string _directory = "";
    private PartitionLog _log = null!;
    private SafeFileHandle _segment = null!;
    private long _segmentLength;
    private byte[] _buffer = [];

    [GlobalSetup]
    public void Setup()
    {
        _directory = BenchmarkData.NewDirectory("tail");
        var partition = Path.Combine(_directory, "bench-0");
        _log = PartitionLog.Open(partition, LogConfig.Default, false);
        var batch = BenchmarkData.Batch(2048, 200);
        var batches = new List<(long Offset, long Position)>();
        for (long position = 0; position < 4L * 1024 * 1024; position += batch.Length)
        {
            var appended = _log.AppendAsync(batch).GetAwaiter().GetResult();
            batches.Add((appended.BaseOffset, position));
        }

        _tail.AddRange(batches[^TailBatches..]);
        _segment = File.OpenHandle(LogFileNames.LogFile(partition, 0), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        _segmentLength = RandomAccess.GetLength(_segment);
        _buffer = new byte[1024 * 1024];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _segment.Dispose();
        BenchmarkData.Delete(_directory);
    }

    [Benchmark(Baseline = true, Description = "raw page-cache read")]
    public long RawRead()
    {
        long total = 0;
        foreach (var (_, position) in _tail)
        {
            total += RandomAccess.Read(_segment, _buffer.AsSpan(0, (int)(_segmentLength - position)), position);
        }

        return total;
    }

    [Benchmark(Description = "partition log read")]
    public long LogRead()
    {
        long total = 0;
        foreach (var (offset, _) in _tail)
        {
            var records = _log.Read(offset, 1024 * 1024).Records;
            total += records.Length;
            if (RecordBatch.BaseOffset(records.Span) != offset)
            {
                throw new InvalidOperationException($"The read from {offset} began at {RecordBatch.BaseOffset(records.Span)}.");
            }

            PooledBuffer.Release(records);
        }

        return total;
    }
}
