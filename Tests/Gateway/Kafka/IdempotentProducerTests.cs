using Confluent.Kafka;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;
using ApiKey = Tributary.Gateway.Protocol.Messages.ApiKey;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>A broker whose clients all go through a <see cref="CuttingProxy"/>: it advertises the proxy's port.</summary>
public sealed class ProxiedBroker : BrokerFixture
{
    private CuttingProxy? _proxy;

    public CuttingProxy Proxy => _proxy ??= new CuttingProxy(KafkaPort);

    public string ProxiedBootstrapServers => $"localhost:{Proxy.Port}";

    protected override IReadOnlyList<string> Settings => ["--advertised-port", Proxy.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)];

    public override async Task DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>Idempotent producers: retries after lost connections are written once.</summary>
public sealed class IdempotentProducerTests(ProxiedBroker broker) : IClassFixture<ProxiedBroker>
{
    [Fact]
    public async Task AnIdempotentProducer_WhoseConnectionsAreCut_WritesEveryRecordExactlyOnce_InOrder()
    {
        await broker.CreateAsync("idempotent", 3);
        const int Records = 30_000;
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = broker.ProxiedBootstrapServers,
            EnableIdempotence = true,
            LingerMs = 2,
            BatchNumMessages = 200,
            MessageTimeoutMs = 120_000,
        }).Build())
        {
            // Every third chunk of 1,000 records is cut off while in flight, once the chunk before it is through: ten
            // cuts that each hit requests on the wire, driven by the producer's own progress rather than by timers,
            // which a loaded machine (or a starved thread pool) would stretch until no cut hit anything.
            var delivered = 0;
            var failed = 0;
            for (var i = 0; i < Records; i++)
            {
                producer.Produce(new TopicPartition("idempotent", i % 3), new Message<string, string> { Key = $"k{i}", Value = $"r{i}" }, report =>
                {
                    Interlocked.Increment(ref delivered);
                    if (report.Error.IsError)
                    {
                        Interlocked.Increment(ref failed);
                    }
                });
                if (i % 3000 == 2999)
                {
                    var chunkBefore = i + 1 - 1000;
                    var waitUntil = DateTime.UtcNow.AddSeconds(60);
                    while (Volatile.Read(ref delivered) < chunkBefore && DateTime.UtcNow < waitUntil)
                    {
                        await Task.Delay(5);
                    }

                    broker.Proxy.CutAll();
                }
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(120)));
            Assert.Equal(0, failed);
        }

        Assert.True(broker.Proxy.Cuts >= 5, $"only {broker.Proxy.Cuts} cuts hit open connections");
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { BootstrapServers = broker.BootstrapServers, GroupId = "idempotent-reader" }).Build();
        consumer.Assign(Enumerable.Range(0, 3).Select(p => new TopicPartitionOffset("idempotent", p, Offset.Beginning)));
        var read = new List<ConsumeResult<string, string>>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (read.Count < Records && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { } result)
            {
                read.Add(result);
            }
        }

        Assert.Null(consumer.Consume(TimeSpan.FromSeconds(1)));
        foreach (var partition in read.GroupBy(r => r.Partition.Value))
        {
            Assert.Equal(
                Enumerable.Range(0, Records).Where(i => i % 3 == partition.Key).Select(i => $"r{i}"),
                partition.Select(r => r.Message.Value));
        }

        Assert.Equal(Records, read.Count);
    }

    [Fact]
    public async Task ProducerIds_AreNeverHandedOutTwice_AcrossARestart()
    {
        long Next()
        {
            using var client = new RawKafkaClient(broker.KafkaPort);
            var response = client.Call<InitProducerIdResponse>(ApiKey.InitProducerId, 4, new InitProducerIdRequest { TransactionalId = null, TransactionTimeoutMs = 60_000, ProducerId = -1, ProducerEpoch = -1 });
            Assert.Equal((0, (short)0), (response.ErrorCode, response.ProducerEpoch));
            return response.ProducerId;
        }

        var before = Enumerable.Range(0, 3).Select(_ => Next()).ToList();
        await broker.StopAsync();
        await broker.StartAsync();
        var after = Next();

        Assert.Equal(3, before.Distinct().Count());
        Assert.True(after > before.Max(), $"{after} after a restart, {before.Max()} before");
    }
}
