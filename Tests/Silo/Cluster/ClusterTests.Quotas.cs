using System.Diagnostics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Silo.Cluster;

public sealed partial class ClusterTests
{
    /// <summary>
    /// A client quota set through one broker holds on every broker within a second (each reads the cluster's quotas
    /// again every quarter second when they changed), and its removal too: a producer of that client id, on each other
    /// broker, is told to wait and then no longer.
    /// </summary>
    [Fact]
    public async Task AQuotaSetThroughOneBroker_HoldsOnEveryBrokerWithinASecond_AndItsRemovalToo()
    {
        const string ClientId = "cluster-quota";
        using var admin = new RawKafkaClient(Cluster.KafkaPort(1), "quota-admin");
        AlterClientQuotasResponse Alter(bool remove) => admin.Call<AlterClientQuotasResponse>(ApiKey.AlterClientQuotas, 1, new AlterClientQuotasRequest
        {
            Entries = [new() { Entity = [new() { EntityType = "client-id", EntityName = ClientId }], Ops = [new() { Key = "producer_byte_rate", Value = 1, Remove = remove }] }],
        });

        Assert.All(new[] { 2, 3 }, broker => Assert.Equal(0, ProduceThrottle(broker, ClientId)));
        Assert.Equal(0, Assert.Single(Alter(remove: false).Entries).ErrorCode);
        var throttledAfter = await WaitOnBrokersAsync(ClientId, throttled: true);
        Assert.Equal(0, Assert.Single(Alter(remove: true).Entries).ErrorCode);
        var freeAfter = await WaitOnBrokersAsync(ClientId, throttled: false);

        output.WriteLine($"quota held on brokers 2-3 after {string.Join(", ", throttledAfter.Select(t => $"{t.TotalMilliseconds:F0} ms"))}; " +
            $"lifted after {string.Join(", ", freeAfter.Select(t => $"{t.TotalMilliseconds:F0} ms"))}");
        Assert.True(throttledAfter.Max() < TimeSpan.FromSeconds(2), $"held after {string.Join(", ", throttledAfter)}");
        Assert.True(freeAfter.Max() < TimeSpan.FromSeconds(2), $"lifted after {string.Join(", ", freeAfter)}");
    }

    /// <summary>How long after now brokers 2 and 3 each first throttle (or no longer throttle) the client id's produce.</summary>
    private async Task<TimeSpan[]> WaitOnBrokersAsync(string clientId, bool throttled)
    {
        var since = Stopwatch.StartNew();
        var after = new TimeSpan?[2];
        while (after.Any(a => a is null) && since.Elapsed < TimeSpan.FromSeconds(10))
        {
            foreach (var i in new[] { 0, 1 }.Where(i => after[i] is null))
            {
                if (ProduceThrottle(i + 2, clientId) > 0 == throttled)
                {
                    after[i] = since.Elapsed;
                }
            }

            await Task.Delay(5);
        }

        Assert.All(after, a => Assert.NotNull(a));
        return after.Select(a => a!.Value).ToArray();
    }

    /// <summary>
    /// The throttle time a broker answers one small produce of the client id with, on a connection of its own (a
    /// throttled connection is muted for that long). The topic need not exist: a produce's bytes count all the same.
    /// </summary>
    private int ProduceThrottle(int broker, string clientId)
    {
        using var client = new RawKafkaClient(Cluster.KafkaPort(broker), clientId);
        return client.Call<ProduceResponse>(ApiKey.Produce, 9, new ProduceRequest
        {
            Acks = 1,
            TimeoutMs = 10_000,
            TopicData = [new() { Name = "quota-spread", PartitionData = [new() { Index = 0, Records = Batches.Make(1) }] }],
        }).ThrottleTimeMs;
    }
}
