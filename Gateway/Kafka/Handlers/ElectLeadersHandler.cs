using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// ElectLeaders (43, KIP-183 and KIP-460): a PREFERRED election (the only kind before v1) or an UNCLEAN one in the named
/// partitions, each topic's controller (its topic grain) applying the election and telling the brokers. A null topic
/// list means every partition of every topic, and then, as Kafka answers, partitions whose election was not needed are
/// left out of the response. It needs ALTER on the cluster (CLUSTER_AUTHORIZATION_FAILED, at the top and for every
/// partition named, since v0 has no top-level error).
/// </summary>
public sealed class ElectLeadersHandler(IGrainFactory grains, TopicCache topics, BrokerAuthorizer authorizer) : KafkaApiHandler<ElectLeadersRequest, ElectLeadersResponse>
{
    public override ApiKey ApiKey => ApiKey.ElectLeaders;

    public override short MinVersion => 0;

    public override short MaxVersion => 2;

    protected override async Task<ElectLeadersResponse?> HandleAsync(ElectLeadersRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        if (!authorizer.Authorize(request, AclOperation.Alter, AclResourceType.Cluster, AclBinding.ClusterName))
        {
            return new ElectLeadersResponse
            {
                ErrorCode = (short)ErrorCode.ClusterAuthorizationFailed,
                ReplicaElectionResults = [.. (body.TopicPartitions ?? []).GroupBy(t => t.Topic, StringComparer.Ordinal).Select(g => new ElectLeadersResponse.ReplicaElectionResult
                {
                    Topic = g.Key,
                    PartitionResult = [.. g.SelectMany(t => t.Partitions).Distinct().Select(p => new ElectLeadersResponse.PartitionResult
                    {
                        PartitionId = p, ErrorCode = (short)ErrorCode.ClusterAuthorizationFailed, ErrorMessage = "Cluster authorization failed.",
                    })],
                })],
            };
        }

        // A topic named twice is one election over the union of its partitions.
        var requested = body.TopicPartitions is { } named
            ? named.GroupBy(t => t.Topic, StringComparer.Ordinal)
                .Select(g => (Topic: g.Key, Partitions: (IReadOnlyList<int>?)g.SelectMany(t => t.Partitions).Distinct().ToList()))
                .ToList()
            : (await grains.GetGrain<ITopicCatalogGrain>(0).ListAsync()).Select(t => (Topic: t, Partitions: (IReadOnlyList<int>?)null)).ToList();
        var electionType = (byte)body.ElectionType;
        var results = await Task.WhenAll(requested.Select(async t =>
        {
            var elected = TopicNames.Validate(t.Topic) is null
                ? await grains.GetGrain<ITopicGrain>(t.Topic).ElectLeadersAsync(electionType, t.Partitions)
                : Unknown(t.Partitions ?? []);
            topics.Invalidate(t.Topic);
            return new ElectLeadersResponse.ReplicaElectionResult
            {
                Topic = t.Topic,
                PartitionResult = elected
                    .Where(r => t.Partitions is not null || r.Error != ErrorCode.ElectionNotNeeded)
                    .Select(r => new ElectLeadersResponse.PartitionResult { PartitionId = r.Partition, ErrorCode = (short)r.Error, ErrorMessage = r.ErrorMessage })
                    .ToList(),
            };
        }));
        return new ElectLeadersResponse { ReplicaElectionResults = results.Where(r => r.PartitionResult.Count > 0 || body.TopicPartitions is not null).ToList() };
    }

    /// <summary>No topic has a name Kafka would refuse: its partitions are answered as any unknown topic's.</summary>
    private static IReadOnlyList<LeaderElectionResult> Unknown(IReadOnlyList<int> partitions) =>
        partitions.Select(p => new LeaderElectionResult(p, ErrorCode.UnknownTopicOrPartition, "This server does not host this topic-partition.")).ToList();
}
