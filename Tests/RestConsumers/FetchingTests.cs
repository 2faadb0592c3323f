using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.RestConsumers;
using static Tributary.Tests.RestConsumers.Consumers;

namespace Tributary.Tests.RestConsumers;

public sealed class FetchingTests
{
    private static ConsumedRecord Record(TopicPartition partition, long offset, int size) => new(partition, offset, 0, null, new byte[size]);

    private static FetchedPartition Answer(PartitionFetch fetch, params int[] sizes) =>
        new(fetch, sizes.Select((size, i) => Record(fetch.Partition, fetch.FetchOffset + i, size)).ToList());

    private static RestConsumer Reading(params PartitionOffset[] positions)
    {
        var consumer = Created();
        consumer.Assign(positions.Select(p => p.Partition).ToList());
        consumer.Seek(positions);
        return consumer;
    }

    [Fact]
    public void APoll_ReadsEveryPartitionFromItsPosition_EachUpToThePollsWholeMaxBytes()
    {
        var consumer = Reading(At("t", 0, 5), At("t", 1, 9));

        var plan = consumer.PlanFetch(consumer.Assignment, maxBytes: 1000);

        Assert.Equal([new PartitionFetch(P("t", 0), 5, 1000), new PartitionFetch(P("t", 1), 9, 1000)], plan.Partitions);
        Assert.Equal(1000, plan.MaxBytes);
    }

    [Fact]
    public void APoll_DoesNotReadAPartitionThatLostItsPosition()
    {
        var consumer = Reading(At("t", 0, 5), At("t", 1, 9));
        var partitions = consumer.Assignment.ToList();
        consumer.Assign([P("t", 1)]);

        Assert.Equal([P("t", 1)], consumer.PlanFetch(partitions, 1000).Partitions.Select(p => p.Partition));
    }

    [Fact]
    public void APoll_KeepsRecordsWhileTheyFitInMaxBytesTogether_AndMovesEachPositionPastWhatItKept()
    {
        var consumer = Reading(At("t", 0, 5), At("t", 1, 9));
        var plan = consumer.PlanFetch(consumer.Assignment, maxBytes: 100);

        var records = consumer.ApplyFetched(plan, [Answer(plan.Partitions[1], 40, 40), Answer(plan.Partitions[0], 30, 10)]);

        // In the order the reads answered: partition 1's two records (80 bytes), then partition 0's first would pass 100.
        Assert.Equal([(P("t", 1), 9L), (P("t", 1), 10L)], records.Select(r => (r.Partition, r.Offset)));
        Assert.Equal(new Dictionary<TopicPartition, long> { [P("t", 0)] = 5, [P("t", 1)] = 11 }, consumer.Positions);
    }

    [Fact]
    public void APoll_KeepsItsFirstRecord_EvenWhenItAloneIsLargerThanMaxBytes()
    {
        var consumer = Reading(At("t", 0, 0));
        var plan = consumer.PlanFetch(consumer.Assignment, maxBytes: 10);

        var records = consumer.ApplyFetched(plan, [Answer(plan.Partitions[0], 500, 1)]);

        Assert.Equal([0L], records.Select(r => r.Offset));
        Assert.Equal(1, consumer.Positions[P("t", 0)]);
    }

    [Fact]
    public void AReadFromAPositionThatASeekChangedMeanwhile_IsDropped()
    {
        var consumer = Reading(At("t", 0, 5));
        var plan = consumer.PlanFetch(consumer.Assignment, 1000);

        consumer.Seek([At("t", 0, 0)]);
        var records = consumer.ApplyFetched(plan, [Answer(plan.Partitions[0], 10, 10)]);

        Assert.Empty(records);
        Assert.Equal(0, consumer.Positions[P("t", 0)]);
    }

