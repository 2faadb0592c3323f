using Orleans.Runtime;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Tests.Grains.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Grains.Topics;

public sealed class TopicGrainTests(TwoBrokerClusterFixture fixture) : IClassFixture<TwoBrokerClusterFixture>
{
    private static readonly Dictionary<string, string?> NoConfigs = [];

    private ITopicGrain Topic(string name) => fixture.Brokers.Grains.GetGrain<ITopicGrain>(name);

    [Fact]
    public async Task Create_StoresTheTopic_WithAnIdAndConfigs_AndListsIt()
    {
        var created = await Topic("orders").CreateAsync(new CreateTopicRequest(3, 1, new Dictionary<string, string?> { ["retention.ms"] = "1000" }));

        Assert.Equal(ErrorCode.None, created.Error);
        var described = await Topic("orders").DescribeAsync();
        Assert.NotNull(described);
        Assert.NotEqual(Guid.Empty, described.TopicId);
        Assert.Equal(created.Topic!.TopicId, described.TopicId);
        Assert.Equal(3, described.PartitionCount);
        Assert.Equal("1000", described.Configs["retention.ms"]);
        Assert.Contains("orders", await fixture.Brokers.Grains.GetGrain<ITopicCatalogGrain>(0).ListAsync());
    }

    [Fact]
    public async Task Create_SpreadsPartitionsOverTheLiveBrokers()
    {
        var created = await Topic("spread").CreateAsync(new CreateTopicRequest(6, -1, NoConfigs));

        Assert.Equal(ErrorCode.None, created.Error);
        Assert.Equal(6, created.Topic!.PartitionBrokers.Count);
        Assert.Equal(3, created.Topic.PartitionBrokers.Count(b => b == 1));
        Assert.Equal(3, created.Topic.PartitionBrokers.Count(b => b == 2));
    }

    [Fact]
    public async Task Create_AnExistingTopic_IsTopicAlreadyExists()
    {
        await Topic("twice").CreateAsync(new CreateTopicRequest(1, 1, NoConfigs));

        var again = await Topic("twice").CreateAsync(new CreateTopicRequest(2, 1, NoConfigs));

        Assert.Equal(ErrorCode.TopicAlreadyExists, again.Error);
        Assert.Equal(1, (await Topic("twice").DescribeAsync())!.PartitionCount);
    }

    [Theory]
    [InlineData("bad name", 1, 1, null, null, ErrorCode.InvalidTopicException)]
    [InlineData("zero", 0, 1, null, null, ErrorCode.InvalidPartitions)]
    [InlineData("rf3", 1, 3, null, null, ErrorCode.InvalidReplicationFactor)]
    [InlineData("rf0", 1, 0, null, null, ErrorCode.InvalidReplicationFactor)]
    [InlineData("unknowncfg", 1, 1, "no.such.config", "1", ErrorCode.InvalidConfig)]
    [InlineData("badvalue", 1, 1, "retention.ms", "soon", ErrorCode.InvalidConfig)]
    [InlineData("badpolicy", 1, 1, "cleanup.policy", "forever", ErrorCode.InvalidConfig)]
    public async Task Create_RejectsWhatKafkaRejects(string name, int partitions, short replication, string? config, string? value, ErrorCode expected)
    {
        var configs = config is null ? NoConfigs : new Dictionary<string, string?> { [config] = value };

        var result = await Topic(name).CreateAsync(new CreateTopicRequest(partitions, replication, configs));

        Assert.Equal(expected, result.Error);
        Assert.False(string.IsNullOrEmpty(result.ErrorMessage));
        Assert.Null(await Topic(name).DescribeAsync());
    }

    [Fact]
    public async Task Create_ValidateOnly_ChecksWithoutCreating()
    {
        var result = await Topic("dryrun").CreateAsync(new CreateTopicRequest(4, 1, NoConfigs, ValidateOnly: true));

        Assert.Equal(ErrorCode.None, result.Error);
        Assert.Equal(4, result.Topic!.PartitionCount);
        Assert.Null(await Topic("dryrun").DescribeAsync());
    }

    [Fact]
    public async Task Create_WithMinusOnePartitions_TakesTheBrokerDefault()
    {
        var result = await Topic("defaults").CreateAsync(new CreateTopicRequest(-1, -1, NoConfigs));

        Assert.Equal(1, result.Topic!.PartitionCount);
    }

