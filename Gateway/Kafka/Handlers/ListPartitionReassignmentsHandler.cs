using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// ListPartitionReassignments (46, KIP-455): the partitions whose reassignment is in progress, with their replicas and
/// the ones being added and removed, from each topic's registrations; every topic when none is named. Topics and
/// partitions that do not exist, or are not being reassigned, are left out, as Kafka's controller leaves them. It needs
/// DESCRIBE on the cluster (CLUSTER_AUTHORIZATION_FAILED).
/// </summary>
public sealed class ListPartitionReassignmentsHandler(IGrainFactory grains, BrokerAuthorizer authorizer)
    : KafkaApiHandler<ListPartitionReassignmentsRequest, ListPartitionReassignmentsResponse>
{
    public override ApiKey ApiKey => ApiKey.ListPartitionReassignments;

    public override short MinVersion => 0;

    public override short MaxVersion => 0;

    protected override async Task<ListPartitionReassignmentsResponse?> HandleAsync(
        ListPartitionReassignmentsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        if (!authorizer.Authorize(request, AclOperation.Describe, AclResourceType.Cluster, AclBinding.ClusterName))
        {
            // Kafka's error response: the partitions named, as asked, with nothing about them.
            return new ListPartitionReassignmentsResponse
            {
                ErrorCode = (short)ErrorCode.ClusterAuthorizationFailed,
                ErrorMessage = "Cluster authorization failed.",
                Topics = [.. (body.Topics ?? []).Select(t => new ListPartitionReassignmentsResponse.OngoingTopicReassignment
                {
                    Name = t.Name,
                    Partitions = [.. t.PartitionIndexes.Select(p => new ListPartitionReassignmentsResponse.OngoingPartitionReassignment { PartitionIndex = p })],
                })],
            };
        }

        var requested = body.Topics is { } named
            ? named.GroupBy(t => t.Name, StringComparer.Ordinal)
                .Select(g => (Topic: g.Key, Partitions: (ISet<int>?)g.SelectMany(t => t.PartitionIndexes).ToHashSet()))
                .ToList()
            : (await grains.GetGrain<ITopicCatalogGrain>(0).ListAsync()).Select(t => (Topic: t, Partitions: (ISet<int>?)null)).ToList();
        var ongoing = await Task.WhenAll(requested.Where(t => TopicNames.Validate(t.Topic) is null).Select(async t =>
        {
            var description = await grains.GetGrain<ITopicGrain>(t.Topic).DescribeAsync();
            return new ListPartitionReassignmentsResponse.OngoingTopicReassignment
            {
                Name = t.Topic,
                Partitions = [.. (description?.Partitions ?? [])
                    .Select((registration, index) => (Registration: registration, Index: index))
                    .Where(p => p.Registration.IsReassigning && (t.Partitions?.Contains(p.Index) ?? true))
                    .Select(p => new ListPartitionReassignmentsResponse.OngoingPartitionReassignment
                    {
                        PartitionIndex = p.Index,
                        Replicas = [.. p.Registration.Replicas],
                        AddingReplicas = [.. p.Registration.AddingReplicas],
                        RemovingReplicas = [.. p.Registration.RemovingReplicas],
                    })],
            };
        }));
        return new ListPartitionReassignmentsResponse { ErrorMessage = null, Topics = [.. ongoing.Where(t => t.Partitions.Count > 0)] };
    }
}
