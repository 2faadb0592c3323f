using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;
using ApiKey = Tributary.Gateway.Protocol.Messages.ApiKey;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>The transaction APIs over a bare connection: their errors by version, and what the describe and list APIs report.</summary>
public sealed class TransactionProtocolTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private static InitProducerIdResponse Init(RawKafkaClient client, string? id, short version = 4, int timeoutMs = 60_000, long producerId = -1, short epoch = -1) =>
        client.Call<InitProducerIdResponse>(ApiKey.InitProducerId, version,
            new InitProducerIdRequest { TransactionalId = id, TransactionTimeoutMs = timeoutMs, ProducerId = producerId, ProducerEpoch = epoch });

    private static AddPartitionsToTxnResponse AddPartitions(RawKafkaClient client, string id, long producerId, short epoch, short version, string topic, params int[] partitions) =>
        client.Call<AddPartitionsToTxnResponse>(ApiKey.AddPartitionsToTxn, version, new AddPartitionsToTxnRequest
        {
            V3AndBelowTransactionalId = id,
            V3AndBelowProducerId = producerId,
            V3AndBelowProducerEpoch = epoch,
            V3AndBelowTopics = [new() { Name = topic, Partitions = [.. partitions] }],
        });

    private static short EndTxn(RawKafkaClient client, string id, long producerId, short epoch, bool commit) =>
        client.Call<EndTxnResponse>(ApiKey.EndTxn, 3, new EndTxnRequest { TransactionalId = id, ProducerId = producerId, ProducerEpoch = epoch, Committed = commit }).ErrorCode;

    [Fact]
    public void InitProducerId_BumpsTheEpochOfATransactionalId_AndRefusesBadTimeoutsAndStaleProducers()
    {
        using var client = new RawKafkaClient(broker.KafkaPort);

        var first = Init(client, "raw-init");
        var second = Init(client, "raw-init");
        var idempotent = Init(client, null);

        Assert.Equal((0, (short)0), (first.ErrorCode, first.ProducerEpoch));
        Assert.Equal((0, first.ProducerId, (short)1), (second.ErrorCode, second.ProducerId, second.ProducerEpoch));
        Assert.NotEqual(first.ProducerId, idempotent.ProducerId);
        Assert.Equal(50, Init(client, "raw-init", timeoutMs: 16 * 60 * 1000).ErrorCode);
        Assert.Equal(90, Init(client, "raw-init", version: 4, producerId: first.ProducerId, epoch: 0).ErrorCode);
        Assert.Equal(47, Init(client, "raw-init", version: 3, producerId: first.ProducerId, epoch: 0).ErrorCode);
        Assert.Equal(42, Init(client, "").ErrorCode);
    }

    [Fact]
    public async Task AddPartitionsAndEndTxn_CheckTheProducer_AndTheStateIsDescribedAndListed()
    {
        await broker.CreateAsync("raw-txn", 2);
        using var client = new RawKafkaClient(broker.KafkaPort);
        var init = Init(client, "raw-txn");
        var (producerId, epoch) = (init.ProducerId, init.ProducerEpoch);

        Assert.Equal(49, AddPartitions(client, "raw-txn", producerId + 1000, epoch, 3, "raw-txn", 0).ResultsByTopicV3AndBelow[0].ResultsByPartition[0].PartitionErrorCode);
        Assert.Equal(47, AddPartitions(client, "raw-txn", producerId, (short)(epoch + 1), 1, "raw-txn", 0).ResultsByTopicV3AndBelow[0].ResultsByPartition[0].PartitionErrorCode);
        Assert.Equal(90, AddPartitions(client, "raw-txn", producerId, (short)(epoch + 1), 2, "raw-txn", 0).ResultsByTopicV3AndBelow[0].ResultsByPartition[0].PartitionErrorCode);
        var withUnknown = AddPartitions(client, "raw-txn", producerId, epoch, 3, "raw-txn", 0, 7);
        Assert.Equal([55, 3], withUnknown.ResultsByTopicV3AndBelow[0].ResultsByPartition.Select(p => (int)p.PartitionErrorCode));
        Assert.All(AddPartitions(client, "raw-txn", producerId, epoch, 3, "raw-txn", 0, 1).ResultsByTopicV3AndBelow[0].ResultsByPartition, p => Assert.Equal(0, p.PartitionErrorCode));

        var batch = new RecordBatchBuilder { ProducerId = producerId, ProducerEpoch = epoch, BaseSequence = 0, IsTransactional = true }
            .Append(1_700_000_000_000, null, "v"u8.ToArray()).Build();
        var produced = client.Call<ProduceResponse>(ApiKey.Produce, 9, new ProduceRequest
        {
            TransactionalId = "raw-txn",
            Acks = -1,
            TimeoutMs = 30_000,
            TopicData = [new() { Name = "raw-txn", PartitionData = [new() { Index = 1, Records = batch }] }],
        });
        Assert.Equal(0, produced.Responses[0].PartitionResponses[0].ErrorCode);

        var described = client.Call<DescribeTransactionsResponse>(ApiKey.DescribeTransactions, 0, new DescribeTransactionsRequest { TransactionalIds = ["raw-txn", "no-such-id"] });
        var ongoing = client.Call<ListTransactionsResponse>(ApiKey.ListTransactions, 1, new ListTransactionsRequest { StateFilters = ["Ongoing", "Bogus"], DurationFilter = -1 });
        var producers = client.Call<DescribeProducersResponse>(ApiKey.DescribeProducers, 0, new DescribeProducersRequest { Topics = [new() { Name = "raw-txn", PartitionIndexes = [1] }] });

        var state = described.TransactionStates.Single(s => s.TransactionalId == "raw-txn");
        Assert.Equal(("Ongoing", producerId, epoch), (state.TransactionStateValue, state.ProducerId, state.ProducerEpoch));
        Assert.Equal([0, 1], state.Topics.Single(t => t.Topic == "raw-txn").Partitions);
        Assert.Equal(105, described.TransactionStates.Single(s => s.TransactionalId == "no-such-id").ErrorCode);
        Assert.Contains(ongoing.TransactionStates, s => s.TransactionalId == "raw-txn" && s.ProducerId == producerId);
        Assert.Equal(["Bogus"], ongoing.UnknownStateFilters);
        var active = producers.Topics.Single().Partitions.Single().ActiveProducers.Single();
        Assert.Equal((producerId, (int)epoch, 0, 0L), (active.ProducerId, active.ProducerEpoch, active.LastSequence, active.CurrentTxnStartOffset));

        Assert.Equal(0, EndTxn(client, "raw-txn", producerId, epoch, commit: true));
        Assert.Equal(0, EndTxn(client, "raw-txn", producerId, epoch, commit: true));
        Assert.Equal(48, EndTxn(client, "raw-txn", producerId, epoch, commit: false));
        var after = client.Call<DescribeTransactionsResponse>(ApiKey.DescribeTransactions, 0, new DescribeTransactionsRequest { TransactionalIds = ["raw-txn"] });
        Assert.Equal("CompleteCommit", after.TransactionStates.Single().TransactionStateValue);
        var completed = client.Call<DescribeProducersResponse>(ApiKey.DescribeProducers, 0, new DescribeProducersRequest { Topics = [new() { Name = "raw-txn", PartitionIndexes = [1] }] });
        Assert.Equal(-1, completed.Topics.Single().Partitions.Single().ActiveProducers.Single().CurrentTxnStartOffset);
    }

    [Fact]
    public async Task ATransactionalBatch_ToAPartitionNotAddedToTheTransaction_IsRefused_AndNothingIsWritten()
    {
        await broker.CreateAsync("raw-unverified", 2);
        using var client = new RawKafkaClient(broker.KafkaPort);
        var init = Init(client, "raw-unverified");
        var (producerId, epoch) = (init.ProducerId, init.ProducerEpoch);
        Assert.Equal(0, AddPartitions(client, "raw-unverified", producerId, epoch, 3, "raw-unverified", 0).ResultsByTopicV3AndBelow[0].ResultsByPartition[0].PartitionErrorCode);

        short Produce(int partition, int sequence, string? transactionalId = "raw-unverified", long? otherProducer = null) =>
            client.Call<ProduceResponse>(ApiKey.Produce, 9, new ProduceRequest
            {
                TransactionalId = transactionalId,
                Acks = -1,
                TimeoutMs = 30_000,
                TopicData = [new()
                {
                    Name = "raw-unverified",
                    PartitionData = [new()
                    {
                        Index = partition,
                        Records = new RecordBatchBuilder { ProducerId = otherProducer ?? producerId, ProducerEpoch = epoch, BaseSequence = sequence, IsTransactional = true }
                            .Append(1_700_000_000_000, null, "v"u8.ToArray()).Build(),
                    }],
                }],
            }).Responses[0].PartitionResponses[0].ErrorCode;
        long EndOffset(int partition) => client.Call<ListOffsetsResponse>(ApiKey.ListOffsets, 5, new ListOffsetsRequest
        {
            ReplicaId = -1,
            Topics = [new() { Name = "raw-unverified", Partitions = [new() { PartitionIndex = partition, Timestamp = -1 }] }],
        }).Topics[0].Partitions[0].Offset;

        // Partition 1 was never added: without the check its batch would open a transaction that no marker ever ends.
        Assert.Equal(48, Produce(1, 0));
        Assert.Equal(53, Produce(1, 0, transactionalId: null));
        Assert.Equal(49, Produce(1, 0, otherProducer: producerId + 1000));
        Assert.Equal(0L, EndOffset(1));

        Assert.Equal(0, Produce(0, 0));
        Assert.Equal(0, Produce(0, 1));
        Assert.Equal(0, AddPartitions(client, "raw-unverified", producerId, epoch, 3, "raw-unverified", 1).ResultsByTopicV3AndBelow[0].ResultsByPartition[0].PartitionErrorCode);
        Assert.Equal(0, Produce(1, 0));
        Assert.Equal(0, EndTxn(client, "raw-unverified", producerId, epoch, commit: true));

        // The transaction is over: a batch that would open the next one at partition 0 needs it added again.
        Assert.Equal(48, Produce(0, 2));
        Assert.Equal((3L, 2L), (EndOffset(0), EndOffset(1)));
    }
}
