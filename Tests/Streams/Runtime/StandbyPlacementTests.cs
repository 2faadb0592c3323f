using Confluent.Kafka;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Runtime;

namespace Tributary.Tests.Streams.Runtime;

/// <summary>Every instance must place standbys alike from the same group description, and never on the active instance.</summary>
public sealed class StandbyPlacementTests
{
    private const string A = "00000000-0000-0000-0000-00000000000a";
    private const string B = "00000000-0000-0000-0000-00000000000b";
    private const string C = "00000000-0000-0000-0000-00000000000c";

    [Fact]
    public void AStandby_GoesToTheNextInstancesInTheRingOfProcessIds_NeverToTheActiveOne()
    {
        Assert.Equal([B], StandbyPlacement.StandbysOf(A, [C, B, A], 1));
        Assert.Equal([A], StandbyPlacement.StandbysOf(C, [A, B, C], 1));
        Assert.Equal([C, A], StandbyPlacement.StandbysOf(B, [A, B, C], 2));

        // More replicas than other instances: each other instance once.
        Assert.Equal([B], StandbyPlacement.StandbysOf(A, [A, B], 3));
        Assert.Empty(StandbyPlacement.StandbysOf(A, [A], 1));
    }

    [Fact]
    public void TheActiveInstanceOfATask_IsReadFromTheStreamThreadsClientIdsAndPartitions()
    {
        var topics = new Dictionary<string, int> { ["app-counts-repartition"] = 1, ["lines"] = 0 };
        var active = StandbyPlacement.ActiveTasks("app",
        [
            ($"app-{A}-StreamThread-1-consumer", [new TopicPartition("lines", 0), new TopicPartition("app-counts-repartition", 0)]),
            ($"app-{B}-StreamThread-2-consumer@host:8080", [new TopicPartition("app-counts-repartition", 1)]),
            ("someone-else", [new TopicPartition("lines", 1)]),
        ], topics);

        Assert.Equal(
            [(new TaskId(0, 0), A), (new TaskId(1, 0), A), (new TaskId(1, 1), B)],
            active.OrderBy(t => t.Key).Select(t => (t.Key, t.Value)));
        Assert.Null(StandbyPlacement.ProcessIdOf("app", "app-not-a-guid-at-all-StreamThread-1-consumer"));
    }
}
