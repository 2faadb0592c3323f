using Orleans.Runtime;
using Tributary.Grains.Interfaces;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.Interfaces.Transactions;
using Tributary.Tests.Grains.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Grains.Partitions;

public sealed class PartitionGrainTests(TwoBrokerClusterFixture fixture) : IClassFixture<TwoBrokerClusterFixture>
{
    private static readonly Dictionary<string, string?> NoConfigs = [];

    private IGrainFactory Grains => fixture.Brokers.Grains;

    private async Task<TopicDescription> CreateTopic(string name, int partitions, Dictionary<string, string?>? configs = null)
    {
        var result = await Grains.GetGrain<ITopicGrain>(name).CreateAsync(new CreateTopicRequest(partitions, 1, configs ?? NoConfigs));
        Assert.Equal(ErrorCode.None, result.Error);
        return result.Topic!;
    }

    [Fact]
    public async Task EachPartition_ActivatesOnItsOwnBroker_AndWritesOnlyToThatBrokersDirectory()
    {
        var topic = await CreateTopic("placed", 6);

        for (var p = 0; p < 6; p++)
        {
            var result = await PartitionGrainKey.Get(Grains, "placed", p).AppendAsync(Batches.Make(2));
            Assert.Equal(ErrorCode.None, result.Error);
        }

        var management = Grains.GetGrain<IManagementGrain>(0);
        var statistics = await management.GetDetailedGrainStatistics();
        for (var p = 0; p < 6; p++)
        {
            var owner = topic.PartitionBrokers[p];
            var other = owner == 1 ? 2 : 1;
            Assert.True(Directory.Exists(Path.Combine(fixture.Brokers.DataDirectory(owner), $"placed-{p}")));
            Assert.False(Directory.Exists(Path.Combine(fixture.Brokers.DataDirectory(other), $"placed-{p}")));

            var grainId = PartitionGrainKey.Get(Grains, "placed", p).GetGrainId();
            var activation = Assert.Single(statistics, s => s.GrainId == grainId);
            var ownerSilo = fixture.Brokers.Cluster.Silos[owner - 1].SiloAddress;
            Assert.Equal(ownerSilo, activation.SiloAddress);
        }
    }

