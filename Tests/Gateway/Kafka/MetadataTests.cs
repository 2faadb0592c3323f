using Confluent.Kafka;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Kafka;

public sealed class MetadataTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    [Fact]
    public void TheClientLoadsThePinnedLibrdkafka() =>
        Assert.StartsWith("2.16", Library.VersionString);

    [Fact]
    public void AdminClient_SeesThisBroker_AndAnAutoCreatedTopic()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();

        var metadata = admin.GetMetadata("auto-created", TimeSpan.FromSeconds(20));

        var onlyBroker = Assert.Single(metadata.Brokers);
        Assert.Equal((1, "localhost", broker.KafkaPort), (onlyBroker.BrokerId, onlyBroker.Host, onlyBroker.Port));
        var topic = Assert.Single(metadata.Topics);
        Assert.Equal("auto-created", topic.Topic);
        Assert.Equal(ErrorCode.NoError, topic.Error.Code);
        var partition = Assert.Single(topic.Partitions);
        Assert.Equal(1, partition.Leader);
    }
}
