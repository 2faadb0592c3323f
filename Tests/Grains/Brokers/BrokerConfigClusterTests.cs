using Microsoft.Extensions.DependencyInjection;
using Tributary.Grains.Actors.Brokers;
using Tributary.Grains.Interfaces.Brokers;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Tests.Grains.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Grains.Brokers;

/// <summary>
/// Dynamic broker configs in a two-broker cluster: a change made through one silo is in force on the other when the
/// call returns, in that silo's partition logs and topic creation included, without a grain call per read.
/// </summary>
public sealed class BrokerConfigClusterTests(TwoBrokerClusterFixture fixture) : IClassFixture<TwoBrokerClusterFixture>
{
    private IGrainFactory Grains => fixture.Brokers.Grains;

    /// <summary>The broker configs as the silo of <paramref name="brokerId"/> holds them.</summary>
    private LocalBrokerConfigs Silo(int brokerId) =>
        fixture.Brokers.Cluster.GetSiloServiceProvider(fixture.Brokers.Cluster.Silos[brokerId - 1].SiloAddress).GetRequiredService<LocalBrokerConfigs>();

    private static ConfigChange Set(string name, string value) => new(name, ConfigOperation.Set, value);

    private static ConfigChange Delete(string name) => new(name, ConfigOperation.Delete, null);

    private async Task<(IPartitionGrain OnBroker1, IPartitionGrain OnBroker2)> PartitionsOfEachBrokerAsync(string topic)
    {
        var created = await Grains.GetGrain<ITopicGrain>(topic).CreateAsync(new CreateTopicRequest(2, 1, new Dictionary<string, string?>()));
        Assert.Equal(ErrorCode.None, created.Error);
        var brokers = created.Topic!.PartitionBrokers.ToList();
        return (PartitionGrainKey.Get(Grains, topic, brokers.IndexOf(1)), PartitionGrainKey.Get(Grains, topic, brokers.IndexOf(2)));
    }

    [Fact]
    public async Task AClusterDefaultChangedThroughOneSilo_IsInForceOnTheOther_InItsLogsAndTopicCreation()
    {
        var (_, onBroker2) = await PartitionsOfEachBrokerAsync("cluster-limits");
        Assert.Equal(ErrorCode.None, (await onBroker2.AppendAsync(Batches.Make(1, valueSize: 2000))).Error);

        var changed = await Silo(1).IncrementalAlterConfigsAsync("", [Set("message.max.bytes", "1000"), Set("num.partitions", "4")], validateOnly: false);
        try
        {
            Assert.Equal(TopicAdminResult.Ok, changed);
            Assert.Equal(("1000", "4"), (Silo(2).View.Value("message.max.bytes"), Silo(2).View.Value("num.partitions")));
            Assert.Equal(ErrorCode.MessageTooLarge, (await onBroker2.AppendAsync(Batches.Make(1, valueSize: 2000))).Error);

            var described = await Grains.GetGrain<ITopicGrain>("cluster-limits").DescribeConfigsAsync(["max.message.bytes"], true, false);
            var entry = Assert.Single(described.Entries);
            Assert.Equal(("1000", ConfigSource.DynamicDefaultBrokerConfig), (entry.Value, entry.Source));

            var created = await Grains.GetGrain<ITopicGrain>("four-by-default").CreateAsync(new CreateTopicRequest(-1, -1, new Dictionary<string, string?>()));
            Assert.Equal(4, created.Topic!.PartitionCount);
        }
        finally
        {
            await Silo(1).IncrementalAlterConfigsAsync("", [Delete("message.max.bytes"), Delete("num.partitions")], validateOnly: false);
        }

        Assert.Equal(ErrorCode.None, (await onBroker2.AppendAsync(Batches.Make(1, valueSize: 2000))).Error);
    }

    [Fact]
    public async Task APerBrokerConfig_IsInForceOnThatBrokerAlone_AndStoredForTheCluster()
    {
        var (onBroker1, onBroker2) = await PartitionsOfEachBrokerAsync("broker-limits");

        Assert.Equal(TopicAdminResult.Ok, await Silo(2).IncrementalAlterConfigsAsync("2", [Set("message.max.bytes", "1000")], validateOnly: false));
        try
        {
            Assert.Equal(ErrorCode.MessageTooLarge, (await onBroker2.AppendAsync(Batches.Make(1, valueSize: 2000))).Error);
            Assert.Equal(ErrorCode.None, (await onBroker1.AppendAsync(Batches.Make(1, valueSize: 2000))).Error);
            Assert.Equal("1048588", Silo(1).View.Value("message.max.bytes"));
            var stored = await Grains.GetGrain<IBrokerConfigGrain>(0).GetAsync();
            Assert.Equal("1000", stored.Broker(2)["message.max.bytes"]);
            Assert.Empty(stored.Broker(1));
        }
        finally
        {
            await Silo(2).IncrementalAlterConfigsAsync("2", [Delete("message.max.bytes")], validateOnly: false);
        }
    }

    [Fact]
    public async Task AnOlderVersionArrivingLate_DoesNotUndoANewerOne()
    {
        var grain = Grains.GetGrain<IBrokerConfigGrain>(0);
        var before = await grain.GetAsync();

        var changed = await grain.IncrementalAlterConfigsAsync(null, [Set("log.cleaner.threads", "3")], validateOnly: false);
        try
        {
            Assert.True(changed.Snapshot.Version > before.Version);
            Silo(2).Apply(before);
            Assert.Equal("3", Silo(2).View.Value("log.cleaner.threads"));
        }
        finally
        {
            await grain.IncrementalAlterConfigsAsync(null, [Delete("log.cleaner.threads")], validateOnly: false);
        }
    }
}
