using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Silo;

/// <summary>A grain-state directory belongs to one broker: a second broker pointed at it stops while starting.</summary>
public sealed class GrainStateDirectoryTests
{
    [Fact]
    public async Task ASecondBrokerOnTheSameGrainStateDirectory_StopsAtStartUp_AndTheFirstKeepsServing()
    {
        using var root = new TempDirectory();
        var first = root.Combine("first");
        await using var owner = await SiloLauncher.StartAsync(first);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloLauncher.StartAsync(
            root.Combine("second"),
            new Dictionary<string, string> { ["Tributary__GrainStateDirectory"] = Path.Combine(first, ".grain-state") }));
        Assert.Contains("A grain-state directory belongs to one broker", refused.Message);

        // The first broker's control plane (a topic created) and data path still work.
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = owner.BootstrapServers }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "after-refusal", NumPartitions = 2 }]);
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = owner.BootstrapServers, Acks = Acks.All }).Build();
        var delivered = await producer.ProduceAsync(new TopicPartition("after-refusal", 1), new Message<Null, string> { Value = "still here" });
        Assert.Equal((PersistenceStatus.Persisted, 0L), (delivered.Status, delivered.Offset.Value));
    }
}
