using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Tributary.Grains.Actors.Groups;
using Tributary.Grains.Actors.Persistence;
using Tributary.Grains.Actors.Topics;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// A data directory from a broker that kept control-plane state as one file per grain: the broker that keeps it in a
/// state log still finds the topic and the group's committed offsets, and moves the files into its log.
/// </summary>
public sealed class LegacyStateUpgradeTests : IAsyncLifetime
{
    private readonly BrokerFixture _broker = new();

    public Task InitializeAsync() => _broker.InitializeAsync();

    public Task DisposeAsync() => _broker.DisposeAsync();

    [Fact]
    public async Task TopicsAndCommittedOffsets_StoredAsFiles_AreServed_AndMovedIntoTheLog()
    {
        await _broker.StopAsync();
        var serializer = new OrleansGrainStorageSerializer(new ServiceCollection()
            .AddSerializer(s => s.AddAssembly(typeof(TopicState).Assembly))
            .BuildServiceProvider()
            .GetRequiredService<Serializer>());
        var root = Path.Combine(_broker.DataDirectory, ".grain-state");
        WriteLegacy(root, "topic", GrainId.Create("topic", "legacy-topic"), serializer.Serialize(new TopicState
        {
            TopicId = Guid.NewGuid(),
            PartitionCount = 3,
            PartitionBrokers = [1, 1, 1],
        }).ToArray());
        WriteLegacy(root, "offsets", GrainId.Create("consumergroup", "legacy-group"), serializer.Serialize(new GroupOffsetsState
        {
            Offsets = [new StoredOffset("legacy-topic", 0, 7, -1, "kept", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())],
        }).ToArray());

        await _broker.StartAsync();

        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _broker.BootstrapServers }).Build())
        {
            var topic = admin.GetMetadata("legacy-topic", TimeSpan.FromSeconds(10)).Topics.Single();
            Assert.Equal((ErrorCode.NoError, 3), (topic.Error.Code, topic.Partitions.Count));
        }

        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = _broker.BootstrapServers, GroupId = "legacy-group" }).Build();
        var committed = consumer.Committed([new Confluent.Kafka.TopicPartition("legacy-topic", 0)], TimeSpan.FromSeconds(10)).Single();
        Assert.Equal(7, committed.Offset.Value);
        Assert.Empty(Directory.GetFiles(root, "*.state", SearchOption.AllDirectories));

        // And the log now holds them: a restart finds them without the files.
        await _broker.StopAsync();
        await _broker.StartAsync();
        using var again = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = _broker.BootstrapServers, GroupId = "legacy-group" }).Build();
        Assert.Equal(7, again.Committed([new Confluent.Kafka.TopicPartition("legacy-topic", 0)], TimeSpan.FromSeconds(10)).Single().Offset.Value);
    }

    private static void WriteLegacy(string root, string stateName, GrainId grain, byte[] payload)
    {
        var path = GrainStateFile.PathOf(root, stateName, grain);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        GrainStateFile.Write(path, 1, payload, cleared: false);
    }
}