    [Fact]
    public void AReadOfAPartitionRevokedMeanwhile_IsDropped()
    {
        var consumer = Reading(At("t", 0, 5), At("t", 1, 0));
        var plan = consumer.PlanFetch(consumer.Assignment, 1000);

        consumer.Assign([P("t", 1)]);
        var records = consumer.ApplyFetched(plan, [Answer(plan.Partitions[0], 10)]);

        Assert.Empty(records);
        Assert.False(consumer.Positions.ContainsKey(P("t", 0)));
    }

    [Fact]
    public void APollThatDoesNotWait_HasItsAnswerWhenEveryPartitionAnswered()
    {
        var consumer = Reading(At("t", 0, 0), At("t", 1, 0));
        var plan = consumer.PlanFetch(consumer.Assignment, 1000);

        Assert.False(plan.IsAnswered([Answer(plan.Partitions[0], 10)], waiting: false));
        Assert.True(plan.IsAnswered([Answer(plan.Partitions[0], 10), Answer(plan.Partitions[1])], waiting: false));
    }

    [Fact]
    public void APollThatWaits_HasItsAnswerWhenOnePartitionAnsweredWithRecords()
    {
        var consumer = Reading(At("t", 0, 0), At("t", 1, 0));
        var plan = consumer.PlanFetch(consumer.Assignment, 1000);

        Assert.False(plan.IsAnswered([Answer(plan.Partitions[0])], waiting: true));
        Assert.True(plan.IsAnswered([Answer(plan.Partitions[0]), Answer(plan.Partitions[1], 10)], waiting: true));
        Assert.True(plan.IsAnswered([Answer(plan.Partitions[0]), Answer(plan.Partitions[1])], waiting: true));
    }

    [Fact]
    public void APollOverNoPartition_IsAnsweredAtOnce()
    {
        var consumer = Created();

        Assert.True(consumer.PlanFetch([], 1000).IsAnswered([], waiting: true));
    }

    [Fact]
    public void Decoding_KeepsTheDataRecordsFromTheFetchOffset_SkippingControlBatches_AndAPartialBatchAtTheEnd()
    {
        var first = new RecordBatchBuilder().Append(1000, [1], [10]).Append(1001, null, [11]).Append(1002, [3], null).Build(baseOffset: 20);
        var marker = new TransactionMarker(IsCommit: true, CoordinatorEpoch: 0).Build(producerId: 7, producerEpoch: 0, timestamp: 1003);
        RecordBatch.SetBaseOffset(marker, 23);
        var second = new RecordBatchBuilder().Append(1004, null, [24]).Build(baseOffset: 24);
        var third = new RecordBatchBuilder().Append(1005, null, [25]).Build(baseOffset: 25);
        byte[] batches = [.. first, .. marker, .. second, .. third[..^3]];
        var fetch = new PartitionFetch(P("t", 0), FetchOffset: 21, MaxBytes: 1000);

        var fetched = FetchedPartition.Decode(fetch, ErrorCode.None, batches);

        Assert.Equal(
            [(21L, 1001L, (byte[]?)null, (byte[]?)[11]), (22L, 1002L, [3], null), (24L, 1004L, null, [24])],
            fetched.Records.Select(r => (r.Offset, r.Timestamp, r.Key, r.Value)));
        Assert.All(fetched.Records, r => Assert.Equal(P("t", 0), r.Partition));
    }

    [Fact]
    public void Decoding_AFailedRead_GivesNoRecords()
    {
        var batch = new RecordBatchBuilder().Append(1000, null, [1]).Build();

        Assert.Empty(FetchedPartition.Decode(new PartitionFetch(P("t", 0), 0, 1000), ErrorCode.OffsetOutOfRange, batch).Records);
    }

    [Fact]
    public void ARecordsSize_IsItsKeyAndValue()
    {
        Assert.Equal(7, new ConsumedRecord(P("t", 0), 0, 0, new byte[3], new byte[4]).Size);
        Assert.Equal(0, new ConsumedRecord(P("t", 0), 0, 0, null, null).Size);
    }
}