    [Fact]
    public async Task AppendedRecords_AreReadBack_AfterThePartitionDeactivates()
    {
        await CreateTopic("roundtrip", 1);
        var partition = PartitionGrainKey.Get(Grains, "roundtrip", 0);

        var first = await partition.AppendAsync(Batches.Make(3, first: 0));
        var second = await partition.AppendAsync(Batches.Make(4, first: 3));
        Assert.Equal((0L, 3L), (first.BaseOffset, second.BaseOffset));

        await fixture.Brokers.Cluster.DeactivateAsync(partition);

        var read = await partition.ReadAsync(new ReadRequest(0, 1 << 20, TimeSpan.Zero));
        Assert.Equal(ErrorCode.None, read.Error);
        Assert.Equal(7, read.HighWatermark);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => ((long)i, $"v{i}")), Batches.Decode(read.Records).Select(r => (r.Offset, r.Value!)));
        var third = await partition.AppendAsync(Batches.Make(1, first: 7));
        Assert.Equal(7, third.BaseOffset);
    }

    [Fact]
    public async Task ARead_WaitsForAnAppend_InsteadOfAnsweringEmpty()
    {
        await CreateTopic("longpoll", 1);
        var partition = PartitionGrainKey.Get(Grains, "longpoll", 0);
        await partition.GetOffsetsAsync();

        var read = partition.ReadAsync(new ReadRequest(0, 1 << 20, TimeSpan.FromSeconds(30)));
        await Task.Delay(100);
        Assert.False(read.IsCompleted);
        await partition.AppendAsync(Batches.Make(2));

        var result = await read.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, Batches.Decode(result.Records).Count);
    }

    [Fact]
    public async Task ARead_WithNothingToRead_AnswersEmptyAfterTheMaxWait()
    {
        await CreateTopic("quiet", 1);
        var partition = PartitionGrainKey.Get(Grains, "quiet", 0);

        var result = await partition.ReadAsync(new ReadRequest(0, 1 << 20, TimeSpan.FromMilliseconds(200)));

        Assert.Equal(ErrorCode.None, result.Error);
        Assert.True(result.Records.IsEmpty);
    }

    [Fact]
    public async Task ListOffsets_AnswersEarliestLatestAndByTime()
    {
        await CreateTopic("offsets", 1);
        var partition = PartitionGrainKey.Get(Grains, "offsets", 0);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await partition.AppendAsync(Batches.Make(5, timestamp: now));
        await partition.AppendAsync(Batches.Make(5, timestamp: now + 1000, first: 5));

        Assert.Equal(10, (await partition.ListOffsetAsync(ListOffsetTimestamps.Latest)).Offset);
        Assert.Equal(0, (await partition.ListOffsetAsync(ListOffsetTimestamps.Earliest)).Offset);
        Assert.Equal(7, (await partition.ListOffsetAsync(now + 1002)).Offset);
        Assert.Equal((9L, now + 1004), await partition.ListOffsetAsync(ListOffsetTimestamps.MaxTimestamp) is var max ? (max.Offset, max.Timestamp) : default);
        Assert.Equal(-1, (await partition.ListOffsetAsync(now + 5000)).Offset);

        var deleted = await partition.DeleteRecordsAsync(4);
        Assert.Equal(4, deleted.LowWatermark);
        Assert.Equal(4, (await partition.ListOffsetAsync(ListOffsetTimestamps.Earliest)).Offset);
    }

    [Fact]
    public async Task DurableTopics_AcknowledgeAppendsAfterFsync()
    {
        await CreateTopic("durable", 1, new Dictionary<string, string?> { ["flush.messages"] = "1" });
        var partition = PartitionGrainKey.Get(Grains, "durable", 0);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => partition.AppendAsync(Batches.Make(1, first: i))));

        Assert.All(results, r => Assert.Equal(ErrorCode.None, r.Error));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), results.Select(r => r.BaseOffset).Order());
        Assert.Equal(20, (await partition.GetOffsetsAsync()).HighWatermark);
    }

    [Fact]
    public async Task APartitionThatDoesNotExist_FailsWithUnknownPartition()
    {
        await CreateTopic("small", 2);

        await Assert.ThrowsAsync<UnknownPartitionException>(() => PartitionGrainKey.Get(Grains, "small", 2).GetOffsetsAsync());
        await Assert.ThrowsAsync<UnknownPartitionException>(() => PartitionGrainKey.Get(Grains, "nosuchtopic", 0).GetOffsetsAsync());
    }

    [Fact]
    public async Task AnInvalidBatch_GetsKafkasErrorCode_AndTheLogIsUnchanged()
    {
        await CreateTopic("invalid", 1);
        var partition = PartitionGrainKey.Get(Grains, "invalid", 0);
        var batch = Batches.Make(3);
        batch[^1] ^= 0xFF;

        var result = await partition.AppendAsync(batch);

        Assert.Equal(ErrorCode.CorruptMessage, result.Error);
        Assert.Equal(0, (await partition.GetOffsetsAsync()).LogEndOffset);
    }

    [Fact]
    public async Task GrainReferences_NameTheSameGrainsAsGetGrain_AndReachThem()
    {
        await CreateTopic("referenced", 3);
        var references = new GrainReferences(Grains);

        for (var p = 0; p < 3; p++)
        {
            var partition = references.Partition("referenced", p);
            Assert.Equal(PartitionGrainKey.Get(Grains, "referenced", p).GetGrainId(), partition.GetGrainId());
            Assert.Equal(ErrorCode.None, (await partition.AppendAsync(Batches.Make(p + 1))).Error);
            Assert.Equal(p + 1, (await PartitionGrainKey.Get(Grains, "referenced", p).GetOffsetsAsync()).LogEndOffset);
        }

        foreach (var id in new[] { "first-id", "second-id" })
        {
            var coordinator = references.TransactionCoordinator(id);
            Assert.Equal(Grains.GetGrain<ITransactionCoordinatorGrain>(id).GetGrainId(), coordinator.GetGrainId());
            var first = await coordinator.InitProducerIdAsync(60_000, -1, -1);
            var second = await Grains.GetGrain<ITransactionCoordinatorGrain>(id).InitProducerIdAsync(60_000, -1, -1);
            Assert.Equal((ErrorCode.None, (short)0), (first.Error, first.ProducerEpoch));
            Assert.Equal((first.ProducerId, (short)1), (second.ProducerId, second.ProducerEpoch));
        }
    }
}
