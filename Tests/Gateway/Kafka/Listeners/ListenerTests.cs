using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Kafka.Listeners;

/// <summary>
/// A broker with two listeners, as in a container or a Kubernetes pod reached from inside and outside: a client
/// is told the addresses of the listener it connected to (Metadata, FindCoordinator, DescribeCluster), so that it stays
/// on it, and records written through one are read through the other.
/// </summary>
public sealed class ListenerTests(ListenerTests.TwoListeners broker) : IClassFixture<ListenerTests.TwoListeners>
{
    public sealed class TwoListeners : BrokerFixture
    {
        public int ExternalPort { get; } = TestKit.TestPorts.Next();

        /// <summary>The second listener, bound on the loopback address alone and advertised by it (the first says localhost).</summary>
        public string ExternalBootstrap => $"127.0.0.1:{ExternalPort}";

        protected override IReadOnlyList<string> Settings =>
        [
            "--Tributary:Kafka:Listeners", $"PLAINTEXT://:{KafkaPort},EXTERNAL://127.0.0.1:{ExternalPort}",
            "--Tributary:Kafka:ListenerSecurityProtocolMap", "PLAINTEXT:PLAINTEXT,EXTERNAL:PLAINTEXT",
        ];
    }

    [Fact]
    public async Task EachListenersClients_AreToldItsAddresses_AndReadWhatTheOthersWrote()
    {
        const string topic = "two-listeners";
        await broker.CreateAsync(topic, 1);

        using (var external = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.ExternalBootstrap }).Build())
        using (var plain = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            var seenOutside = Assert.Single(external.GetMetadata(TimeSpan.FromSeconds(10)).Brokers);
            Assert.Equal(("127.0.0.1", broker.ExternalPort), (seenOutside.Host, seenOutside.Port));
            var seenInside = Assert.Single(plain.GetMetadata(TimeSpan.FromSeconds(10)).Brokers);
            Assert.Equal(("localhost", broker.KafkaPort), (seenInside.Host, seenInside.Port));

            var cluster = await external.DescribeClusterAsync();
            Assert.Equal(("127.0.0.1", broker.ExternalPort), (Assert.Single(cluster.Nodes).Host, cluster.Nodes[0].Port));

            var configs = await plain.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Broker, Name = "1" }]);
            var entries = configs[0].Entries;
            Assert.Equal($"PLAINTEXT://:{broker.KafkaPort},EXTERNAL://127.0.0.1:{broker.ExternalPort}", entries["listeners"].Value);
            Assert.Equal(
                $"PLAINTEXT://localhost:{broker.KafkaPort},EXTERNAL://127.0.0.1:{broker.ExternalPort}", entries["advertised.listeners"].Value);
            Assert.Equal("PLAINTEXT:PLAINTEXT,EXTERNAL:PLAINTEXT", entries["listener.security.protocol.map"].Value);
        }

        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = broker.ExternalBootstrap }).Build())
        {
            await producer.ProduceAsync(topic, new Message<Null, string> { Value = "from outside" });
        }

        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(topic, new Message<Null, string> { Value = "from inside" });
        }

        // A group read through the second listener: its coordinator is named at that listener's address.
        using var consumer = new ConsumerBuilder<Null, string>(new ConsumerConfig
        {
            BootstrapServers = broker.ExternalBootstrap,
            GroupId = "two-listeners-group",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(topic);
        var values = ConsumedValues.Take(consumer, 2, TimeSpan.FromSeconds(30));

        Assert.Equal(["from outside", "from inside"], values);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.ExternalBootstrap }).Build();
        var group = (await admin.DescribeConsumerGroupsAsync(["two-listeners-group"])).ConsumerGroupDescriptions[0];
        Assert.Equal(("127.0.0.1", broker.ExternalPort), (group.Coordinator.Host, group.Coordinator.Port));
        consumer.Close();
    }
}
