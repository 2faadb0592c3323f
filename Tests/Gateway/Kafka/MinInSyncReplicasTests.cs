using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// <c>min.insync.replicas</c> with Confluent.Kafka producers, as Kafka answers it: an acks=all produce to a partition
/// with fewer in-sync replicas than the topic asks for is refused with NOT_ENOUGH_REPLICAS and writes nothing, while
/// acks=1 is unaffected and a topic whose minimum is met takes acks=all.
/// </summary>
public sealed class MinInSyncReplicasTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    [Fact]
    public async Task AcksAll_ToATopicNeedingMoreInSyncReplicasThanItHas_IsNotEnoughReplicas_AndWritesNothing()
    {
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync(
            [
                new TopicSpecification { Name = "misr-two", NumPartitions = 1, ReplicationFactor = 1, Configs = new() { ["min.insync.replicas"] = "2" } },
                new TopicSpecification { Name = "misr-one", NumPartitions = 1, ReplicationFactor = 1 },
            ]);
        }

        using (var acksAll = Producer(Acks.All))
        {
            var refused = await Assert.ThrowsAsync<ProduceException<Null, string>>(() => acksAll.ProduceAsync("misr-two", new Message<Null, string> { Value = "x" }));
            Assert.Equal(ErrorCode.NotEnoughReplicas, refused.Error.Code);

            var accepted = await acksAll.ProduceAsync("misr-one", new Message<Null, string> { Value = "y" });
            Assert.Equal(0, accepted.Offset.Value);
        }

        using (var acksOne = Producer(Acks.Leader))
        {
            var written = await acksOne.ProduceAsync("misr-two", new Message<Null, string> { Value = "z" });
            Assert.Equal(0, written.Offset.Value);
        }
    }

    private IProducer<Null, string> Producer(Acks acks) => new ProducerBuilder<Null, string>(new ProducerConfig
    {
        BootstrapServers = broker.BootstrapServers,
        Acks = acks,
        MessageSendMaxRetries = 0,
        MessageTimeoutMs = 10_000,
    }).Build();
}
