using Tributary.Grains.Interfaces.Partitions;
using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// DescribeLogDirs (35): this broker's one log directory, with the size and lag of each replica it holds, led or followed.
/// It needs DESCRIBE on the cluster: without it no directory is described (CLUSTER_AUTHORIZATION_FAILED from v3).
/// </summary>
public sealed class DescribeLogDirsHandler(
    IGrainFactory grains,
    TopicCache topics,
    BrokerIdentity broker,
    BrokerSettings settings,
    BrokerAuthorizer authorizer) : KafkaApiHandler<DescribeLogDirsRequest, DescribeLogDirsResponse>
{
    public override ApiKey ApiKey => ApiKey.DescribeLogDirs;

    public override short MinVersion => 0;

    public override short MaxVersion => 4;

    protected override async Task<DescribeLogDirsResponse?> HandleAsync(DescribeLogDirsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        if (!authorizer.Authorize(request, AclOperation.Describe, AclResourceType.Cluster, AclBinding.ClusterName))
        {
            // Before v3 there is no error code: the answer is only empty, as Kafka's.
            return new DescribeLogDirsResponse { ErrorCode = (short)ErrorCode.ClusterAuthorizationFailed };
        }

        var wanted = body.Topics?.Select(t => (t.Topic, (IReadOnlyList<int>?)t.Partitions)).ToList()
            ?? (await grains.GetGrain<ITopicCatalogGrain>(0).ListAsync()).Select(t => (t, (IReadOnlyList<int>?)null)).ToList();
        var result = new DescribeLogDirsResponse.DescribeLogDirsResult { LogDir = settings.LogDirectory };
        foreach (var (name, partitions) in wanted)
        {
            if (await topics.DescribeAsync(name) is not { } topic)
            {
                continue;
            }

            // Every replica this broker holds, leading or following, from the logs themselves: no partition grain is
            // activated to be described.
            var local = (partitions ?? Enumerable.Range(0, topic.PartitionCount).ToList())
                .Where(p => p >= 0 && p < topic.PartitionCount && topic.Partitions[p].Replicas.Contains(broker.BrokerId))
                .ToList();
            if (local.Count > 0)
            {
                var logs = await grains.GetGrain<IBrokerLogsGrain>(broker.BrokerId).DescribeLogsAsync(name, local);
                result.Topics.Add(new DescribeLogDirsResponse.DescribeLogDirsTopic
                {
                    Name = name,
                    Partitions = logs.Select(l => new DescribeLogDirsResponse.DescribeLogDirsPartition
                    {
                        PartitionIndex = l.Partition,
                        PartitionSize = l.Size,
                        OffsetLag = l.OffsetLag,
                    }).ToList(),
                });
            }
        }

        var drive = new DriveInfo(Path.GetPathRoot(Path.GetFullPath(settings.LogDirectory))!);
        result.TotalBytes = drive.TotalSize;
        result.UsableBytes = drive.AvailableFreeSpace;
        return new DescribeLogDirsResponse { Results = [result] };
    }
}
