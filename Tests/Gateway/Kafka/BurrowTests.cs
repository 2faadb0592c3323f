using System.Text.Json.Nodes;
using Confluent.Kafka;
using Tributary.Tests.Gateway.Support;
using Xunit.Abstractions;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// Burrow, which knows groups only from <c>__consumer_offsets</c> (it never sends OffsetFetch), reports a group's lag
/// from the records the broker writes there and the partitions' end offsets.
/// </summary>
public sealed class BurrowTests(BrokerFixture broker, ITestOutputHelper output) : IClassFixture<BrokerFixture>
{
    private const string Group = "burrow-watched";
    private const string Topic = "burrow-orders";

    [Fact]
    public async Task Burrow_ReportsAGroupsLag_FromConsumerOffsets()
    {
        await broker.FillAsync(Topic, 10, 10);
        await using var zooKeeper = await ZooKeeperServer.StartAsync();
        await using var burrow = await BurrowProcess.StartAsync($"127.0.0.1:{broker.KafkaPort}", zooKeeper.Address);
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = Group,
            EnableAutoCommit = false,
        }).Build();

        // Committed again each round, as an auto-committing consumer does: Burrow drops a commit that arrives before it
        // has read the partition's end offset from the broker.
        var lag = await LagAsync(burrow, () => consumer.Commit([new TopicPartitionOffset(Topic, 0, 4), new TopicPartitionOffset(Topic, 1, 10)]), 6);
        var partitions = lag["status"]!["partitions"]!.AsArray();
        Assert.Equal([(0, 4L, 6L), (1, 10L, 0L)], partitions
            .Select(p => ((int)p!["partition"]!, (long)p["end"]!["offset"]!, (long)p["current_lag"]!))
            .OrderBy(p => p.Item1));

        await broker.FillMoreAsync(Topic, 3, 2);
        await LagAsync(burrow, () => consumer.Commit([new TopicPartitionOffset(Topic, 0, 4), new TopicPartitionOffset(Topic, 1, 10)]), 11);
    }

    private async Task<JsonNode> LagAsync(BurrowProcess burrow, Action commit, long expectedTotalLag)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        JsonNode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            commit();
            last = await burrow.LagAsync(Group);
            if (last?["status"]?["totallag"] is { } total && (long)total == expectedTotalLag)
            {
                output.WriteLine(last.ToJsonString());
                return last;
            }

            await Task.Delay(1000);
        }

        throw new TimeoutException($"Burrow did not report a total lag of {expectedTotalLag} within 90 s. Last answer: {last?.ToJsonString() ?? "none"}\n{burrow.Log}");
    }
}
