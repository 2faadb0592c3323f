using BenchmarkDotNet.Attributes;
using Microsoft.Win32.SafeHandles;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Log;

namespace Tributary.Tests.Benchmarks.Storage;

/// <summary>
/// A consumer's sequential read of 256 MiB through the partition log, 1 MiB per fetch, against reading the segment
/// file itself in 1 MiB chunks into one buffer; both from the page cache (the data is written and read once before
/// measuring). The log's reads land in pooled buffers that are released once consumed, as the connection does.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class ReadBenchmarks
{
    private const int FetchBytes = 1024 * 1024;

    private string _directory = "";
    private PartitionLog _log = null!;
    private SafeFileHandle _segment = null!;
    private long _segmentLength;
    private byte[] _buffer = [];

    [Params(16 * 1024, 1024 * 1024)]
    public int BatchBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = BenchmarkData.NewDirectory("read");
        var partition = Path.Combine(_directory, "bench-0");
        var log = PartitionLog.Open(partition, LogConfig.Default with { MaxMessageBytes = 2 * 1024 * 1024 }, false);
        var batch = BenchmarkData.Batch(BatchBytes, 1024);
        for (long written = 0; written < 256L * 1024 * 1024; written += batch.Length)
        {
            log.AppendAsync(batch).GetAwaiter().GetResult();
        }

        log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _log = PartitionLog.Open(partition, LogConfig.Default, false);
        _segment = File.OpenHandle(LogFileNames.LogFile(partition, 0), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        _segmentLength = RandomAccess.GetLength(_segment);
        _buffer = new byte[FetchBytes];
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
        for (long position = 0; position < _segmentLength; position += FetchBytes)
        {
            total += RandomAccess.Read(_segment, _buffer, position);
        }

        return total;
    }

    [Benchmark(Description = "partition log read")]
    public long LogRead()
    {
        long total = 0;
        var offset = 0L;
        while (offset < _log.HighWatermark)
        {
            var records = _log.Read(offset, FetchBytes).Records;
            total += records.Length;
            offset = NextOffset(records.Span);

            // What the connection does once the bytes are on the socket.
            PooledBuffer.Release(records);
        }

        return total;
    }

    private static long NextOffset(ReadOnlySpan<byte> batches)
    {
        var last = 0L;
        while (!batches.IsEmpty)
        {
            last = Tributary.Grains.KafkaFormats.Records.RecordBatch.LastOffset(batches);
            batches = batches[Tributary.Grains.KafkaFormats.Records.RecordBatch.TotalSize(batches)..];
        }

        return last + 1;
    }
}
