using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Silo.Cluster;

public sealed partial class ClusterTests
{
    /// <summary>
    /// An ACL created through one broker holds on every broker within a second (each reads the cluster's ACLs again
    /// every quarter second when they changed), and a deleted one stops holding as fast: a partition led by each
    /// broker refuses, then accepts again, a principal's writes.
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
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig
        {
            BootstrapServers = Cluster.Silos[2].BootstrapServers, LingerMs = 0, MessageTimeoutMs = 10_000,
        }).Build();
        foreach (var partition in new[] { 0, 1, 2 })
        {
            Assert.Equal(Confluent.Kafka.ErrorCode.NoError, await ProduceAsync(producer, partition));
        }

        var deny = new AclBinding
        {
            Pattern = new ResourcePattern { Type = ResourceType.Topic, Name = "acl-spread", ResourcePatternType = ResourcePatternType.Literal },
            Entry = new AccessControlEntry { Principal = "User:ANONYMOUS", Host = "*", Operation = AclOperation.Write, PermissionType = AclPermissionType.Deny },
        };
        await admin.CreateAclsAsync([deny]);
        var created = Stopwatch.StartNew();
        var refusedAfter = await WaitOnEveryBrokerAsync(producer, Confluent.Kafka.ErrorCode.TopicAuthorizationFailed);

        await admin.DeleteAclsAsync([deny.ToFilter()]);
        var deleted = Stopwatch.StartNew();
        var acceptedAfter = await WaitOnEveryBrokerAsync(producer, Confluent.Kafka.ErrorCode.NoError);

        // One second by design; the bound leaves room for a loaded machine's scheduling, and the figures are reported.
        Assert.True(refusedAfter.Max() < TimeSpan.FromSeconds(2), $"refused after {string.Join(", ", refusedAfter)} of {created.Elapsed}");
        Assert.True(acceptedAfter.Max() < TimeSpan.FromSeconds(2), $"accepted after {string.Join(", ", acceptedAfter)} of {deleted.Elapsed}");

        async Task<TimeSpan[]> WaitOnEveryBrokerAsync(IProducer<Null, string> client, Confluent.Kafka.ErrorCode awaited)
        {
            var since = Stopwatch.StartNew();
            var after = new TimeSpan?[3];
            while (after.Any(a => a is null) && since.Elapsed < TimeSpan.FromSeconds(10))
            {
                foreach (var partition in new[] { 0, 1, 2 }.Where(p => after[p] is null))
                {
                    if (await ProduceAsync(client, partition) == awaited)
                    {
                        after[partition] = since.Elapsed;
                    }
                }
            }

            Assert.All(after, a => Assert.NotNull(a));
            return after.Select(a => a!.Value).ToArray();
        }
    }

    private static async Task<Confluent.Kafka.ErrorCode> ProduceAsync(IProducer<Null, string> producer, int partition)
    {
        try
        {
            await producer.ProduceAsync(new TopicPartition("acl-spread", partition), new Message<Null, string> { Value = "v" });
            return Confluent.Kafka.ErrorCode.NoError;
        }
        catch (ProduceException<Null, string> e)
        {
            return e.Error.Code;
        }
    }
}
