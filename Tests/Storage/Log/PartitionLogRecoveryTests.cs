using Tributary.Gateway.Protocol;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Log;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Storage.Log;

/// <summary>
/// A crash is simulated by stopping a log without closing it (nothing is flushed or checkpointed, as after a
/// kill -9) and then damaging the tail of its file the way a torn write or bad sector would.
/// </summary>
public sealed class PartitionLogRecoveryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string SegmentFile(string directory) => Directory.GetFiles(directory, "*.log").Single();

    private static async Task<(string Directory, long SizeBeforeLastBatch, int LastBatchLength)> WriteAndCrash(string name, int batches)
    {
        var directory = Path.Combine(Path.GetTempPath(), "tributary-tests", name);
        var log = PartitionLog.Open(directory, LogConfig.Default with { IndexIntervalBytes = 64 }, lastShutdownWasClean: false);
        long before = 0;
        var lastLength = 0;
        for (var i = 0; i < batches; i++)
        {
            before = log.Size;
            var batch = Batches.Make(3, first: i * 3);
            lastLength = batch.Length;
            Assert.Equal(ErrorCode.None, (await log.AppendAsync(batch)).Error);
        }

        await log.CrashAsync();
        return (directory, before, lastLength);
    }

    [Fact]
    public async Task Recovery_TruncatesTornBatch_AndKeepsEarlierRecords_ForACutAtEveryByte()
    {
        var (directory, before, lastLength) = await WriteAndCrash(Path.Combine(_temp.Path, "template-0"), batches: 6);
        var pristine = File.ReadAllBytes(SegmentFile(directory));

        for (var cut = 1; cut < lastLength; cut++)
        {
            var copy = _temp.Combine($"cut{cut}-0");
            Directory.CreateDirectory(copy);
            File.WriteAllBytes(Path.Combine(copy, Path.GetFileName(SegmentFile(directory))), pristine[..(int)(before + cut)]);

            await using var log = PartitionLog.Open(copy, LogConfig.Default, lastShutdownWasClean: false);

            Assert.Equal(15, log.LogEndOffset);
            Assert.Equal(before, log.Size);
            var records = Batches.Decode(log.Read(0, 1 << 20).Records);
            Assert.Equal(Enumerable.Range(0, 15).Select(i => (long)i), records.Select(r => r.Offset));
            var next = await log.AppendAsync(Batches.Make(2, first: 15));
            Assert.Equal(15, next.BaseOffset);
            Assert.Equal(17, Batches.Decode(log.Read(0, 1 << 20).Records).Count);
        }
    }

    [Fact]
    public async Task Recovery_DropsABatchWithAFlippedBit_AndNeverServesIt()
    {
        var (directory, before, lastLength) = await WriteAndCrash(Path.Combine(_temp.Path, "template-0"), batches: 4);
        var pristine = File.ReadAllBytes(SegmentFile(directory));

        // Every byte the CRC covers, plus the length and magic; the base offset and leader epoch are not covered by
        // the CRC in Kafka's format, and the base offset is checked by its own rule below.
        var positions = Enumerable.Range(RecordBatch.BatchLengthOffset, 4)
            .Concat(Enumerable.Range(RecordBatch.MagicOffset, lastLength - RecordBatch.MagicOffset));
        foreach (var position in positions)
        {
            foreach (var bit in new[] { 0, 7 })
            {
                var copy = _temp.Combine($"flip{position}-{bit}-0");
                Directory.CreateDirectory(copy);
                var damaged = pristine.ToArray();
                damaged[before + position] ^= (byte)(1 << bit);
                File.WriteAllBytes(Path.Combine(copy, Path.GetFileName(SegmentFile(directory))), damaged);

                await using var log = PartitionLog.Open(copy, LogConfig.Default, lastShutdownWasClean: false);

                Assert.Equal(9, log.LogEndOffset);
                var records = Batches.Decode(log.Read(0, 1 << 20).Records);
                Assert.Equal(9, records.Count);
            }
        }
    }

    [Fact]
    public async Task Recovery_RejectsABatchWhoseBaseOffsetDoesNotFollow()
    {
        var (directory, before, _) = await WriteAndCrash(Path.Combine(_temp.Path, "template-0"), batches: 3);
        var damaged = File.ReadAllBytes(SegmentFile(directory));
        RecordBatch.SetBaseOffset(damaged.AsSpan((int)before), 2);
        File.WriteAllBytes(SegmentFile(directory), damaged);

        await using var log = PartitionLog.Open(directory, LogConfig.Default, lastShutdownWasClean: false);

        Assert.Equal(6, log.LogEndOffset);
    }

    [Fact]
    public async Task Reopen_AfterAClose_RecoversNothing_AndKeepsEveryRecord()
    {
        var directory = _temp.Combine("t-0");
        await using (var log = PartitionLog.Open(directory, LogConfig.Default with { IndexIntervalBytes = 100 }, false))
        {
            for (var i = 0; i < 50; i++)
            {
                await log.AppendAsync(Batches.Make(4, first: i * 4));
            }
        }

        await using var reopened = PartitionLog.Open(directory, LogConfig.Default, false);

        Assert.Equal(200, reopened.LogEndOffset);
        Assert.Equal(0, reopened.Loaded.BytesTruncated);
        Assert.True(reopened.Loaded.UsedCheckpoint);
        for (var offset = 0; offset < 200; offset += 7)
        {
            Assert.Equal(offset / 4 * 4, Batches.Decode(reopened.Read(offset, 1).Records)[0].Offset);
        }
    }

    [Fact]
    public async Task Recovery_AfterACrash_ValidatesOnlyTheTailPastTheCheckpoint()
    {
        var directory = _temp.Combine("t-0");
        await using (var log = PartitionLog.Open(directory, LogConfig.Default, false))
        {
            await log.AppendAsync(Batches.Make(4));
        }

        var crashed = PartitionLog.Open(directory, LogConfig.Default, false);
        var checkpointed = crashed.Size;
        await crashed.AppendAsync(Batches.Make(4, first: 4));
        var tornAt = crashed.Size;
        await crashed.AppendAsync(Batches.Make(4, first: 8));
        await crashed.CrashAsync();
        using (var file = new FileStream(SegmentFile(directory), FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            file.SetLength(crashed.Size - 1);
        }

        await using var recovered = PartitionLog.Open(directory, LogConfig.Default, false);

        Assert.True(recovered.Loaded.UsedCheckpoint);
        Assert.Equal(8, recovered.LogEndOffset);
        Assert.Equal(tornAt, recovered.Size);
        Assert.True(checkpointed > 0);
    }

    [Fact]
    public async Task Recovery_RebuildsAMissingOrCorruptIndex()
    {
        var directory = _temp.Combine("t-0");
        var config = LogConfig.Default with { IndexIntervalBytes = 64 };
        await using (var log = PartitionLog.Open(directory, config, false))
        {
            for (var i = 0; i < 40; i++)
            {
                await log.AppendAsync(Batches.Make(2, timestamp: 1_000_000 + i * 10, first: i * 2));
            }
        }

        var index = Directory.GetFiles(directory, "*.index").Single();
        Assert.True(new FileInfo(index).Length > 0);
        File.WriteAllBytes(index, [1, 2, 3]);
        File.Delete(Directory.GetFiles(directory, "*.timeindex").Single());

        await using var reopened = PartitionLog.Open(directory, config, false);

        for (var offset = 0; offset < 80; offset++)
        {
            Assert.Equal(offset / 2 * 2, Batches.Decode(reopened.Read(offset, 1).Records)[0].Offset);
        }

        Assert.Equal(new TimestampAndOffset(1_000_220, 44), reopened.FindOffsetByTimestamp(1_000_215));
    }

    [Fact]
    public async Task Recovery_OfAnEarlierSegment_DeletesTheSegmentsAfterIt()
    {
        var directory = _temp.Combine("t-0");
        var config = LogConfig.Default with { SegmentBytes = 400 };
        var crashed = PartitionLog.Open(directory, config, false);
        for (var i = 0; i < 12; i++)
        {
            await crashed.AppendAsync(Batches.Make(2, first: i * 2));
        }

        Assert.True(crashed.SegmentBaseOffsets.Count >= 3);
        await crashed.CrashAsync();
        File.Delete(Path.Combine(directory, LogFileNames.CheckpointFileName));
        var second = LogFileNames.LogFile(directory, crashed.SegmentBaseOffsets[1]);
        using (var file = new FileStream(second, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            file.SetLength(file.Length - 3);
        }

        await using var recovered = PartitionLog.Open(directory, config, lastShutdownWasClean: false);

        Assert.Equal(2, recovered.SegmentBaseOffsets.Count);
        var records = Batches.Decode(recovered.Read(0, 1 << 20).Records)
            .Concat(Batches.Decode(recovered.Read(recovered.SegmentBaseOffsets[1], 1 << 20).Records)).ToList();
        Assert.Equal(Enumerable.Range(0, (int)recovered.LogEndOffset).Select(i => (long)i), records.Select(r => r.Offset));
        Assert.False(File.Exists(LogFileNames.LogFile(directory, crashed.SegmentBaseOffsets[2])));
    }

    [Fact]
    public async Task Reopen_AfterACrash_WritesNothing_AndTheNextCheckpointMovesItToTheEnd()
    {
        var directory = _temp.Combine("t-0");
        var checkpoint = Path.Combine(directory, LogFileNames.CheckpointFileName);
        await using (var log = PartitionLog.Open(directory, LogConfig.Default, false))
        {
            await log.AppendAsync(Batches.Make(4));
        }

        var crashed = PartitionLog.Open(directory, LogConfig.Default, false);
        await crashed.AppendAsync(Batches.Make(4, first: 4));
        await crashed.CrashAsync();
        var before = File.ReadAllBytes(checkpoint);

        var reopened = PartitionLog.Open(directory, LogConfig.Default, false);

        Assert.True(reopened.Loaded.BytesRecovered > 0);
        Assert.Equal(before, File.ReadAllBytes(checkpoint));
        Assert.False(LogLoader.HasNothingToRecover(directory));
        await reopened.CheckpointIfBehindAsync();
        Assert.True(LogLoader.HasNothingToRecover(directory));
        await reopened.CrashAsync();
        await using var again = PartitionLog.Open(directory, LogConfig.Default, false);
        Assert.Equal(0, again.Loaded.BytesRecovered);
        Assert.Equal(8, again.LogEndOffset);
    }

    [Fact]
    public async Task ASecondCrash_BeforeAnyFlush_ValidatesTheSameTailAgain_AndKeepsEveryRecord()
    {
        var directory = _temp.Combine("t-0");
        await using (var log = PartitionLog.Open(directory, LogConfig.Default, false))
        {
            await log.AppendAsync(Batches.Make(4));
        }

        var crashed = PartitionLog.Open(directory, LogConfig.Default, false);
        await crashed.AppendAsync(Batches.Make(4, first: 4));
        await crashed.AppendAsync(Batches.Make(4, first: 8));
        await crashed.CrashAsync();
        var first = PartitionLog.Open(directory, LogConfig.Default, false);
        var validated = first.Loaded.BytesRecovered;
        await first.CrashAsync();

        await using var second = PartitionLog.Open(directory, LogConfig.Default, false);

        Assert.Equal(validated, second.Loaded.BytesRecovered);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), Batches.Decode(second.Read(0, 1 << 20).Records).Select(r => r.Offset));
    }

    [Fact]
    public async Task ClosingARecoveredLog_MovesItsCheckpointToTheEnd()
    {
        var directory = _temp.Combine("t-0");
        var crashed = PartitionLog.Open(directory, LogConfig.Default with { SegmentBytes = 300 }, false);
        for (var i = 0; i < 6; i++)
        {
            await crashed.AppendAsync(Batches.Make(3, first: i * 3));
        }

        await crashed.CrashAsync();
        File.Delete(Path.Combine(directory, LogFileNames.CheckpointFileName));

        await using (var recovered = PartitionLog.Open(directory, LogConfig.Default with { SegmentBytes = 300 }, false))
        {
            Assert.True(recovered.SegmentBaseOffsets.Count > 1);
            Assert.False(LogLoader.HasNothingToRecover(directory));
        }

        Assert.True(LogLoader.HasNothingToRecover(directory));
        await using var reopened = PartitionLog.Open(directory, LogConfig.Default with { SegmentBytes = 300 }, false);
        Assert.Equal(0, reopened.Loaded.BytesRecovered);
        Assert.Equal(18, reopened.LogEndOffset);
    }

    [Fact]
    public async Task AnUnsyncedClose_MovesTheCheckpointOnlyOnceCompleted()
    {
        var directory = _temp.Combine("t-0");
        var log = PartitionLog.Open(directory, LogConfig.Default, false);
        await log.AppendAsync(Batches.Make(4));

        Assert.True(await log.BeginUnsyncedCloseAsync());
        Assert.False(LogLoader.HasNothingToRecover(directory));
        Assert.False(await log.BeginUnsyncedCloseAsync());
        log.CompleteUnsyncedClose();

        Assert.True(LogLoader.HasNothingToRecover(directory));
        await using var reopened = PartitionLog.Open(directory, LogConfig.Default, false);
        Assert.Equal(4, reopened.LogEndOffset);
    }

    [Fact]
    public async Task AClosedLog_AnswersAppendsAndReadsWithNotLeaderOrFollower()
    {
        var log = PartitionLog.Open(_temp.Combine("t-0"), LogConfig.Default, false);
        await log.AppendAsync(Batches.Make(4));

        await log.DisposeAsync();

        Assert.Equal(ErrorCode.NotLeaderOrFollower, (await log.AppendAsync(Batches.Make(1))).Error);
        Assert.Equal(ErrorCode.NotLeaderOrFollower, log.Read(0, 1 << 20).Error);
    }
}
