using Confluent.Kafka;
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
}
