using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Connect;

/// <summary>
/// A source connector's topic creation (KIP-158) through the REST API: the topic it writes is created with its
/// group's partitions and configs, read back with the AdminClient; invalid settings are refused before creation.
/// </summary>
public sealed class TopicCreationTests(ConnectBrokerFixture broker) : IClassFixture<ConnectBrokerFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tributary-topic-creation-").FullName;

    [Fact]
    public async Task TheSourcesTopic_IsCreatedWithItsGroupsPartitionsAndConfigs()
    {
        var input = Path.Combine(_directory, "in.txt");
        await File.WriteAllLinesAsync(input, ["a", "b"]);
        using var connect = new ConnectClient(broker.ConnectUrl);
        var created = await connect.PutAsync("/connectors/creating-source/config", new Dictionary<string, string>
        {
            ["connector.class"] = "FileStreamSource",
            ["file"] = input,
            ["topic"] = "created-compacted",
            ["topic.creation.groups"] = "compacted",
            ["topic.creation.default.replication.factor"] = "1",
            ["topic.creation.default.partitions"] = "2",
            ["topic.creation.compacted.include"] = "created-.*",
            ["topic.creation.compacted.partitions"] = "3",
            ["topic.creation.compacted.cleanup.policy"] = "compact",
        });
        Assert.Equal(201, created.Status);

        // DescribeTopics asks without creating: a metadata request from librdkafka's admin (a producer handle) would
        // auto-create the topic with the broker's defaults if it came before the task's first write.
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        TopicDescription? topic = null;
        await Wait.UntilAsync(async () =>
        {
            try
            {
                topic = (await admin.DescribeTopicsAsync(TopicCollection.OfTopicNames(["created-compacted"]))).TopicDescriptions.Single();
                return true;
            }
            catch (DescribeTopicsException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), "the source's topic exists");
        Assert.Equal(3, topic!.Partitions.Count);
        var configs = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = "created-compacted" }]);
        Assert.Equal("compact", configs.Single().Entries["cleanup.policy"].Value);

        Assert.Equal(204, (await connect.DeleteAsync("/connectors/creating-source")).Status);
    }

    [Fact]
    public async Task TopicCreationWithoutTheDefaultGroupsSettings_IsRefused()
    {
        using var connect = new ConnectClient(broker.ConnectUrl);
        var refused = await connect.PutAsync("/connectors/half-creating-source/config", new Dictionary<string, string>
        {
            ["connector.class"] = "FileStreamSource",
            ["file"] = Path.Combine(_directory, "none.txt"),
            ["topic"] = "never",
            ["topic.creation.default.partitions"] = "2",
        });

        Assert.Equal(400, refused.Status);
        Assert.Contains("topic.creation.default.replication.factor", refused.Body!["message"]!.GetValue<string>());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
