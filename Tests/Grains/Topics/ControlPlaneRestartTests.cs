using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Tests.Grains.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Grains.Topics;

public sealed class ControlPlaneRestartTests
{
    [Fact]
    public async Task TopicsAndRecords_SurviveARestartOfEverySilo()
    {
        var root = Path.Combine(Path.GetTempPath(), "tributary-tests", "restart-" + Guid.NewGuid().ToString("N"));
        TopicDescription created;
        var first = await BrokerCluster.StartAsync(2, root);
        try
        {
            created = (await first.Grains.GetGrain<ITopicGrain>("kept").CreateAsync(
                new CreateTopicRequest(4, 1, new Dictionary<string, string?> { ["segment.bytes"] = "1048576" }))).Topic!;
            for (var p = 0; p < 4; p++)
            {
                await PartitionGrainKey.Get(first.Grains, "kept", p).AppendAsync(Batches.Make(p + 1));
            }
        }
        finally
        {
            await first.StopAsync();
        }

        Assert.True(File.Exists(Path.Combine(root, "broker-1", ".clean_shutdown")));
        await using var second = await BrokerCluster.StartAsync(2, root);

        // A partition is leaderless (-1) until its broker has registered again after the restart, as in Kafka; a client
        // would refresh its metadata until then.
        var described = await second.Grains.GetGrain<ITopicGrain>("kept").DescribeAsync();
        for (var deadline = DateTime.UtcNow.AddSeconds(30); described!.PartitionBrokers.Contains(-1) && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(100);
            described = await second.Grains.GetGrain<ITopicGrain>("kept").DescribeAsync();
        }

        Assert.Equal(created.TopicId, described!.TopicId);
        Assert.Equal(created.PartitionBrokers, described.PartitionBrokers);
        Assert.Equal("1048576", described.Configs["segment.bytes"]);
        Assert.Contains("kept", await second.Grains.GetGrain<ITopicCatalogGrain>(0).ListAsync());
        for (var p = 0; p < 4; p++)
        {
            var read = await PartitionGrainKey.Get(second.Grains, "kept", p).ReadAsync(new ReadRequest(0, 1 << 20, TimeSpan.Zero));
            Assert.Equal(p + 1, Batches.Decode(read.Records).Count);
        }
    }
}
