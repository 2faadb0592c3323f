using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Orleans;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;
using KafkaError = Tributary.Grains.KafkaFormats.ErrorCode;

namespace Tributary.Tests.Gateway.Kafka.Limits;

/// <summary>
/// A broker that removes one partition at a time, so that a deletion of a few hundred logs lasts long enough to be
/// looked at, and whose clients are not held to a mutation quota.
/// </summary>
public sealed class SlowDeletionBroker : LimitsBroker
{
    protected override IReadOnlyList<string> Limits =>
    [
        "--Tributary:Limits:PartitionDeletionsInFlight", "1",
        "--Tributary:Kafka:ControllerMutationRate", "0",
    ];
}

/// <summary>
/// DeleteTopics marks a topic deleted at once and removes its partitions in the background: the name is unknown (and
/// not created again by Metadata's auto-creation) until the removal completes, then free again; a removal interrupted
/// by a restart resumes.
/// </summary>
public sealed class TopicDeletionTests(SlowDeletionBroker broker) : IClassFixture<SlowDeletionBroker>
{
    private const int Logs = 200;

    private IAdminClient Admin() => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();

    private MetadataResponse.MetadataResponseTopic MetadataWithAutoCreation(string topic)
    {
        using var client = new RawKafkaClient(broker.KafkaPort);
        return Assert.Single(client.Call<MetadataResponse>(ApiKey.Metadata, 12, new MetadataRequest
        {
            Topics = [new() { Name = topic }],
            AllowAutoTopicCreation = true,
        }).Topics);
    }

    [Fact]
    public async Task ADeletedTopic_IsUnknownToMetadata_EvenWithAutoCreation_UntilItsDeletionCompletes_ThenItsNameIsFree()
    {
        const string topic = "deleted-then-asked";
        await DeletedTopics.CreateWithLogsAsync(broker, topic, Logs, 1);
        using var admin = Admin();

        await admin.DeleteTopicsAsync([topic]);
        var rightAfter = MetadataWithAutoCreation(topic);
        var logsLeft = DeletedTopics.LogDirectories(broker, topic);

        Assert.Equal((short)KafkaError.UnknownTopicOrPartition, rightAfter.ErrorCode);
        Assert.True(logsLeft > 0, "every log was removed before Metadata was asked: the answer proves nothing");
        Assert.DoesNotContain(admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics, t => t.Topic == topic);
        await Wait.UntilAsync(() => MetadataWithAutoCreation(topic).ErrorCode == (short)KafkaError.None, TimeSpan.FromSeconds(60), "the name to be free again");
        Assert.Equal(0, DeletedTopics.LogDirectories(broker, topic));
        Assert.Single(MetadataWithAutoCreation(topic).Partitions);
    }

    [Fact]
    public async Task ADeletionInterruptedByARestart_ResumesAndCompletes()
    {
        const string topic = "doomed-across-restart";
        await DeletedTopics.CreateWithLogsAsync(broker, topic, Logs * 2, 1);

        // The broker stops right after the answer: the admin client is disposed later, as its disposal may take long
        // enough for the background removal to finish first.
        using var admin = Admin();
        await admin.DeleteTopicsAsync([topic]);
        await broker.StopAsync();
        var left = DeletedTopics.LogDirectories(broker, topic);
        await broker.StartAsync();

        Assert.True(left > 0, "every log was removed before the broker stopped: nothing was left to resume");
        await Wait.UntilAsync(() => DeletedTopics.LogDirectories(broker, topic) == 0, TimeSpan.FromSeconds(60), "the deletion to resume and remove every log");
        await Wait.UntilAsync(
            async () => !await broker.Grains.GetGrain<ITopicGrain>(topic).ResumeDeletionAsync(),
            TimeSpan.FromSeconds(60),
            "the deletion to complete");
        Assert.Empty(await broker.Grains.GetGrain<ITopicCatalogGrain>(0).ListDeletingAsync());
        await broker.CreateAsync(topic, 1);
    }
}

/// <summary>Topics with logs on disk, to delete.</summary>
internal static class DeletedTopics
{
    /// <summary>Creates the topic and writes a record to every <paramref name="step"/>-th partition, so that those have logs on disk.</summary>
    public static async Task CreateWithLogsAsync(BrokerFixture broker, string topic, int partitions, int step)
    {
        var created = await broker.Grains.GetGrain<ITopicGrain>(topic).CreateAsync(new CreateTopicRequest(partitions, 1, new Dictionary<string, string?>()));
        Assert.Equal(KafkaError.None, created.Error);
        using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 5 }).Build();
        for (var p = 0; p < partitions; p += step)
        {
            producer.Produce(new TopicPartition(topic, p), new Message<Null, byte[]> { Value = [1] });
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
    }

    public static int LogDirectories(BrokerFixture broker, string topic) =>
        Directory.Exists(broker.DataDirectory) ? Directory.EnumerateDirectories(broker.DataDirectory, topic + "-*").Count() : 0;
}
