using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Tributary.Grains.Actors.Replication;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Storage;
using Tributary.Tests.Grains.Support;
using Xunit.Abstractions;

namespace Tributary.Tests.Grains.Partitions;

/// <summary>
/// Orleans fails an activation that outlasts its activation timeout without waiting for the grain's
/// <c>OnActivateAsync</c>, which runs on. A broker restarting while others do meets it: the partition grain asks the
/// topic grain, whose silo is stopping, and its calls are retried for seconds. The partition grain that was given up
/// on must not keep the log open and the partition led by it, or every later activation of the partition on that
/// broker fails with the log "already open".
/// </summary>
public sealed class AbandonedActivationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task APartitionActivationTheSiloGaveUpOn_LeavesTheLogToTheNextActivation()
    {
        await using var brokers = await BrokerCluster.StartAsync(
            1,
            configureSilo: silo => silo.Services
                .AddSingleton<SlowTopicDescriptions>()
                .AddSingleton<IIncomingGrainCallFilter>(sp => sp.GetRequiredService<SlowTopicDescriptions>()));
        var silo = brokers.Cluster.GetSiloServiceProvider(brokers.Cluster.Silos[0].SiloAddress);
        var created = await brokers.Grains.GetGrain<ITopicGrain>("abandoned")
            .CreateAsync(new CreateTopicRequest(1, 1, new Dictionary<string, string?>()));
        Assert.Equal(ErrorCode.None, created.Error);

        var partition = PartitionGrainKey.Get(brokers.Grains, "abandoned", 0);
        var management = brokers.Grains.GetGrain<IManagementGrain>(0);
        Assert.DoesNotContain(await management.GetDetailedGrainStatistics(), s => s.GrainId == partition.GetGrainId());

        // The topic grain answers the partition's first activation 3 s late, after the silo's activation timeout of
        // 1 s: the silo fails the call that woke the partition, while its activation runs on.
        var collection = silo.GetRequiredService<IOptions<GrainCollectionOptions>>().Value;
        var timeout = collection.ActivationTimeout;
        var slow = silo.GetRequiredService<SlowTopicDescriptions>();
        collection.ActivationTimeout = TimeSpan.FromSeconds(1);
        slow.Delays.Enqueue(TimeSpan.FromSeconds(3));
        var abandoned = await Record.ExceptionAsync(() => partition.GetOffsetsAsync());
        output.WriteLine($"call during the short timeout: {abandoned?.GetType().Name} {abandoned?.Message}");
        Assert.NotNull(abandoned);

        // The client asks again at once. Its activation gets its answer at 4.5 s; the one given up on gets its first
        // at 3 s and would then hold the log open until its second answer at 8 s: the retry must find the log free.
        collection.ActivationTimeout = timeout;
        slow.Delays.Enqueue(TimeSpan.FromSeconds(3.5));
        slow.Delays.Enqueue(TimeSpan.FromSeconds(5));
        var retried = await Record.ExceptionAsync(() => partition.GetOffsetsAsync());
        output.WriteLine($"the retry: {(retried is null ? "answered" : retried.GetType().Name + " " + retried.Message)}");
        Assert.Null(retried);

        // Once the given-up activation ended, the partition is still led here from the same open log.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.NotNull(await partition.GetOffsetsAsync());
        Assert.True(silo.GetRequiredService<LogManager>().IsOpen("abandoned", 0));
        Assert.NotNull(silo.GetRequiredService<LocalLeaders>().Find(new ReplicaKey("abandoned", 0)));
    }

    /// <summary>Holds the topic grain's answers to partition grains' questions back, each by the next of <see cref="Delays"/>.</summary>
    private sealed class SlowTopicDescriptions : IIncomingGrainCallFilter
    {
        public ConcurrentQueue<TimeSpan> Delays { get; } = new();

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.InterfaceMethod?.Name == nameof(ITopicGrain.DescribePartitionAsync)
                && context.SourceId?.Type.ToString() == "partition"
                && Delays.TryDequeue(out var delay))
            {
                await Task.Delay(delay);
            }

            await context.Invoke();
        }
    }
}
