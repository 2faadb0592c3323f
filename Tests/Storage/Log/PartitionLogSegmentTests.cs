using Microsoft.Extensions.Time.Testing;
using Tributary.Gateway.Protocol;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Log;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Storage.Log;

public sealed class PartitionLogSegmentTests : IDisposable
{
    private const long Start = 1_700_000_000_000;
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(Start));

    public void Dispose() => _temp.Dispose();

    private string Dir => _temp.Combine("topic-3");

    private PartitionLog Open(LogConfig config) => PartitionLog.Open(Dir, config, false, _time);

    [Fact]
    public async Task Roll_OnSegmentBytes_NamesSegmentsByBaseOffset_AndReadsSpanThem()
    {
        var batchSize = Batches.Make(5, first: 1000).Length;
        await using var log = Open(LogConfig.Default with { SegmentBytes = batchSize * 3, IndexIntervalBytes = 1 });
        for (var i = 0; i < 10; i++)
        {
            await log.AppendAsync(Batches.Make(5, first: i * 5));
        }

        Assert.Equal([0L, 15, 30, 45], log.SegmentBaseOffsets);
        Assert.True(File.Exists(Path.Combine(Dir, "00000000000000000015.log")));
        Assert.True(File.Exists(Path.Combine(Dir, "00000000000000000015.index")));
        Assert.True(File.Exists(Path.Combine(Dir, "00000000000000000015.timeindex")));
        for (var offset = 0L; offset < 50; offset++)
        {
            var first = Batches.Decode(log.Read(offset, 1).Records)[0];
            Assert.Equal(offset / 5 * 5, first.Offset);
        }
    }

    [Fact]
    public async Task Roll_OnSegmentMs_AfterTheFirstBatchIsThatOld()
    {
        await using var log = Open(LogConfig.Default with { SegmentMs = 60_000 });
        await log.AppendAsync(Batches.Make(1, timestamp: Start));
        await log.AppendAsync(Batches.Make(1, timestamp: Start + 59_000));
        Assert.Single(log.SegmentBaseOffsets);

        _time.Advance(TimeSpan.FromSeconds(61));
        await log.AppendAsync(Batches.Make(1, timestamp: Start + 61_000));

        Assert.Equal([0L, 2], log.SegmentBaseOffsets);
    }

    [Fact]
    public async Task FindOffsetByTimestamp_ReturnsTheFirstRecordAtOrAfterTheTime()
    {
        await using var log = Open(LogConfig.Default with { SegmentBytes = 2000, IndexIntervalBytes = 100 });
        for (var i = 0; i < 40; i++)
        {
            // Records of batch i carry timestamps 1000*i, 1000*i + 10, ...
            await log.AppendAsync(Batches.Make(4, timestamp: 1000 * i, first: i * 4, timestampStep: 10,
                compression: i % 2 == 0 ? CompressionType.None : CompressionType.Lz4));
        }

        Assert.True(log.SegmentBaseOffsets.Count > 2);
        Assert.Equal(new TimestampAndOffset(0, 0), log.FindOffsetByTimestamp(-5));
        Assert.Equal(new TimestampAndOffset(17_020, 70), log.FindOffsetByTimestamp(17_011));
        Assert.Equal(new TimestampAndOffset(18_000, 72), log.FindOffsetByTimestamp(17_031));
        Assert.Equal(new TimestampAndOffset(39_030, 159), log.FindOffsetByTimestamp(39_030));
        Assert.Null(log.FindOffsetByTimestamp(39_031));
        Assert.Equal(new TimestampAndOffset(39_030, 159), log.FindMaxTimestamp());
    }

    [Fact]
    public async Task FindMaxTimestamp_ReturnsTheFirstRecordWithTheLargestTimestamp()
    {
        await using var log = Open(LogConfig.Default);
        await log.AppendAsync(Batches.Make(3, timestamp: 100));
        await log.AppendAsync(new RecordBatchBuilder().Append(50, null, [1]).Append(900, null, [2]).Append(60, null, [3]).Build());
        await log.AppendAsync(Batches.Make(3, timestamp: 200, first: 6));

        Assert.Equal(new TimestampAndOffset(900, 4), log.FindMaxTimestamp());
    }

    [Fact]
    public async Task RetentionMs_DeletesSegmentsWhoseNewestRecordIsTooOld()
    {
        var batchSize = Batches.Make(5, first: 1000).Length;
        var config = LogConfig.Default with { SegmentBytes = batchSize * 2, RetentionMs = 3_600_000, FileDeleteDelayMs = 1000 };
        await using var log = Open(config);
        for (var i = 0; i < 6; i++)
        {
            await log.AppendAsync(Batches.Make(5, timestamp: Start + i * 1_000_000, first: i * 5));
        }

        Assert.Equal([0L, 10, 20], log.SegmentBaseOffsets);
        _time.Advance(TimeSpan.FromMilliseconds(3_600_000 + 1_000_000 + 10));

        Assert.Equal(1, log.EnforceRetention());

        Assert.Equal([10L, 20], log.SegmentBaseOffsets);
        Assert.Equal(10, log.LogStartOffset);
        Assert.Equal(ErrorCode.OffsetOutOfRange, log.Read(9, 100).Error);
        Assert.Equal(10, Batches.Decode(log.Read(10, 1).Records)[0].Offset);
        Assert.True(File.Exists(Path.Combine(Dir, "00000000000000000000.log.deleted")));
        _time.Advance(TimeSpan.FromSeconds(2));
        await WaitUntil(() => !File.Exists(Path.Combine(Dir, "00000000000000000000.log.deleted")));
    }

    [Fact]
    public async Task RetentionMs_WhenEverySegmentExpired_RollsAndKeepsTheLogEndOffset()
    {
        var config = LogConfig.Default with { RetentionMs = 1000, FileDeleteDelayMs = 0 };
        await using var log = Open(config);
        await log.AppendAsync(Batches.Make(5, timestamp: Start));
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(1, log.EnforceRetention());

        Assert.Equal([5L], log.SegmentBaseOffsets);
        Assert.Equal((5L, 5L), (log.LogStartOffset, log.LogEndOffset));
        var next = await log.AppendAsync(Batches.Make(1, timestamp: Start + 5000));
        Assert.Equal(5, next.BaseOffset);
    }

    [Fact]
    public async Task RetentionBytes_DeletesTheOldestSegmentsWhileTheLogIsTooLarge()
    {
        var batchSize = Batches.Make(5, first: 1000).Length;
        var config = LogConfig.Default with { SegmentBytes = batchSize * 2, RetentionBytes = batchSize * 2, FileDeleteDelayMs = 0 };
        await using var log = Open(config);
        for (var i = 0; i < 7; i++)
        {
            await log.AppendAsync(Batches.Make(5, first: i * 5));
        }

        Assert.Equal([0L, 10, 20, 30], log.SegmentBaseOffsets);

        Assert.Equal(2, log.EnforceRetention());

        Assert.Equal([20L, 30], log.SegmentBaseOffsets);
        Assert.Equal(20, log.LogStartOffset);
    }

    [Fact]
    public async Task DeleteRecords_MovesTheLogStartOffset_DeletesWholeSegments_AndSurvivesReopen()
    {
        var batchSize = Batches.Make(5, first: 1000).Length;
        var config = LogConfig.Default with { SegmentBytes = batchSize * 2, FileDeleteDelayMs = 0 };
        await using (var log = Open(config))
        {
            for (var i = 0; i < 6; i++)
            {
                await log.AppendAsync(Batches.Make(5, first: i * 5));
            }

            Assert.Equal((ErrorCode.OffsetOutOfRange, 0L), log.DeleteRecordsBefore(31));
            Assert.Equal((ErrorCode.None, 23L), log.DeleteRecordsBefore(23));

            Assert.Equal([20L], log.SegmentBaseOffsets);
            Assert.Equal(ErrorCode.OffsetOutOfRange, log.Read(22, 100).Error);
            Assert.Equal(20, Batches.Decode(log.Read(23, 1).Records)[0].Offset);
        }

        await using var reopened = Open(config);
        Assert.Equal((23L, 30L), (reopened.LogStartOffset, reopened.LogEndOffset));
        Assert.Equal((ErrorCode.None, 30L), reopened.DeleteRecordsBefore(-1));
        Assert.Equal(30, reopened.LogStartOffset);
    }

    [Fact]
    public async Task Retention_RunsWhileAppendsContinue()
    {
        var config = LogConfig.Default with { SegmentBytes = 2000, RetentionBytes = 6000, FileDeleteDelayMs = 0 };
        await using var log = Open(config);
        using var stop = new CancellationTokenSource();
        var retention = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                log.EnforceRetention();
                await Task.Yield();
            }
        });

        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(ErrorCode.None, (await log.AppendAsync(Batches.Make(3, first: i * 3))).Error);
            var read = log.Read(log.LogStartOffset, 1 << 16);
            Assert.True(read.Error is ErrorCode.None or ErrorCode.OffsetOutOfRange);
        }

        await stop.CancelAsync();
        await retention;
        log.EnforceRetention();
        Assert.True(log.Size <= 6000 + 2000);
        Assert.Equal(1500, log.LogEndOffset);
        var records = new List<DecodedRecord>();
        for (var offset = log.LogStartOffset; offset < log.LogEndOffset;)
        {
            var batch = Batches.Decode(log.Read(offset, 1 << 20).Records);
            records.AddRange(batch);
            offset = batch[^1].Offset + 1;
        }

        Assert.Equal(Enumerable.Range((int)records[0].Offset, records.Count).Select(i => (long)i), records.Select(r => r.Offset));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
