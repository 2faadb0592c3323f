using Tributary.Gateway.Protocol;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Log;
using Tributary.Grains.Storage.Producers;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Storage.Producers;

/// <summary>Producer state and aborted transactions come back when a log reopens, after a clean close or a crash.</summary>
public sealed class ProducerStateRecoveryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static PartitionLog Open(string directory) => PartitionLog.Open(directory, LogConfig.Default, lastShutdownWasClean: false);

    /// <summary>
    /// Producer 7 wrote two batches; producer 5 aborted a transaction; producer 6 has one open. Offsets: 7@0-1, 5@2-3,
    /// abort marker 4, 6@5-6, 7@7-8.
    /// </summary>
    private static async Task WriteHistory(PartitionLog log, bool checkpointHalfway)
    {
        await log.AppendAsync(ProducerBatches.Make(7, 0, 0));
        await log.AppendAsync(ProducerBatches.Make(5, 0, 0, transactional: true));
        await log.AppendAsync(ProducerBatches.Marker(5, 0, commit: false), AppendOrigin.Coordinator);
        if (checkpointHalfway)
        {
            await log.FlushAsync();
        }

        await log.AppendAsync(ProducerBatches.Make(6, 0, 0, transactional: true));
        await log.AppendAsync(ProducerBatches.Make(7, 0, 2));
    }

    private static async Task AssertHistoryRestored(PartitionLog log)
    {
        Assert.Equal(9, log.LogEndOffset);
        Assert.Equal(5, log.LastStableOffset);
        Assert.Equal([new AbortedTransaction(5, 2, 4, 5)], log.CollectAbortedTransactions(0, 9));
        var retry = await log.AppendAsync(ProducerBatches.Make(7, 0, 2));
        Assert.Equal((ErrorCode.None, 7L), (retry.Error, retry.BaseOffset));
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, (await log.AppendAsync(ProducerBatches.Make(7, 0, 9))).Error);
        await log.AppendAsync(ProducerBatches.Marker(6, 0, commit: true), AppendOrigin.Coordinator);
        Assert.Equal(10, log.LastStableOffset);
    }

    [Fact]
    public async Task AfterACleanClose_TheSnapshotAtTheLogEnd_RestoresEverything()
    {
        var directory = _temp.Combine("clean-0");
        await using (var log = Open(directory))
        {
            await WriteHistory(log, checkpointHalfway: false);
        }

        Assert.Equal([9L], ProducerSnapshotFile.List(directory));
        await using var reopened = Open(directory);
        await AssertHistoryRestored(reopened);
    }

    [Fact]
    public async Task AfterACrash_TheBatchesAfterTheLastSnapshot_AreReplayed_WithoutIndexingAnAbortTwice()
    {
        var directory = _temp.Combine("crash-0");
        var log = Open(directory);
        await WriteHistory(log, checkpointHalfway: true);
        await log.CrashAsync();

        Assert.Equal([5L], ProducerSnapshotFile.List(directory));
        await using var reopened = Open(directory);
        await AssertHistoryRestored(reopened);
    }

    [Fact]
    public async Task AfterACrash_WithNoSnapshot_TheWholeLogIsReplayed()
    {
        var directory = _temp.Combine("nosnap-0");
        var log = Open(directory);
        await WriteHistory(log, checkpointHalfway: false);
        await log.CrashAsync();

        Assert.Empty(ProducerSnapshotFile.List(directory));
        await using var reopened = Open(directory);
        await AssertHistoryRestored(reopened);
    }

    [Fact]
    public async Task ACorruptSnapshot_IsPassedOver_ForAnOlderOneOrAFullReplay()
    {
        var directory = _temp.Combine("corrupt-0");
        var log = Open(directory);
        await WriteHistory(log, checkpointHalfway: true);
        await log.CrashAsync();
        var path = ProducerSnapshotFile.PathFor(directory, 5);
        var bytes = File.ReadAllBytes(path);
        bytes[20] ^= 0xFF;
        File.WriteAllBytes(path, bytes);

        await using var reopened = Open(directory);
        await AssertHistoryRestored(reopened);
    }

    [Fact]
    public async Task ASnapshotPastTheLogEnd_IsDiscarded()
    {
        var directory = _temp.Combine("ahead-0");
        await using (var log = Open(directory))
        {
            await WriteHistory(log, checkpointHalfway: false);
        }

        // A snapshot claiming offsets the log does not hold (its tail lost) cannot be trusted.
        File.Copy(ProducerSnapshotFile.PathFor(directory, 9), ProducerSnapshotFile.PathFor(directory, 50));
        await using var reopened = Open(directory);

        Assert.DoesNotContain(50L, ProducerSnapshotFile.List(directory));
        await AssertHistoryRestored(reopened);
    }
}
