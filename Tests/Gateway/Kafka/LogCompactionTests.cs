using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// Log compaction seen through Confluent.Kafka: a compacted topic keeps the last record of every key, tombstones go
/// after <c>delete.retention.ms</c>, and a read_committed consumer of a compacted transactional topic sees only
/// committed data. The broker's cleaner is made eager through its dynamic configs (<c>log.cleaner.backoff.ms</c>),
/// set with AdminClient as an operator would.
/// </summary>
public sealed class LogCompactionTests(BrokerFixture broker) : IClassFixture<BrokerFixture>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        using var admin = Admin();
        await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [new ConfigResource { Type = ResourceType.Broker, Name = "1" }] =
                [new ConfigEntry { Name = "log.cleaner.backoff.ms", Value = "100", IncrementalOperation = AlterConfigOpType.Set }],
        });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private IAdminClient Admin() => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();

    // Batches stay under segment.bytes (64 KiB here), which Kafka refuses to exceed with RECORD_LIST_TOO_LARGE.
    private static Dictionary<string, string?> CompactedConfigs(string deleteRetentionMs = "86400000") => new()
    {
        ["cleanup.policy"] = "compact",
        ["segment.bytes"] = "65536",
        ["segment.ms"] = "1000",
        ["min.cleanable.dirty.ratio"] = "0.01",
        ["delete.retention.ms"] = deleteRetentionMs,
    };

    private List<ConsumeResult<string, string?>> ReadAll(string topic, IsolationLevel isolation = IsolationLevel.ReadUncommitted)
    {
        using var consumer = new ConsumerBuilder<string, string?>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "compaction-reader",
            EnablePartitionEof = true,
            IsolationLevel = isolation,
        }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var records = new List<ConsumeResult<string, string?>>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result is { IsPartitionEOF: true })
            {
                break;
            }

            if (result is not null)
            {
                records.Add(result);
            }
        }

        return records;
    }

    /// <summary>Rolls the active segment (its <c>segment.ms</c> passed) with one more record, so that all before it is cleanable.</summary>
    private static async Task RollWith(IProducer<string, string?> producer, string topic, string key, string? value)
    {
        await Task.Delay(1_100);
        await producer.ProduceAsync(topic, new Message<string, string?> { Key = key, Value = value });
    }

    private static async Task<List<ConsumeResult<string, string?>>> WaitUntil(
        Func<List<ConsumeResult<string, string?>>> read, Func<List<ConsumeResult<string, string?>>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        var records = read();
        while (!done(records) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            records = read();
        }

        return records;
    }

    private long PartitionBytes(string topic) =>
        Directory.GetFiles(Path.Combine(broker.DataDirectory, topic + "-0"), "*.log").Sum(f => new FileInfo(f).Length);

    [Fact]
    public async Task AHundredThousandUpdatesOfAThousandKeys_ShrinkToAboutAThousandRecords_OnceOlderThanTheCompactionLag()
    {
        const string Topic = "compacted-updates";
        var configs = CompactedConfigs();
        configs["min.compaction.lag.ms"] = "3600000";
        await broker.CreateAsync(Topic, 1, configs);
        using var producer = new ProducerBuilder<string, string?>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 5, BatchSize = 16_384 }).Build();
        var latest = new Dictionary<string, string?>();
        var errors = new System.Collections.Concurrent.ConcurrentBag<Error>();
        for (var i = 0; i < 100_000; i++)
        {
            var key = $"key{i % 1_000}";
            var value = $"value{i}";
            latest[key] = value;
            producer.Produce(Topic, new Message<string, string?> { Key = key, Value = value }, report => errors.Add(report.Error));
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        Assert.Empty(errors.Where(e => e.IsError).Select(e => $"{e.Code}: {e.Reason}").Distinct());
        await RollWith(producer, Topic, "key0", latest["key0"] = "value-last");
        await Task.Delay(500);
        var bytesBefore = PartitionBytes(Topic);
        Assert.Equal(100_001, ReadAll(Topic).Count);

        // Records younger than min.compaction.lag.ms stay as they are; lowering it lets the cleaner at them.
        using var admin = Admin();
        await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [new ConfigResource { Type = ResourceType.Topic, Name = Topic }] =
                [new ConfigEntry { Name = "min.compaction.lag.ms", Value = "0", IncrementalOperation = AlterConfigOpType.Set }],
        });

        var records = await WaitUntil(() => ReadAll(Topic), r => r.Count <= 1_001);

        Assert.InRange(records.Count, 1_000, 1_001);
        var seen = records.GroupBy(r => r.Message.Key).ToDictionary(g => g.Key, g => g.Last().Message.Value);
        Assert.Equal(latest, seen);
        Assert.True(records.Select(r => r.Offset.Value).SequenceEqual(records.Select(r => r.Offset.Value).Order()), "offsets ascend");
        Assert.Equal(100_000, records[^1].Offset.Value);
        var bytesAfter = PartitionBytes(Topic);
        Assert.True(bytesAfter < bytesBefore / 20, $"{bytesBefore} bytes of updates shrink to {bytesAfter}");
        Console.WriteLine($"compacted-updates: {bytesBefore} bytes before cleaning, {bytesAfter} after");
    }

    [Fact]
    public async Task ATopicAlteredToCompact_IsCleaned_WithoutARestart()
    {
        const string Topic = "compacted-later-by-alter";
        var configs = CompactedConfigs();
        configs["cleanup.policy"] = "delete";
        await broker.CreateAsync(Topic, 1, configs);
        using var producer = new ProducerBuilder<string, string?>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 5, BatchSize = 16_384 }).Build();
        for (var i = 0; i < 5_000; i++)
        {
            producer.Produce(Topic, new Message<string, string?> { Key = $"key{i % 10}", Value = $"value{i}" });
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        await RollWith(producer, Topic, "key0", "value-last");
        await Task.Delay(1_000);
        Assert.Equal(5_001, ReadAll(Topic).Count);

        using var admin = Admin();
        await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [new ConfigResource { Type = ResourceType.Topic, Name = Topic }] =
                [new ConfigEntry { Name = "cleanup.policy", Value = "compact", IncrementalOperation = AlterConfigOpType.Set }],
        });

        var records = await WaitUntil(() => ReadAll(Topic), r => r.Count <= 11);
        Assert.InRange(records.Count, 10, 11);
        Assert.Equal("value4999", records.Single(r => r.Message.Key == "key9").Message.Value);
    }

    [Fact]
    public async Task ATombstone_DeletesItsKey_AndGoesItselfAfterDeleteRetention()
    {
        const string Topic = "compacted-tombstones";
        await broker.CreateAsync(Topic, 1, CompactedConfigs(deleteRetentionMs: "3000"));
        using var producer = new ProducerBuilder<string, string?>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build();
        await producer.ProduceAsync(Topic, new Message<string, string?> { Key = "gone", Value = "1" });
        await producer.ProduceAsync(Topic, new Message<string, string?> { Key = "kept", Value = "1" });
        await producer.ProduceAsync(Topic, new Message<string, string?> { Key = "gone", Value = null });
        await RollWith(producer, Topic, "other", "1");

        var withTombstone = await WaitUntil(() => ReadAll(Topic), r => !r.Any(x => x.Message.Key == "gone" && x.Message.Value == "1"));
        Assert.Contains(withTombstone, r => r.Message.Key == "gone" && r.Message.Value is null);

        var after = await WaitUntil(() => ReadAll(Topic), r => r.All(x => x.Message.Key != "gone"));
        Assert.DoesNotContain(after, r => r.Message.Key == "gone");
        Assert.Contains(after, r => r.Message.Key == "kept" && r.Message.Value == "1");
    }

    [Fact]
    public async Task AReadCommittedConsumerOfACompactedTransactionalTopic_SeesOnlyCommittedData()
    {
        const string Topic = "compacted-transactions";
        await broker.CreateAsync(Topic, 1, CompactedConfigs());
        using var producer = new ProducerBuilder<string, string?>(new ProducerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            TransactionalId = "compaction-txn",
        }).Build();
        producer.InitTransactions(TimeSpan.FromSeconds(30));
        foreach (var (value, commit) in new[] { ("committed-1", true), ("aborted", false), ("committed-2", true), ("aborted-again", false) })
        {
            producer.BeginTransaction();
            await producer.ProduceAsync(Topic, new Message<string, string?> { Key = "account", Value = value });
            await producer.ProduceAsync(Topic, new Message<string, string?> { Key = value, Value = value });
            if (commit)
            {
                producer.CommitTransaction();
            }
            else
            {
                producer.AbortTransaction();
            }
        }

        await Task.Delay(1_100);
        producer.BeginTransaction();
        await producer.ProduceAsync(Topic, new Message<string, string?> { Key = "roll", Value = "roll" });
        producer.CommitTransaction();

        // Cleaning removes the aborted records themselves, so even a read_uncommitted reader stops seeing them.
        var uncommitted = await WaitUntil(() => ReadAll(Topic), r => r.All(x => x.Message.Value is not ("aborted" or "aborted-again")));
        Assert.DoesNotContain(uncommitted, r => r.Message.Value is "aborted" or "aborted-again");

        var committed = ReadAll(Topic, IsolationLevel.ReadCommitted);
        Assert.Equal(["committed-2"], committed.Where(r => r.Message.Key == "account").Select(r => r.Message.Value));
        Assert.Contains(committed, r => r.Message.Key == "committed-1");
        Assert.DoesNotContain(committed, r => r.Message.Value is "aborted" or "aborted-again");
    }
}
