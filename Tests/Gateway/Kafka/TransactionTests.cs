using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>Transactional producers with Confluent.Kafka: commit and abort, read_committed and read_uncommitted consumers.</summary>
public sealed class TransactionTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private IProducer<string, string> TransactionalProducer(string transactionalId, int timeoutMs = 60_000) =>
        new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            TransactionalId = transactionalId,
            TransactionTimeoutMs = timeoutMs,
            LingerMs = 5,
        }).Build();

    private List<ConsumeResult<string, string>> ReadAll(string topic, int partitions, IsolationLevel isolation, int expected)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = $"reader-{Guid.NewGuid():N}",
            IsolationLevel = isolation,
            EnablePartitionEof = true,
        }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var records = new List<ConsumeResult<string, string>>();
        var atEnd = new HashSet<int>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && (records.Count < expected || atEnd.Count < partitions))
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is not { } result)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                atEnd.Add(result.Partition.Value);
            }
            else
            {
                records.Add(result);
                atEnd.Remove(result.Partition.Value);
            }
        }

        return records;
    }

    [Fact]
    public async Task CommittedAndAbortedTransactions_AreReadAsTheirIsolationLevelSays()
    {
        await broker.CreateAsync("txn-alternate", 3);
        using (var producer = TransactionalProducer("alternate"))
        {
            producer.InitTransactions(TimeSpan.FromSeconds(30));
            for (var t = 0; t < 6; t++)
            {
                producer.BeginTransaction();
                for (var i = 0; i < 30; i++)
                {
                    producer.Produce(new TopicPartition("txn-alternate", i % 3), new Message<string, string> { Key = $"k{i}", Value = $"t{t}-{i}" });
                }

                if (t % 2 == 0)
                {
                    producer.CommitTransaction(TimeSpan.FromSeconds(30));
                }
                else
                {
                    // Sent first, so that the aborted records are in the log (an abort drops what is still queued).
                    Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
                    producer.AbortTransaction(TimeSpan.FromSeconds(30));
                }
            }
        }

        var committed = ReadAll("txn-alternate", 3, IsolationLevel.ReadCommitted, 90);
        var uncommitted = ReadAll("txn-alternate", 3, IsolationLevel.ReadUncommitted, 180);

        Assert.Equal(
            new[] { 0, 2, 4 }.SelectMany(t => Enumerable.Range(0, 30).Select(i => $"t{t}-{i}")).Order(),
            committed.Select(r => r.Message.Value).Order());
        foreach (var partition in committed.GroupBy(r => r.Partition.Value))
        {
            Assert.Equal(
                new[] { 0, 2, 4 }.SelectMany(t => Enumerable.Range(0, 30).Where(i => i % 3 == partition.Key).Select(i => $"t{t}-{i}")),
                partition.Select(r => r.Message.Value));
        }

        Assert.Equal(180, uncommitted.Count);
        Assert.Equal(
            Enumerable.Range(0, 6).SelectMany(t => Enumerable.Range(0, 30).Select(i => $"t{t}-{i}")).Order(),
            uncommitted.Select(r => r.Message.Value).Order());
    }

    [Fact]
    public async Task ASecondProducerWithTheSameTransactionalId_FencesTheFirst_AndItsOpenTransactionIsAborted()
    {
        await broker.CreateAsync("txn-fenced", 1);
        using var first = TransactionalProducer("fenced");
        first.InitTransactions(TimeSpan.FromSeconds(30));
        first.BeginTransaction();
        first.Produce("txn-fenced", new Message<string, string> { Key = "a", Value = "zombie" });
        Assert.Equal(0, first.Flush(TimeSpan.FromSeconds(30)));

        using var second = TransactionalProducer("fenced");
        second.InitTransactions(TimeSpan.FromSeconds(30));
        second.BeginTransaction();
        second.Produce("txn-fenced", new Message<string, string> { Key = "b", Value = "successor" });
        second.CommitTransaction(TimeSpan.FromSeconds(30));

        var error = Assert.ThrowsAny<KafkaException>(() => first.CommitTransaction(TimeSpan.FromSeconds(30)));
        Assert.True(error.Error.IsFatal || error.Error.Code is ErrorCode.ProducerFenced or ErrorCode.InvalidProducerEpoch, error.Error.ToString());
        Assert.Equal(["successor"], ReadAll("txn-fenced", 1, IsolationLevel.ReadCommitted, 1).Select(r => r.Message.Value));
    }

    [Fact]
    public async Task ATransactionLeftOpen_IsAbortedAfterItsTimeout_AndNoLongerHoldsReadersBack()
    {
        await broker.CreateAsync("txn-timeout", 1);
        using var producer = TransactionalProducer("timeout", timeoutMs: 6000);
        producer.InitTransactions(TimeSpan.FromSeconds(30));
        producer.BeginTransaction();
        producer.Produce("txn-timeout", new Message<string, string> { Key = "a", Value = "left open" });
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var stable = await admin.ListOffsetsAsync([new TopicPartitionOffsetSpec { TopicPartition = new("txn-timeout", 0), OffsetSpec = OffsetSpec.Latest() }],
            new ListOffsetsOptions { IsolationLevel = IsolationLevel.ReadCommitted });
        Assert.Equal(0, stable.ResultInfos.Single().TopicPartitionOffsetError.Offset.Value);

        await Wait.UntilAsync(async () =>
        {
            var offsets = await admin.ListOffsetsAsync([new TopicPartitionOffsetSpec { TopicPartition = new("txn-timeout", 0), OffsetSpec = OffsetSpec.Latest() }],
                new ListOffsetsOptions { IsolationLevel = IsolationLevel.ReadCommitted });
            return offsets.ResultInfos.Single().TopicPartitionOffsetError.Offset.Value == 2;
        }, TimeSpan.FromSeconds(30), "the timed-out transaction aborted (record and abort marker below the last stable offset)");

        Assert.Empty(ReadAll("txn-timeout", 1, IsolationLevel.ReadCommitted, 0));
        Assert.ThrowsAny<KafkaException>(() => producer.CommitTransaction(TimeSpan.FromSeconds(30)));
    }

    /// <summary>
    /// One instance of a consume-transform-produce application: reads "ctp-in" in group "ctp-group", writes each value
    /// with "-done" to the same partition of "ctp-out", and commits its input offsets in the same transaction. With
    /// <paramref name="dieInTransaction"/> it stops without committing or closing in the middle of that transaction.
    /// </summary>
    private int RunProcessor(int? dieInTransaction)
    {
        using var producer = TransactionalProducer("ctp-app");
        producer.InitTransactions(TimeSpan.FromSeconds(30));
        var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "ctp-group",
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = 2000,
            HeartbeatIntervalMs = 300,
        }).Build();
        consumer.Subscribe("ctp-in");
        var transactions = 0;
        var idle = DateTime.UtcNow;
        try
        {
            while (DateTime.UtcNow - idle < TimeSpan.FromSeconds(5))
            {
                var batch = new List<ConsumeResult<string, string>>();
                while (batch.Count < 25 && consumer.Consume(TimeSpan.FromMilliseconds(300)) is { } record)
                {
                    batch.Add(record);
                }

                if (batch.Count == 0)
                {
                    continue;
                }

                idle = DateTime.UtcNow;
                producer.BeginTransaction();
                foreach (var record in batch)
                {
                    producer.Produce(new TopicPartition("ctp-out", record.Partition), new Message<string, string> { Key = record.Message.Key, Value = record.Message.Value + "-done" });
                }

                producer.SendOffsetsToTransaction(
                    batch.GroupBy(r => r.TopicPartition).Select(g => new TopicPartitionOffset(g.Key, g.Max(r => r.Offset.Value) + 1)),
                    consumer.ConsumerGroupMetadata,
                    TimeSpan.FromSeconds(30));
                if (transactions == dieInTransaction)
                {
                    Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
                    return transactions;
                }

                producer.CommitTransaction(TimeSpan.FromSeconds(30));
                transactions++;
            }

            consumer.Close();
            return transactions;
        }
        finally
        {
            consumer.Dispose();
        }
    }

    [Fact]
    public async Task ConsumeTransformProduce_KilledMidTransactionAndRestarted_ProcessesEveryInputExactlyOnce()
    {
        await broker.FillAsync("ctp-in", 100, 100, 100);
        await broker.CreateAsync("ctp-out", 3);

        Assert.Equal(3, RunProcessor(dieInTransaction: 3));
        Assert.True(RunProcessor(dieInTransaction: null) > 0);

        var output = ReadAll("ctp-out", 3, IsolationLevel.ReadCommitted, 300);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"r{i}-done").Order(), output.Select(r => r.Message.Value).Order());
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var committed = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("ctp-group", [new("ctp-in", 0), new("ctp-in", 1), new("ctp-in", 2)])]);
        Assert.All(committed.Single().Partitions, p => Assert.Equal(100, p.Offset.Value));
    }
}
