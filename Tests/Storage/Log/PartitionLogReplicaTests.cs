using Microsoft.Extensions.Time.Testing;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Log;
using Tributary.Tests.Storage.Producers;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Storage.Log;

/// <summary>
/// The log's side of replication: leader epochs recorded with the data (KIP-101), a follower's byte-for-byte copy of
/// its leader's batches, and the truncation of a follower's divergent tail (KIP-279), including across reopen.
/// </summary>
public sealed class PartitionLogReplicaTests : IDisposable
{
    private static readonly LogConfig SmallSegments = LogConfig.Default with { SegmentBytes = 2_000 };

    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));

    public void Dispose() => _temp.Dispose();

    private PartitionLog Open(string name, LogConfig? config = null, bool clean = false) =>
        PartitionLog.Open(_temp.Combine(name), config ?? SmallSegments, lastShutdownWasClean: clean, _time);

    [Fact]
    public async Task EachLeaderEpoch_StartsWhereItsLeaderBegan_AndEndsWhereTheNextBegins()
    {
        await using var log = Open("t-0");
        await log.AppendAsync(Batches.Make(3));
        log.BecomeLeader(2);
        await log.AppendAsync(Batches.Make(4));
        log.BecomeLeader(5);
        await log.AppendAsync(Batches.Make(2));

        Assert.Equal(5, log.LatestEpoch);
        Assert.Equal((0, 3L), log.EndOffsetForEpoch(0));
        Assert.Equal((0, 3L), log.EndOffsetForEpoch(1));
        Assert.Equal((2, 7L), log.EndOffsetForEpoch(2));
        Assert.Equal((2, 7L), log.EndOffsetForEpoch(4));
        Assert.Equal((5, 9L), log.EndOffsetForEpoch(5));
        Assert.Equal((2, 7L), EpochsOfBatches(log)[3..7].Distinct().Select(e => (e, 7L)).Single());
    }

    [Fact]
    public async Task Epochs_SurviveReopen_AndAreRebuiltFromTheBatches_WhenTheirFileIsLost()
    {
        var directory = _temp.Combine("t-0");
        await using (var log = Open("t-0"))
        {
            await log.AppendAsync(Batches.Make(3));
            log.BecomeLeader(4);
            await log.AppendAsync(Batches.Make(3));
        }

        await using (var reopened = Open("t-0", clean: true))
        {
            Assert.Equal((0, 3L), reopened.EndOffsetForEpoch(3));
            Assert.Equal((4, 6L), reopened.EndOffsetForEpoch(4));
        }

        File.Delete(Path.Combine(directory, LeaderEpochCache.FileName));
        await using var rebuilt = Open("t-0", clean: true);
        Assert.Equal([new EpochEntry(0, 0), new EpochEntry(4, 3)], new LeaderEpochCache(directory).Entries);
        Assert.Equal((0, 3L), rebuilt.EndOffsetForEpoch(0));
    }

    [Fact]
    public async Task ACrashedLog_DropsTheEpochsOfDataItLost()
    {
        var directory = _temp.Combine("t-0");
        var log = Open("t-0");
        await log.AppendAsync(Batches.Make(3));
        await log.FlushAsync();
        log.BecomeLeader(6);
        await log.AppendAsync(Batches.Make(3));
        await log.CrashAsync();

        // The tail written in epoch 6 is torn off, as a power loss could leave it.
        var segment = Directory.GetFiles(directory, "*.log").Single();
        using (var file = File.Open(segment, FileMode.Open))
        {
            file.SetLength(file.Length - 5);
        }

        await using var reopened = Open("t-0");
        Assert.Equal(3, reopened.LogEndOffset);
        Assert.Equal(0, reopened.LatestEpoch);
        Assert.Equal((0, 3L), reopened.EndOffsetForEpoch(0));
        Assert.Equal((-1, -1L), reopened.EndOffsetForEpoch(6));
    }

    [Fact]
    public async Task AFollower_CopiesItsLeadersBatchesByteForByte_WithTheirOffsetsAndEpochs()
    {
        await using var leader = Open("leader-0");
        await using var follower = Open("follower-0");
        leader.BecomeLeader(3);
        for (var i = 0; i < 10; i++)
        {
            await leader.AppendAsync(Batches.Make(5, first: i * 5, valueSize: 60));
        }

        await CopyAsync(leader, follower);

        Assert.Equal(leader.LogEndOffset, follower.LogEndOffset);
        Assert.Equal(leader.Read(0, 1 << 20).Records.ToArray(), follower.Read(0, 1 << 20).Records.ToArray());
        Assert.Equal(3, follower.LatestEpoch);
        Assert.Equal((3, 50L), follower.EndOffsetForEpoch(3));
    }

    [Fact]
    public async Task AFollower_RefusesBatchesThatDoNotFollowItsLog_AndCorruptOnes()
    {
        await using var leader = Open("leader-0");
        await using var follower = Open("follower-0");
        await leader.AppendAsync(Batches.Make(4));
        await leader.AppendAsync(Batches.Make(4));
        var all = leader.Read(0, 1 << 20).Records.ToArray();
        await follower.AppendAsync(all.ToArray(), AppendOrigin.Replication);

        var again = await follower.AppendAsync(all.ToArray(), AppendOrigin.Replication);
        Assert.NotEqual(ErrorCode.None, again.Error);

        var next = await leader.AppendAsync(Batches.Make(2));
        var copy = leader.Read(next.BaseOffset, 1 << 20).Records.ToArray();
        copy[^1] ^= 0xFF;
        var corrupt = await follower.AppendAsync(copy, AppendOrigin.Replication);
        Assert.Equal(ErrorCode.CorruptMessage, corrupt.Error);
        Assert.Equal(8, follower.LogEndOffset);
    }

    [Fact]
    public async Task AFollower_KeepsTheProducerStateItsLeaderHad_SoItCanLeadWithoutDuplicates()
    {
        await using var leader = Open("leader-0");
        await using var follower = Open("follower-0");
        await leader.AppendAsync(ProducerBatches.Make(producerId: 7, epoch: 0, baseSequence: 0, count: 3));
        await leader.AppendAsync(ProducerBatches.Make(producerId: 7, epoch: 0, baseSequence: 3, count: 3));
        await CopyAsync(leader, follower);

        follower.BecomeLeader(1);
        var retry = await follower.AppendAsync(ProducerBatches.Make(producerId: 7, epoch: 0, baseSequence: 3, count: 3));
        Assert.Equal((ErrorCode.None, 3L), (retry.Error, retry.BaseOffset));
        Assert.Equal(6, follower.LogEndOffset);
        var gap = await follower.AppendAsync(ProducerBatches.Make(producerId: 7, epoch: 0, baseSequence: 9, count: 1));
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, gap.Error);
    }

    [Fact]
    public async Task ADivergentTail_IsTruncatedWhereTheNewLeadersEpochEnds_ThenTheFollowerCatchesUp()
    {
        // KIP-279's case: the old leader (epoch 1) wrote 20..29 that no one copied; a new leader (epoch 2) took over at 20.
        await using var oldLeader = Open("old-0");
        await using var newLeader = Open("new-0");
        oldLeader.BecomeLeader(1);
        for (var i = 0; i < 4; i++)
        {
            await oldLeader.AppendAsync(Batches.Make(5, first: i * 5, valueSize: 80));
        }

        await CopyAsync(oldLeader, newLeader);
        for (var i = 4; i < 6; i++)
        {
            await oldLeader.AppendAsync(Batches.Make(5, first: i * 5, valueSize: 80, timestamp: 1));
        }

        newLeader.BecomeLeader(2);
        for (var i = 0; i < 3; i++)
        {
            await newLeader.AppendAsync(Batches.Make(5, first: 100 + i * 5, valueSize: 80));
        }

        Assert.True(oldLeader.SegmentBaseOffsets.Count > 1);
        var (epoch, endOffset) = newLeader.EndOffsetForEpoch(oldLeader.LatestEpoch);
        Assert.Equal((1, 20L), (epoch, endOffset));
        Assert.Equal(20, oldLeader.TruncateTo(endOffset));
        Assert.Equal(1, oldLeader.LatestEpoch);
        Assert.True(oldLeader.HighWatermark <= 20);

        await CopyAsync(newLeader, oldLeader);
        Assert.Equal(newLeader.Read(0, 1 << 20).Records.ToArray(), oldLeader.Read(0, 1 << 20).Records.ToArray());
        Assert.Equal((2, 35L), oldLeader.EndOffsetForEpoch(2));
    }

    [Fact]
    public async Task ATruncatedLog_ReopensAsItWasCut_AfterACleanCloseOrACrash()
    {
        var log = Open("t-0");
        for (var i = 0; i < 8; i++)
        {
            await log.AppendAsync(Batches.Make(5, first: i * 5, valueSize: 80));
        }

        await log.FlushAsync();
        Assert.Equal(15, log.TruncateTo(15));
        await log.AppendAsync(Batches.Make(2, first: 15));
        var expected = log.Read(0, 1 << 20).Records.ToArray();
        await log.CrashAsync();

        await using (var afterCrash = Open("t-0"))
        {
            Assert.Equal(17, afterCrash.LogEndOffset);
            Assert.Equal(expected, afterCrash.Read(0, 1 << 20).Records.ToArray());
            afterCrash.TruncateTo(10);
        }

        await using var afterClose = Open("t-0", clean: true);
        Assert.Equal(10, afterClose.LogEndOffset);
        Assert.Equal(expected.AsSpan(0, BytesBefore(expected, 10)).ToArray(), afterClose.Read(0, 1 << 20).Records.ToArray());
    }

    [Fact]
    public async Task TruncatingBelowTheLogStart_StartsTheLogAgainThere_Empty()
    {
        await using var log = Open("t-0");
        for (var i = 0; i < 6; i++)
        {
            await log.AppendAsync(Batches.Make(5, first: i * 5, valueSize: 80));
        }

        log.DeleteRecordsBefore(12);
        log.TruncateTo(8);

        Assert.Equal((8L, 8L), (log.LogStartOffset, log.LogEndOffset));
        Assert.Equal(-1, log.LatestEpoch);
        var next = await log.AppendAsync(Batches.Make(2));
        Assert.Equal(8, next.BaseOffset);
    }

    /// <summary>What a replica fetcher does: copies every batch the source has past the target's end, as they are.</summary>
    private static async Task CopyAsync(PartitionLog source, PartitionLog target)
    {
        while (target.LogEndOffset < source.LogEndOffset)
        {
            var records = source.Read(target.LogEndOffset, 1_000).Records.ToArray();
            var result = await target.AppendAsync(records, AppendOrigin.Replication);
            Assert.Equal(ErrorCode.None, result.Error);
        }
    }

    private static int[] EpochsOfBatches(PartitionLog log)
    {
        var epochs = new List<int>();
        var bytes = log.Read(0, 1 << 20).Records.ToArray();
        for (var position = 0; position < bytes.Length; position += RecordBatch.TotalSize(bytes.AsSpan(position)))
        {
            var batch = bytes.AsSpan(position);
            epochs.AddRange(Enumerable.Repeat(RecordBatch.PartitionLeaderEpoch(batch), RecordBatch.RecordsCount(batch)));
        }

        return [.. epochs];
    }

    private static int BytesBefore(byte[] batches, long offset)
    {
        var position = 0;
        while (position < batches.Length && RecordBatch.BaseOffset(batches.AsSpan(position)) < offset)
        {
            position += RecordBatch.TotalSize(batches.AsSpan(position));
        }

        return position;
    }
}
