using System.Buffers.Binary;
using Microsoft.Extensions.Time.Testing;
using Tributary.Gateway.Protocol;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Log;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Storage.Log;

public sealed class LogValidatorTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));

    public void Dispose() => _temp.Dispose();

    private async Task<(LogAppendResult Result, long LogEndOffset)> AppendToFreshLog(byte[] records, LogConfig? config = null, AppendOrigin origin = AppendOrigin.Client)
    {
        await using var log = PartitionLog.Open(_temp.Combine(Guid.NewGuid().ToString("N") + "-0"), config ?? LogConfig.Default, false, _time);
        await log.AppendAsync(Batches.Make(2));
        var result = await log.AppendAsync(records, origin);
        return (result, log.LogEndOffset);
    }

    private static byte[] WithCrc(byte[] batch)
    {
        RecordBatch.WriteCrc(batch);
        return batch;
    }

    [Fact]
    public async Task AFlippedBit_IsCorruptMessage_AndNothingIsWritten()
    {
        var batch = Batches.Make(3);
        batch[^1] ^= 0x01;

        var (result, end) = await AppendToFreshLog(batch);

        Assert.Equal(ErrorCode.CorruptMessage, result.Error);
        Assert.Equal(2, end);
    }

    [Fact]
    public async Task ATruncatedBatch_IsCorruptMessage()
    {
        var batch = Batches.Make(3);

        var (result, end) = await AppendToFreshLog(batch[..^5]);

        Assert.Equal(ErrorCode.CorruptMessage, result.Error);
        Assert.Equal(2, end);
    }

    [Fact]
    public async Task ABatchOverMaxMessageBytes_IsMessageTooLarge()
    {
        var batch = Batches.Make(10, valueSize: 200);

        var (result, _) = await AppendToFreshLog(batch, LogConfig.Default with { MaxMessageBytes = batch.Length - 1 });
        var (exact, _) = await AppendToFreshLog(Batches.Make(10, valueSize: 200), LogConfig.Default with { MaxMessageBytes = batch.Length });

        Assert.Equal(ErrorCode.MessageTooLarge, result.Error);
        Assert.Equal(ErrorCode.None, exact.Error);
    }

    [Fact]
    public async Task AnAppendLargerThanASegment_IsRecordListTooLarge()
    {
        var batch = Batches.Make(10, valueSize: 200);

        var (result, _) = await AppendToFreshLog(batch, LogConfig.Default with { SegmentBytes = batch.Length - 1 });

        Assert.Equal(ErrorCode.RecordListTooLarge, result.Error);
    }

    [Fact]
    public async Task ARecordCountThatDisagreesWithTheOffsetDelta_IsInvalidRecord()
    {
        var batch = Batches.Make(3);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatch.RecordsCountOffset), 4);

        var (result, end) = await AppendToFreshLog(WithCrc(batch));

        Assert.Equal(ErrorCode.InvalidRecord, result.Error);
        Assert.Equal(2, end);
    }

    [Fact]
    public async Task FewerRecordsThanDeclared_IsInvalidRecord()
    {
        var batch = Batches.Make(3);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatch.RecordsCountOffset), 4);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatch.LastOffsetDeltaOffset), 3);

        var (result, _) = await AppendToFreshLog(WithCrc(batch));

        Assert.Equal(ErrorCode.InvalidRecord, result.Error);
    }

    [Fact]
    public async Task AMalformedRecordUnderAValidCrc_IsInvalidRecord()
    {
        var batch = Batches.Make(3);
        batch[RecordBatch.HeaderSize] = 0x7F; // first record's length varint now runs far past the batch

        var (result, _) = await AppendToFreshLog(WithCrc(batch));

        Assert.Equal(ErrorCode.InvalidRecord, result.Error);
    }

    [Fact]
    public async Task ControlBatchesFromClients_AreInvalidRecord_ButAcceptedFromTheCoordinator()
    {
        byte[] Control() => new RecordBatchBuilder { IsControl = true, IsTransactional = true, ProducerId = 5, ProducerEpoch = 0, BaseSequence = 0 }
            .Append(1, [0, 0, 0, 1], [0, 0, 0, 0, 0, 0]).Build();

        var (fromClient, _) = await AppendToFreshLog(Control());
        var (fromCoordinator, _) = await AppendToFreshLog(Control(), origin: AppendOrigin.Coordinator);

        Assert.Equal(ErrorCode.InvalidRecord, fromClient.Error);
        Assert.Equal(ErrorCode.None, fromCoordinator.Error);
    }

    [Fact]
    public async Task AProducerIdWithoutSequence_IsInvalidRecord()
    {
        var batch = new RecordBatchBuilder { ProducerId = 9, ProducerEpoch = 0, BaseSequence = -1 }.Append(1, null, [1]).Build();

        var (result, _) = await AppendToFreshLog(batch);

        Assert.Equal(ErrorCode.InvalidRecord, result.Error);
    }

    [Fact]
    public async Task OldMagic_IsUnsupportedForMessageFormat()
    {
        var batch = Batches.Make(1);
        batch[RecordBatch.MagicOffset] = 1;

        var (result, _) = await AppendToFreshLog(batch);

        Assert.Equal(ErrorCode.UnsupportedForMessageFormat, result.Error);
    }

    [Fact]
    public async Task ACreateTimeOutsideTheAllowedWindow_IsInvalidTimestamp()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var config = LogConfig.Default with { MessageTimestampBeforeMaxMs = 1000, MessageTimestampAfterMaxMs = 1000 };

        var (old, _) = await AppendToFreshLog(Batches.Make(1, timestamp: now - 5000), config);
        var (future, _) = await AppendToFreshLog(Batches.Make(1, timestamp: now + 5000), config);
        var (inside, _) = await AppendToFreshLog(Batches.Make(1, timestamp: now - 500), config);

        Assert.Equal(ErrorCode.InvalidTimestamp, old.Error);
        Assert.Equal(ErrorCode.InvalidTimestamp, future.Error);
        Assert.Equal(ErrorCode.None, inside.Error);
    }

    [Fact]
    public async Task OneBadBatchInAnAppend_RejectsTheWholeAppend()
    {
        var good = Batches.Make(3);
        var bad = Batches.Make(3);
        bad[^1] ^= 0x10;

        var (result, end) = await AppendToFreshLog([.. good, .. bad]);

        Assert.Equal(ErrorCode.CorruptMessage, result.Error);
        Assert.Equal(2, end);
    }

    [Fact]
    public async Task SeveralBatchesInOneAppend_GetConsecutiveOffsets()
    {
        var (result, end) = await AppendToFreshLog([.. Batches.Make(3), .. Batches.Make(4)]);

        Assert.Equal((2L, 8L), (result.BaseOffset, result.LastOffset));
        Assert.Equal(9, end);
    }

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Lz4)]
    public async Task ACompactedTopic_RefusesTheWholeBatch_NamingEachRecordWithoutAKey(CompressionType compression)
    {
        var batch = new RecordBatchBuilder { Compression = compression }
            .Append(1, [1], [1])
            .Append(2, null, [2])
            .Append(3, [3], [3])
            .Append(4, null, null)
            .Build();
        await using var log = PartitionLog.Open(_temp.Combine("orders-3"), LogConfig.Default with { Compact = true }, false, _time);
        await log.AppendAsync(Batches.Make(2));

        var result = await log.AppendAsync(batch);

        const string Reason = "Compacted topic cannot accept message without key in topic partition orders-3.";
        Assert.Equal(ErrorCode.InvalidRecord, result.Error);
        Assert.Equal([new RecordError(1, Reason), new RecordError(3, Reason)], result.RecordErrors);
        Assert.Equal(
            "One or more records have been rejected due to 2 record errors in total, and only showing the first three errors at most: "
            + $"[RecordError(batchIndex=1, message='{Reason}'), RecordError(batchIndex=3, message='{Reason}')]",
            result.ErrorMessage);
        Assert.Equal(2, log.LogEndOffset);
    }

    [Fact]
    public async Task ACompactedTopic_TakesKeyedRecords_AndOtherTopicsTakeRecordsWithoutKeys()
    {
        var keyed = Batches.Make(3);
        var keyless = new RecordBatchBuilder().Append(1, null, [1]).Build();

        var (compacted, compactedEnd) = await AppendToFreshLog(keyed, LogConfig.Default with { Compact = true });
        var (deleted, deletedEnd) = await AppendToFreshLog(keyless);

        Assert.Equal((ErrorCode.None, 5L), (compacted.Error, compactedEnd));
        Assert.Equal((ErrorCode.None, 3L), (deleted.Error, deletedEnd));
        Assert.Null(compacted.RecordErrors);
    }

    [Fact]
    public async Task TransactionMarkers_AreWrittenToACompactedTopic()
    {
        var marker = new RecordBatchBuilder { IsControl = true, IsTransactional = true, ProducerId = 5, ProducerEpoch = 0, BaseSequence = 0 }
            .Append(1, [0, 0, 0, 1], [0, 0, 0, 0, 0, 0]).Build();

        var (result, _) = await AppendToFreshLog(marker, LogConfig.Default with { Compact = true }, AppendOrigin.Coordinator);

        Assert.Equal(ErrorCode.None, result.Error);
    }
}
