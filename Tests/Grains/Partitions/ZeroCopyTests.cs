using Microsoft.Extensions.DependencyInjection;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Tests.Grains.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Grains.Partitions;

/// <summary>
/// Within a silo, produced bytes reach the log without a deep copy: the partition rewrites the batch header in the
/// very buffer the caller passed (the buffer is handed over), and a read hands back the bytes it read.
/// </summary>
public sealed class ZeroCopyTests(TwoBrokerClusterFixture fixture) : IClassFixture<TwoBrokerClusterFixture>
{
    [Fact]
    public async Task AnAppendFromInsideTheOwningSilo_AssignsOffsetsInTheCallersOwnBuffer()
    {
        var topic = (await fixture.Brokers.Grains.GetGrain<ITopicGrain>("zerocopy")
            .CreateAsync(new CreateTopicRequest(1, 1, new Dictionary<string, string?>()))).Topic!;
        var owner = fixture.Brokers.Cluster.Silos[topic.PartitionBrokers[0] - 1];
        var localGrains = fixture.Brokers.Cluster.GetSiloServiceProvider(owner.SiloAddress).GetRequiredService<IGrainFactory>();
        var partition = PartitionGrainKey.Get(localGrains, "zerocopy", 0);
        await partition.AppendAsync(Batches.Make(5));

        var buffer = Batches.Make(3);
        Assert.Equal(0, RecordBatch.BaseOffset(buffer));
        var result = await partition.AppendAsync(buffer);

        Assert.Equal(5, result.BaseOffset);
        Assert.Equal(5, RecordBatch.BaseOffset(buffer));
    }
}
