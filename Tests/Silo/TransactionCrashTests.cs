using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Tests.Silo.Support;

namespace Tributary.Tests.Silo;

/// <summary>Transactions through the real Silo process killed with SIGKILL: each ends whole after the restart.</summary>
public sealed class TransactionCrashTests : IDisposable
{
    private static readonly Dictionary<string, string> FastTimeouts = new() { ["Tributary__Transactions__TimeoutCheckInterval"] = "00:00:00.250" };
    private readonly string _data = Path.Combine(Path.GetTempPath(), "tributary-tests", "silo-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private static List<string> ReadAll(string bootstrap, IsolationLevel isolation, int expected)
    {
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = $"reader-{Guid.NewGuid():N}",
            IsolationLevel = isolation,
            EnablePartitionEof = true,
        }).Build();
        consumer.Assign(Enumerable.Range(0, 3).Select(p => new TopicPartitionOffset("crash-txn", p, Offset.Beginning)));
        var values = new List<string>();
        var atEnd = new HashSet<int>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && (values.Count < expected || atEnd.Count < 3))
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
                values.Add(result.Message.Value);
                atEnd.Remove(result.Partition.Value);
            }
        }

        return values;
    }

    private static async Task<long[]> EndOffsets(IAdminClient admin, IsolationLevel isolation)
    {
        var listed = await admin.ListOffsetsAsync(
            Enumerable.Range(0, 3).Select(p => new TopicPartitionOffsetSpec { TopicPartition = new TopicPartition("crash-txn", p), OffsetSpec = OffsetSpec.Latest() }),
            new ListOffsetsOptions { IsolationLevel = isolation });
        return listed.ResultInfos.OrderBy(r => r.TopicPartitionOffsetError.Partition.Value).Select(r => r.TopicPartitionOffsetError.Offset.Value).ToArray();
    }

    [Fact]
    public async Task ACommittedTransactionStaysWhole_AndAnOpenOneIsAbortedWhole_AfterAKillDashNine()
    {
        await using (var silo = await SiloProcess.StartAsync(_data, FastTimeouts))
        {
            Assert.Equal(ErrorCode.None, (await silo.Client.GetGrain<ITopicGrain>("crash-txn").CreateAsync(new CreateTopicRequest(3, 1, new Dictionary<string, string?>()))).Error);
            using var producer = new ProducerBuilder<Null, string>(new ProducerConfig
            {
                BootstrapServers = silo.BootstrapServers,
                TransactionalId = "crash",
                TransactionTimeoutMs = 3000,
            }).Build();
            producer.InitTransactions(TimeSpan.FromSeconds(30));
            foreach (var (prefix, commit) in new[] { ("committed", true), ("open", false) })
            {
                producer.BeginTransaction();
                for (var i = 0; i < 30; i++)
                {
                    producer.Produce(new TopicPartition("crash-txn", i % 3), new Message<Null, string> { Value = $"{prefix}-{i}" });
                }

                Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
                if (commit)
                {
                    producer.CommitTransaction(TimeSpan.FromSeconds(30));
                }
            }

            await silo.KillAsync();
        }

        await using var restarted = await SiloProcess.StartAsync(_data, FastTimeouts);

        // The open transaction is aborted after the restart (at its timeout): the last stable offset reaches the end again.
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = restarted.BootstrapServers }).Build();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        long[] stable = [], latest = [];
        while (DateTime.UtcNow < deadline)
        {
            stable = await EndOffsets(admin, IsolationLevel.ReadCommitted);
            latest = await EndOffsets(admin, IsolationLevel.ReadUncommitted);
            if (stable.SequenceEqual(latest))
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.Equal(latest, stable);
        Assert.All(latest, end => Assert.Equal(22, end));
        var committed = ReadAll(restarted.BootstrapServers, IsolationLevel.ReadCommitted, 30);
        var everything = ReadAll(restarted.BootstrapServers, IsolationLevel.ReadUncommitted, 60);

        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"committed-{i}").Order(), committed.Order());
        Assert.Equal(60, everything.Count);
    }
}