    [Fact]
    public async Task Create_WithAManualAssignment_PlacesEachPartitionOnTheBrokerNamed_WhereItsGrainActivates()
    {
        var created = await Topic("assigned").CreateAsync(new CreateTopicRequest(-1, -1, NoConfigs, Assignments:
        [
            new ReplicaAssignment(1, [1]),
            new ReplicaAssignment(0, [2]),
            new ReplicaAssignment(2, [2]),
        ]));

        Assert.Equal(ErrorCode.None, created.Error);
        Assert.Equal([2, 1, 2], (await Topic("assigned").DescribeAsync())!.PartitionBrokers);
        Assert.Equal(ErrorCode.None, (await PartitionGrainKey.Get(fixture.Brokers.Grains, "assigned", 0).AppendAsync(Batches.Make(1))).Error);
        Assert.True(Directory.Exists(Path.Combine(fixture.Brokers.DataDirectory(2), "assigned-0")));
        Assert.False(Directory.Exists(Path.Combine(fixture.Brokers.DataDirectory(1), "assigned-0")));
        var grainId = PartitionGrainKey.Get(fixture.Brokers.Grains, "assigned", 0).GetGrainId();
        var activation = Assert.Single(await fixture.Brokers.Grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics(), s => s.GrainId == grainId);
        Assert.Equal(fixture.Brokers.Cluster.Silos[1].SiloAddress, activation.SiloAddress);
    }

    [Fact]
    public async Task Create_WithTwoReplicasOnLiveBrokers_RegistersBothInSync_TheFirstLeading()
    {
        var created = await Topic("two-replicas").CreateAsync(new CreateTopicRequest(-1, -1, NoConfigs, Assignments: [new ReplicaAssignment(0, [2, 1])]));

        Assert.Equal(ErrorCode.None, created.Error);
        var partition = Assert.Single((await Topic("two-replicas").DescribeAsync())!.Partitions);
        Assert.Equal([2, 1], partition.Replicas);
        Assert.Equal([2, 1], partition.Isr);
        Assert.Equal(2, partition.Leader);
    }

    [Fact]
    public async Task Create_WithAReplicationFactorOfTwo_PutsEachPartitionOnBothBrokers_LeadersSpread_AndGrowsAlike()
    {
        var created = await Topic("replicated").CreateAsync(new CreateTopicRequest(4, 2, NoConfigs));
        var grown = await Topic("replicated").CreatePartitionsAsync(6, validateOnly: false);

        Assert.Equal((ErrorCode.None, ErrorCode.None, 2), (created.Error, grown.Error, created.Topic!.ReplicationFactor));
        var partitions = (await Topic("replicated").DescribeAsync())!.Partitions;
        Assert.Equal(6, partitions.Count);
        Assert.All(partitions, p => Assert.Equal([1, 2], p.Replicas.Order()));
        Assert.All(partitions, p => Assert.Equal(p.Replicas, p.Isr));
        Assert.All(partitions, p => Assert.Equal(p.Replicas[0], p.Leader));
        Assert.Equal(3, partitions.Count(p => p.Leader == 1));
    }

    [Fact]
    public async Task CreatePartitions_WithAManualAssignment_PlacesTheNewPartitionsOnTheBrokersNamed()
    {
        await Topic("grown-assigned").CreateAsync(new CreateTopicRequest(1, 1, NoConfigs));
        var before = (await Topic("grown-assigned").DescribeAsync())!.PartitionBrokers[0];

        var grown = await Topic("grown-assigned").CreatePartitionsAsync(4, [[2], [1], [2]], validateOnly: false);

        Assert.Equal(ErrorCode.None, grown.Error);
        Assert.Equal([before, 2, 1, 2], (await Topic("grown-assigned").DescribeAsync())!.PartitionBrokers);
    }

    [Fact]
    public async Task CreatePartitions_ValidatingAnAssignment_ChangesNothing()
    {
        await Topic("grown-dry").CreateAsync(new CreateTopicRequest(1, 1, NoConfigs));

        var checkedOnly = await Topic("grown-dry").CreatePartitionsAsync(2, [[2]], validateOnly: true);
        var refused = await Topic("grown-dry").CreatePartitionsAsync(2, [[3]], validateOnly: true);

        Assert.Equal(ErrorCode.None, checkedOnly.Error);
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, refused.Error);
        Assert.Equal(1, (await Topic("grown-dry").DescribeAsync())!.PartitionCount);
    }
}
