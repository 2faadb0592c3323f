using System.Diagnostics;
using Confluent.Kafka.Admin;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Silo.Cluster;

public sealed partial class ClusterTests
{
    /// <summary>
    /// An ACL created through one broker holds on every broker within a second (each reads the cluster's ACLs again
    /// every quarter second when they changed), and a deleted one stops holding as fast: a partition led by each
    /// broker, written to on that broker's own connection, refuses and then accepts again the principal's writes.
    /// </summary>
    [Fact]
    public async Task AnAclCreatedThroughOneBroker_HoldsOnEveryBrokerWithinASecond_AndItsDeletionToo()
    {
        using var admin = ClusterClients.Admin(Cluster.Silos[1].BootstrapServers);
        await admin.CreateTopicsAsync([new TopicSpecification
        {
            Name = "acl-spread", NumPartitions = 3, ReplicationFactor = -1, ReplicasAssignments = new() { [0] = [1], [1] = [2], [2] = [3] },
        }]);
        Assert.Equal([1, 2, 3], (await ClusterClients.WaitForPartitionsAsync(Cluster.Silos[3].BootstrapServers, "acl-spread", 3)).OrderBy(p => p.Key).Select(p => p.Value));
        var brokers = new[] { 1, 2, 3 }.Select(id => new RawKafkaClient(Cluster.KafkaPort(id))).ToArray();
        try
        {
            Assert.All(new[] { 0, 1, 2 }, partition => Assert.Equal(ErrorCode.None, Produce(brokers, partition)));

            var deny = new AclBinding
            {
                Pattern = new ResourcePattern { Type = ResourceType.Topic, Name = "acl-spread", ResourcePatternType = ResourcePatternType.Literal },
                Entry = new AccessControlEntry { Principal = "User:ANONYMOUS", Host = "*", Operation = AclOperation.Write, PermissionType = AclPermissionType.Deny },
            };
            await admin.CreateAclsAsync([deny]);
            var refusedAfter = await WaitOnEveryBrokerAsync(brokers, ErrorCode.TopicAuthorizationFailed);
            await admin.DeleteAclsAsync([deny.ToFilter()]);
            var acceptedAfter = await WaitOnEveryBrokerAsync(brokers, ErrorCode.None);

            output.WriteLine($"refused on brokers 1-3 after {string.Join(", ", refusedAfter.Select(t => $"{t.TotalMilliseconds:F0} ms"))}; " +
                $"accepted again after {string.Join(", ", acceptedAfter.Select(t => $"{t.TotalMilliseconds:F0} ms"))}");

            // One second by design; the bound leaves room for a loaded machine's scheduling, and the figures are reported.
            Assert.True(refusedAfter.Max() < TimeSpan.FromSeconds(2), $"refused after {string.Join(", ", refusedAfter)}");
            Assert.True(acceptedAfter.Max() < TimeSpan.FromSeconds(2), $"accepted after {string.Join(", ", acceptedAfter)}");
        }
        finally
        {
            Array.ForEach(brokers, b => b.Dispose());
        }
    }

    /// <summary>How long after now each broker first answers its partition's produce with <paramref name="awaited"/>.</summary>
    private static async Task<TimeSpan[]> WaitOnEveryBrokerAsync(RawKafkaClient[] brokers, ErrorCode awaited)
    {
        var since = Stopwatch.StartNew();
        var after = new TimeSpan?[3];
        while (after.Any(a => a is null) && since.Elapsed < TimeSpan.FromSeconds(10))
        {
            foreach (var partition in new[] { 0, 1, 2 }.Where(p => after[p] is null))
            {
                if (Produce(brokers, partition) == awaited)
                {
                    after[partition] = since.Elapsed;
                }
            }

            await Task.Delay(5);
        }

        Assert.All(after, a => Assert.NotNull(a));
        return after.Select(a => a!.Value).ToArray();
    }

    /// <summary>A record to partition p on the connection of its leader, broker p + 1; the partition's error.</summary>
    private static ErrorCode Produce(RawKafkaClient[] brokers, int partition)
    {
        var response = brokers[partition].Call<ProduceResponse>(ApiKey.Produce, 9, new ProduceRequest
        {
            Acks = 1,
            TimeoutMs = 10_000,
            TopicData = [new() { Name = "acl-spread", PartitionData = [new() { Index = partition, Records = Batches.Make(1) }] }],
        });
        return (ErrorCode)response.Responses.Single().PartitionResponses.Single().ErrorCode;
    }
}
