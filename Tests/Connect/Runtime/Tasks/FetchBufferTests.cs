using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Runtime.Records;
using Tributary.Grains.Connect.Runtime.Tasks;

namespace Tributary.Tests.Connect.Runtime.Tasks;

public sealed class FetchBufferTests
{
    private static readonly TopicPartition A = new("t", 0);
    private static readonly TopicPartition B = new("t", 1);

    [Fact]
    public void RecordsBeyondMaxPollRecords_AreHandedOutByLaterTakes_InOffsetOrder()
    {
        var buffer = new FetchBuffer();
        buffer.Fill(Positions((A, 0), (B, 10)), [Record(A, 0), Record(A, 1), Record(A, 2), Record(B, 10)]);

        Assert.Equal([0L, 1], buffer.Take(Positions((A, 0), (B, 10)), 2).Select(r => r.Offset));
        Assert.Equal([2L, 10], buffer.Take(Positions((A, 2), (B, 10)), 5).Select(r => r.Offset));
        Assert.Empty(buffer.Take(Positions((A, 3), (B, 11)), 5));
    }

    [Fact]
    public void APositionTheTaskMoved_DropsThePartitionsBufferedRecords()
    {
        var buffer = new FetchBuffer();
        buffer.Fill(Positions((A, 0)), [Record(A, 0), Record(A, 1), Record(A, 2)]);
        buffer.Take(Positions((A, 0)), 1);

        Assert.Empty(buffer.Take(Positions((A, 0)), 5));
    }

    [Fact]
    public void APausedPartition_KeepsItsRecordsForWhenItResumes()
    {
        var buffer = new FetchBuffer();
        buffer.Fill(Positions((A, 0), (B, 0)), [Record(A, 0), Record(B, 0), Record(B, 1)]);

        Assert.Equal([A], buffer.Take(Positions((A, 0)), 5).Select(r => r.Partition));
        Assert.Equal([0L, 1], buffer.Take(Positions((B, 0)), 5).Select(r => r.Offset));
    }

    private static Dictionary<TopicPartition, long> Positions(params (TopicPartition Partition, long Offset)[] positions) =>
        positions.ToDictionary(p => p.Partition, p => p.Offset);

    private static ConsumerRecord Record(TopicPartition partition, long offset) =>
        new(partition, offset, 0, Tributary.Grains.Connect.Api.Sink.TimestampType.CreateTime, null, null, []);
}
