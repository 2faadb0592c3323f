using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Runtime.Records;
using Tributary.Grains.Connect.Runtime.Tasks;
using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Tests.Connect.Runtime.Tasks;

public sealed class FetchBufferTests
{
    private static readonly TopicPartition A = new("t", 0);
    private static readonly TopicPartition B = new("t", 1);

    [Fact]
    public void RecordsBeyondMaxPollRecords_AreHandedOutByLaterTakes_InOffsetOrder()
    {
        var buffer = new FetchBuffer();
        buffer.Fill(Positions((A, 0), (B, 10)), [Read(A, 0, 3), Read(B, 10, 1)]);

        Assert.Equal([0L, 1], buffer.Take(Positions((A, 0), (B, 10)), 2).Select(r => r.Offset));
        Assert.Equal([2L, 10], buffer.Take(Positions((A, 2), (B, 10)), 5).Select(r => r.Offset));
        Assert.Empty(buffer.Take(Positions((A, 3), (B, 11)), 5));
    }

    [Fact]
    public void APositionTheTaskMoved_DropsThePartitionsBufferedRecords()
    {
        var buffer = new FetchBuffer();
        buffer.Fill(Positions((A, 0)), [Read(A, 0, 3)]);
        buffer.Take(Positions((A, 0)), 1);

        Assert.Empty(buffer.Take(Positions((A, 0)), 5));
    }

    [Fact]
    public void APausedPartition_KeepsItsRecordsForWhenItResumes()
    {
        var buffer = new FetchBuffer();
        buffer.Fill(Positions((A, 0), (B, 0)), [Read(A, 0, 1), Read(B, 0, 2)]);

        Assert.Equal([A], buffer.Take(Positions((A, 0)), 5).Select(r => r.Partition));
        Assert.Equal([0L, 1], buffer.Take(Positions((B, 0)), 5).Select(r => r.Offset));
    }

    private static Dictionary<TopicPartition, long> Positions(params (TopicPartition Partition, long Offset)[] positions) =>
        positions.ToDictionary(p => p.Partition, p => p.Offset);

    /// <summary>A partition read of <paramref name="count"/> records from <paramref name="offset"/> on, as one batch.</summary>
    private static FetchedRecords Read(TopicPartition partition, long offset, int count)
    {
        var builder = new RecordBatchBuilder();
        for (var i = 0; i < count; i++)
        {
            builder.Append(0, null, null);
        }

        return new FetchedRecords(partition, offset, builder.Build(offset));
    }
}
