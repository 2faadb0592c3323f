using BenchmarkDotNet.Attributes;
using Microsoft.Win32.SafeHandles;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Log;

namespace Tributary.Tests.Benchmarks.Storage;

/// <summary>
/// Buffered append through the partition log against writing the same bytes to a file with plain sequential
/// writes, in the same run. Both write 64 MiB per operation into files of 256 MiB, keeping the last two (the log
/// through segment.bytes and retention.bytes, the raw writer by hand), so both measure writes into the page cache
/// rather than the disk's writeback. The Ratio column is append time over raw time: append MB/s over raw MB/s is its
/// inverse.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class AppendBenchmarks
{
    private const long BytesPerOperation = 64L * 1024 * 1024;
    private const long SegmentBytes = 256L * 1024 * 1024;

    private byte[] _batch = [];
    private string _directory = "";
    private PartitionLog _log = null!;
    private SafeFileHandle _raw = null!;
    private long _rawPosition;
    private int _rawFiles;

    /// <summary>1 MiB batches of 1 KiB records, and 16 KiB batches of 100 B records.</summary>
    [Params("1MiB/1KiB", "16KiB/100B")]
    public string Shape { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _batch = Shape == "1MiB/1KiB" ? BenchmarkData.Batch(1024 * 1024, 1024) : BenchmarkData.Batch(16 * 1024, 100);
        _directory = BenchmarkData.NewDirectory("append");
        _log = PartitionLog.Open(Path.Combine(_directory, "bench-0"), LogConfig.Default with
        {
            MaxMessageBytes = 2 * 1024 * 1024,
            SegmentBytes = (int)SegmentBytes,
            RetentionBytes = 2 * SegmentBytes,
            RetentionMs = -1,
            FileDeleteDelayMs = 0,
        }, false);
        OpenRawFile();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _raw.Dispose();
        BenchmarkData.Delete(_directory);
    }

    [Benchmark(Baseline = true, Description = "raw sequential write")]
    public void RawWrite()
    {
        for (long written = 0; written < BytesPerOperation; written += _batch.Length)
        {
            if (_rawPosition >= SegmentBytes)
            {
                _raw.Dispose();
                OpenRawFile();
            }

            RandomAccess.Write(_raw, _batch, _rawPosition);
            _rawPosition += _batch.Length;
        }
    }

    [Benchmark(Description = "partition log append")]
    public void Append()
    {
        for (long written = 0; written < BytesPerOperation; written += _batch.Length)
        {
            var result = _log.AppendAsync(_batch).GetAwaiter().GetResult();
            if (result.Error != Tributary.Grains.KafkaFormats.ErrorCode.None)
            {
                throw new InvalidOperationException(result.ErrorMessage);
            }
        }

        _log.EnforceRetention();
    }

    private void OpenRawFile()
    {
        File.Delete(Path.Combine(_directory, $"raw{_rawFiles - 3}.bin"));
        _raw = File.OpenHandle(Path.Combine(_directory, $"raw{_rawFiles++}.bin"), FileMode.Create, FileAccess.Write);
        _rawPosition = 0;
    }
}
