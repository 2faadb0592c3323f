using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Orleans;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Kafka.Limits;

/// <summary>A broker with its default limits but for the mutation quota, for deleting a large topic.</summary>
public sealed class DeletionBroker : LimitsBroker
{
    protected override IReadOnlyList<string> Limits => ["--Tributary:Kafka:ControllerMutationRate", "0"];
}

/// <summary>
/// A topic of 100,000 partitions (the most a topic may have by default), 400 of them with logs on disk, is
/// deleted in the background in bounded batches: DeleteTopics answers at once, and a producer on another topic is
/// served as usual until the deletion completes.
/// </summary>
public sealed class LargeTopicDeletionTests(DeletionBroker broker) : IClassFixture<DeletionBroker>
{
    private const int Partitions = 100_000;
    private const int WithLogsEvery = 250;

    [Fact]
    public async Task DeletingATopicOfAHundredThousandPartitions_CompletesInTheBackground_WhileAProducerElsewhereIsServed()
    {
        const string topic = "huge-doomed";
        await DeletedTopics.CreateWithLogsAsync(broker, topic, Partitions, WithLogsEvery);
        await using var steady = await WellBehavedProducer.StartAsync(broker.BootstrapServers, LimitsBroker.SteadyTopic);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();

        var started = Stopwatch.StartNew();
        await admin.DeleteTopicsAsync([topic], new DeleteTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(10) });
        var answeredIn = started.Elapsed;
        Assert.DoesNotContain(admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics, t => t.Topic == topic);
        await Wait.UntilAsync(
            async () => !(await broker.Grains.GetGrain<ITopicCatalogGrain>(0).ListDeletingAsync()).Contains(topic),
            TimeSpan.FromSeconds(60),
            "the deletion to complete");
        var completedIn = started.Elapsed;

        var (acknowledged, errors, p99, max) = await steady.StopAsync();
        Console.WriteLine(
            $"Deleted {Partitions} partitions ({Partitions / WithLogsEvery} with logs): answered in {answeredIn.TotalSeconds:F2} s, completed in " +
            $"{completedIn.TotalSeconds:F1} s; the other producer meanwhile: {acknowledged} acknowledged, p99 {p99:F0} ms, max {max:F0} ms");
        Assert.Empty(errors);
        Assert.True(acknowledged > 0, "the other producer had no record acknowledged");
        steady.AssertUnder(acknowledged, p99, max, LimitsBroker.ServedP99);
        Assert.True(answeredIn < TimeSpan.FromSeconds(5), $"DeleteTopics answered in {answeredIn.TotalSeconds:F1} s");
        Assert.Equal(0, DeletedTopics.LogDirectories(broker, topic));
    }
}
