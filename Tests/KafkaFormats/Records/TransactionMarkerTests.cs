using System.Buffers.Binary;
using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Tests.KafkaFormats.Records;

public sealed class TransactionMarkerTests
{
    [Theory]
    [InlineData(true, 0, 4_000L, (short)0)]
    [InlineData(false, 7, long.MaxValue - 1, short.MaxValue)]
    public void AMarker_IsTheControlBatchTheGeneralEncoderWrites_AndReadsBack(bool commit, int coordinatorEpoch, long producerId, short epoch)
    {
        const long timestamp = 1_700_000_123_456;
        var key = new byte[4];
        BinaryPrimitives.WriteInt16BigEndian(key.AsSpan(2), (short)(commit ? 1 : 0));
        var value = new byte[6];
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(2), coordinatorEpoch);
        var expected = new RecordBatchBuilder { ProducerId = producerId, ProducerEpoch = epoch, IsTransactional = true, IsControl = true }
            .Append(timestamp, key, value)
            .Build();

        var marker = new TransactionMarker(commit, coordinatorEpoch).Build(producerId, epoch, timestamp);

        Assert.Equal(expected, marker);
        Assert.True(RecordBatch.IsCrcValid(marker));
        Assert.True(TransactionMarker.TryRead(marker, out var read));
        Assert.Equal(new TransactionMarker(commit, coordinatorEpoch), read);
    }
}
