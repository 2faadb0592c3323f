using Microsoft.Extensions.Time.Testing;
using Tributary.Gateway.Protocol;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Log;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Storage.Log;

public sealed class PartitionLogAppendReadTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));

    public void Dispose() => _temp.Dispose();

    private PartitionLog Open(LogConfig? config = null) =>
        PartitionLog.Open(_temp.Combine("t-0"), config ?? LogConfig.Default, lastShutdownWasClean: false, _time);

    [Fact]
    public async Task Append_AssignsConsecutiveOffsets_AndReadReturnsEveryRecordUnchanged()
    {
        await using var log = Open();
        var first = await log.AppendAsync(Batches.Make(5, first: 0));
        var second = await log.AppendAsync(Batches.Make(3, first: 5));

        Assert.Equal((ErrorCode.None, 0L, 4L), (first.Error, first.BaseOffset, first.LastOffset));
        Assert.Equal((ErrorCode.None, 5L, 7L), (second.Error, second.BaseOffset, second.LastOffset));
        Assert.Equal(8, log.LogEndOffset);
        Assert.Equal(8, log.HighWatermark);

        var read = log.Read(0, 1024 * 1024);
        var records = Batches.Decode(read.Records);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i), records.Select(r => r.Offset));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"k{i}"), records.Select(r => r.Key));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"v{i}"), records.Select(r => r.Value));
        Assert.Equal("h=x0;", records[0].Headers);
    }

    [Fact]
    public async Task Append_RewritesOnlyTheOffsetAndEpochFields_KeepingTheProducersBytes()
    {
        await using var log = Open();
        log.BecomeLeader(7);
        await log.AppendAsync(Batches.Make(2));
        var original = Batches.Make(4, first: 2);
        await log.AppendAsync(original.ToArray());

        var stored = log.Read(2, 1 << 20).Records.ToArray();
        Assert.Equal(original.Length, stored.Length);
        Assert.Equal(2, RecordBatch.BaseOffset(stored));
        Assert.Equal(7, RecordBatch.PartitionLeaderEpoch(stored));
        Assert.Equal(original.AsSpan(RecordBatch.MagicOffset).ToArray(), stored.AsSpan(RecordBatch.MagicOffset).ToArray());
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public async Task CompressedBatches_AreStoredAsProduced_AndReadBack(CompressionType codec)
    {
        await using var log = Open();
        var batch = Batches.Make(50, valueSize: 100, compression: codec);
        var result = await log.AppendAsync(batch.ToArray());

        Assert.Equal((ErrorCode.None, 0L, 49L), (result.Error, result.BaseOffset, result.LastOffset));
        var stored = log.Read(0, 1 << 20).Records;
        Assert.Equal(batch.AsSpan(RecordBatch.MagicOffset).ToArray(), stored.Span[RecordBatch.MagicOffset..].ToArray());
        Assert.Equal(50, Batches.Decode(stored).Count);
    }

    [Fact]
    public async Task Read_FromAnOffsetInsideABatch_ReturnsThatWholeBatch()
    {
        await using var log = Open();
        await log.AppendAsync(Batches.Make(10));
        await log.AppendAsync(Batches.Make(10, first: 10));

        var records = Batches.Decode(log.Read(14, 1 << 20).Records);

        Assert.Equal(10, records[0].Offset);
        Assert.Equal(19, records[^1].Offset);
    }

    [Fact]
    public async Task Read_StopsAtWholeBatches_WithinMaxBytes()
    {
        await using var log = Open();
        var batches = Enumerable.Range(0, 5).Select(i => Batches.Make(10, first: i * 10)).ToArray();
        var twoBatches = batches[0].Length + batches[1].Length;
        foreach (var batch in batches)
        {
            await log.AppendAsync(batch.ToArray());
        }

        var read = log.Read(0, twoBatches + batches[2].Length - 1);

        Assert.Equal(twoBatches, read.Records.Length);
        Assert.Equal(20, Batches.Decode(read.Records).Count);
    }

    [Fact]
    public async Task Read_ReturnsTheFirstBatchWhole_EvenWhenLargerThanMaxBytes()
    {
        await using var log = Open();
        var batch = Batches.Make(100, valueSize: 100);
        await log.AppendAsync(batch.ToArray());

        Assert.Equal(batch.Length, log.Read(0, 10, minOneMessage: true).Records.Length);
        Assert.True(log.Read(0, 10, minOneMessage: false).Records.IsEmpty);
    }

    [Fact]
    public async Task Read_OutsideTheLog_IsOffsetOutOfRange_AndAtTheEndIsEmpty()
    {
        await using var log = Open();
        await log.AppendAsync(Batches.Make(3));

        Assert.Equal(ErrorCode.OffsetOutOfRange, log.Read(4, 1024).Error);
        var atEnd = log.Read(3, 1024);
        Assert.Equal(ErrorCode.None, atEnd.Error);
        Assert.True(atEnd.Records.IsEmpty);
    }

    [Fact]
    public async Task LogAppendTime_StampsTheBrokersClock_AndKeepsTheCrcValid()
    {
        await using var log = Open(LogConfig.Default with { MessageTimestampType = TimestampType.LogAppendTime });
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();

        var result = await log.AppendAsync(Batches.Make(3, timestamp: 42));

        Assert.Equal(now, result.LogAppendTime);
        var stored = log.Read(0, 1024).Records.Span;
        Assert.Equal(TimestampType.LogAppendTime, RecordBatch.TimestampType(stored));
        Assert.Equal(now, RecordBatch.MaxTimestamp(stored));
        Assert.True(RecordBatch.IsCrcValid(stored));
        Assert.All(Batches.Decode(log.Read(0, 1024).Records), r => Assert.Equal(now, r.Timestamp));
    }

    [Fact]
    public async Task WaitForData_CompletesWhenAnAppendArrives()
    {
        await using var log = Open();
        var waiting = log.WaitForDataAsync(0, CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        await log.AppendAsync(Batches.Make(1));

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WaitForData_EndsWithCancellation_WhenNothingArrives()
    {
        await using var log = Open();
        using var cancellation = new CancellationTokenSource();
        var waiting = log.WaitForDataAsync(0, cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
