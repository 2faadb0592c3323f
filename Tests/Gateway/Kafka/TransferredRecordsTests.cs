using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// The produce path hands each partition its slice of the request frame: on the broker's own silo the partition
/// assigns offsets in that very slice, so Orleans made no copy of it on the way.
/// </summary>
public sealed class TransferredRecordsTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    [Fact]
    public async Task ASliceOfAFrameHandedToAPartitionOnThisSilo_IsRewrittenInPlace_NotCopied()
    {
        await broker.CreateAsync("handed-over", 1);
        var partition = PartitionGrainKey.Get(broker.Grains, "handed-over", 0);
        await partition.AppendAsync(Batches.Make(5));
        var batch = Batches.Make(3);
        var frame = new byte[64 + batch.Length];
        batch.CopyTo(frame, 64);
        ReadOnlyMemory<byte> slice = frame.AsMemory(64, batch.Length);

        var result = await partition.AppendAsync(TransferredRecords.HandOver(slice), transactionalId: null);

        Assert.Equal(5, result.BaseOffset);
        Assert.Equal(5, RecordBatch.BaseOffset(frame.AsSpan(64)));
    }
}
