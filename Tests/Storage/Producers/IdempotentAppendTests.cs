using Microsoft.Extensions.Time.Testing;
using Tributary.Gateway.Protocol;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Log;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Storage.Producers;

/// <summary>Sequence and epoch checks of idempotent producers' batches, after Kafka's ProducerStateManager.</summary>
public sealed class IdempotentAppendTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
    private PartitionLog _log = null!;

    public Task InitializeAsync()
    {
        _log = PartitionLog.Open(_temp.Combine("idem-0"), LogConfig.Default, lastShutdownWasClean: true, _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _log.DisposeAsync();
        _temp.Dispose();
    }

    private async Task<LogAppendResult> Append(byte[] batch) => await _log.AppendAsync(batch);

    [Fact]
    public async Task ARetriedBatch_IsAnsweredWithItsOriginalOffsets_AndNotWrittenTwice()
    {
        await Append(Batches.Make(3));
        var first = await Append(ProducerBatches.Make(7, 0, 0));
        var second = await Append(ProducerBatches.Make(7, 0, 2));

        var retryOfFirst = await Append(ProducerBatches.Make(7, 0, 0));
        var retryOfSecond = await Append(ProducerBatches.Make(7, 0, 2));

        Assert.Equal((ErrorCode.None, 3L, 4L), (retryOfFirst.Error, retryOfFirst.BaseOffset, retryOfFirst.LastOffset));
        Assert.Equal((second.BaseOffset, second.LastOffset), (retryOfSecond.BaseOffset, retryOfSecond.LastOffset));
        Assert.Equal(3, first.BaseOffset);
        Assert.Equal(7, _log.LogEndOffset);
        Assert.Equal(7, Batches.Decode(_log.Read(0, 1 << 20).Records).Count);
    }

    [Fact]
    public async Task TheLastFiveBatches_AreRecognised_AnOlderOneIsOutOfOrder()
    {
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(ErrorCode.None, (await Append(ProducerBatches.Make(7, 0, i * 2))).Error);
        }

        Assert.Equal(2, (await Append(ProducerBatches.Make(7, 0, 2))).BaseOffset);
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, (await Append(ProducerBatches.Make(7, 0, 0))).Error);
        Assert.Equal(12, _log.LogEndOffset);
    }

    [Fact]
    public async Task AfterManyBatches_EachOfTheLastFive_IsAnsweredWithItsOwnOffsets()
    {
        for (var i = 0; i < 13; i++)
        {
            Assert.Equal(ErrorCode.None, (await Append(ProducerBatches.Make(7, 0, i * 2))).Error);
        }

        for (var i = 8; i < 13; i++)
        {
            var retry = await Append(ProducerBatches.Make(7, 0, i * 2));
            Assert.Equal((ErrorCode.None, i * 2L), (retry.Error, retry.BaseOffset));
        }

        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, (await Append(ProducerBatches.Make(7, 0, 14))).Error);
        Assert.Equal(ErrorCode.None, (await Append(ProducerBatches.Make(7, 0, 26))).Error);
        Assert.Equal(28, _log.LogEndOffset);
    }

    [Fact]
    public async Task AGapInTheSequence_IsOutOfOrder_AndTheNextInOrderBatchIsTaken()
    {
        await Append(ProducerBatches.Make(7, 0, 0));

        var gap = await Append(ProducerBatches.Make(7, 0, 5));
        var next = await Append(ProducerBatches.Make(7, 0, 2));

        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, gap.Error);
        Assert.Equal((ErrorCode.None, 2L), (next.Error, next.BaseOffset));
    }

    [Fact]
    public async Task Epochs_AnOlderOneIsRefused_ANewerOneStartsAtSequenceZero()
    {
        await Append(ProducerBatches.Make(7, 3, 0));

        Assert.Equal(ErrorCode.InvalidProducerEpoch, (await Append(ProducerBatches.Make(7, 2, 2))).Error);
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, (await Append(ProducerBatches.Make(7, 4, 2))).Error);
        Assert.Equal(ErrorCode.None, (await Append(ProducerBatches.Make(7, 4, 0))).Error);
        Assert.Equal(ErrorCode.InvalidProducerEpoch, (await Append(ProducerBatches.Make(7, 3, 2))).Error);
    }

    [Fact]
    public async Task AProducerWithNoStateHere_MayStartAtAnySequence_AndSequencesWrapAtInt32Max()
    {
        Assert.Equal(ErrorCode.None, (await Append(ProducerBatches.Make(9, 0, int.MaxValue - 1, count: 2))).Error);
        Assert.Equal(ErrorCode.None, (await Append(ProducerBatches.Make(9, 0, 0))).Error);
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, (await Append(ProducerBatches.Make(9, 0, 5))).Error);
    }

    [Fact]
    public async Task ProducersOfDifferentIds_AreTrackedApart()
    {
        await Append(ProducerBatches.Make(7, 0, 0));
        await Append(ProducerBatches.Make(8, 0, 0));

        Assert.Equal(ErrorCode.None, (await Append(ProducerBatches.Make(7, 0, 2))).Error);
        Assert.Equal(ErrorCode.None, (await Append(ProducerBatches.Make(8, 0, 2))).Error);
        Assert.Equal([7L, 8L], _log.ActiveProducers().Select(p => p.ProducerId).Order());
    }

    [Fact]
    public async Task AnIdleProducer_ExpiresAfterTheExpiration_AndItsNextBatchIsTakenAsNew()
    {
        await Append(ProducerBatches.Make(7, 0, 0));
        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(0, _log.RemoveExpiredProducers((long)TimeSpan.FromHours(1).TotalMilliseconds));
        _time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(1, _log.RemoveExpiredProducers((long)TimeSpan.FromHours(1).TotalMilliseconds));
        Assert.Empty(_log.ActiveProducers());
        Assert.Equal(ErrorCode.None, (await Append(ProducerBatches.Make(7, 0, 40))).Error);
    }
}
