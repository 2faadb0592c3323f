using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Runtime;
using Tributary.Grains.Actors.Replication;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats;
using Tributary.Tests.Grains.Support;
using Tributary.Tests.TestKit;
using Xunit.Abstractions;

namespace Tributary.Tests.Grains.Replication;

/// <summary>
/// A follower whose leader's grain is not active leaves its fetcher, and after <c>replica.fetch.backoff.ms</c> reads the
/// partition's registration and wakes the leader's grain. Whatever that wake-up call throws (a grain that failed to
/// activate throws its own exception, such as a log still held by an activation on its way out), the follower tries
/// again after the backoff: a retry that ended on it left the follower stopped, and the leader, with no follower
/// fetching, never shrank the ISR that would have woken it.
/// </summary>
public sealed class FollowerRetryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AFollowerWhoseWakeUpCallFailed_FetchesAgainAfterTheBackoff()
    {
        await using var brokers = await BrokerCluster.StartAsync(
            2,
            configure: o => o.Cluster.AutoBalance = false,
            configureSilo: silo => silo.Services
                .AddSingleton<RefusedRegistrationUpdates>()
                .AddSingleton<IIncomingGrainCallFilter>(sp => sp.GetRequiredService<RefusedRegistrationUpdates>()));
        var cluster = brokers.Cluster;
        T OnBroker<T>(int broker) where T : notnull => cluster.GetSiloServiceProvider(cluster.Silos[broker - 1].SiloAddress).GetRequiredService<T>();

        var created = await brokers.Grains.GetGrain<ITopicGrain>("woken")
            .CreateAsync(new CreateTopicRequest(-1, -1, new Dictionary<string, string?>(), Assignments: [new ReplicaAssignment(0, [1, 2])]));
        Assert.Equal(ErrorCode.None, created.Error);
        var partition = PartitionGrainKey.Get(brokers.Grains, "woken", 0);
        Assert.Equal(ErrorCode.None, (await partition.AppendAsync(Batches.Make(2))).Error);
        var follower = OnBroker<ReplicaManager>(2);
        await UntilAsync(() => follower.FollowerLog("woken", 0)?.LogEndOffset == 2, "broker 2 never copied the first records");

        // The leader's grain deactivates. Broker 2's next fetch finds no leader there; its retry wakes the grain, and
        // that call fails once, as a failed activation would.
        var refusals = OnBroker<RefusedRegistrationUpdates>(1);
        refusals.Remaining = 1;
        await partition.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await UntilAsync(() => refusals.Remaining == 0, "broker 2 never tried to wake the leader");

        // New records: broker 2 fetches them after its next backoff (1 s), long before replica.lag.time.max.ms (30 s),
        // when the leader would shrink the ISR and wake it through the controller.
        Assert.Equal(ErrorCode.None, (await partition.AppendAsync(Batches.Make(1, first: 2))).Error);
        await UntilAsync(() => follower.FollowerLog("woken", 0)?.LogEndOffset == 3, "broker 2 stopped following after the failed wake-up call");
    }

    private async Task UntilAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(20);
        }

        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} done: not \"{failure}\"");
    }

    /// <summary>Fails the next <see cref="Remaining"/> registration updates that partition grains receive.</summary>
    private sealed class RefusedRegistrationUpdates : IIncomingGrainCallFilter
    {
        private int _remaining;

        public int Remaining
        {
            get => Volatile.Read(ref _remaining);
            set => Volatile.Write(ref _remaining, value);
        }

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.InterfaceMethod?.Name == nameof(IPartitionGrain.UpdateRegistrationAsync))
            {
                for (var seen = Remaining; seen > 0; seen = Remaining)
                {
                    if (Interlocked.CompareExchange(ref _remaining, seen - 1, seen) == seen)
                    {
                        throw new InvalidOperationException("The log is already open.");
                    }
                }
            }

            return context.Invoke();
        }
    }
}
