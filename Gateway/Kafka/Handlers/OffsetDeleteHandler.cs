using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Groups;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Groups;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// OffsetDelete (47): removes committed offsets, except of topics the group's members subscribe to (GROUP_SUBSCRIBED_TO_TOPIC).
/// It needs DELETE on the group (GROUP_AUTHORIZATION_FAILED) and READ on each topic (TOPIC_AUTHORIZATION_FAILED for its
/// partitions).
/// </summary>
public sealed class OffsetDeleteHandler(IGrainFactory grains, BrokerAuthorizer authorizer)
    : KafkaApiHandler<OffsetDeleteRequest, OffsetDeleteResponse>
{
    public override ApiKey ApiKey => ApiKey.OffsetDelete;

    public override short MinVersion => 0;

    public override short MaxVersion => 0;

    protected override async Task<OffsetDeleteResponse?> HandleAsync(OffsetDeleteRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        if (!authorizer.Authorize(request, AclOperation.Delete, AclResourceType.Group, body.GroupId))
        {
            return new OffsetDeleteResponse { ErrorCode = (short)ErrorCode.GroupAuthorizationFailed };
        }

        if (!GroupIds.IsValid(body.GroupId))
        {
            return new OffsetDeleteResponse { ErrorCode = (short)ErrorCode.InvalidGroupId };
        }

        // Once a topic, as Kafka asks; the offsets of a topic the principal may not read are left alone.
        var readable = body.Topics.Select(t => t.Name).Distinct(StringComparer.Ordinal)
            .Where(name => authorizer.Authorize(request, AclOperation.Read, AclResourceType.Topic, name))
            .ToHashSet(StringComparer.Ordinal);
        var partitions = body.Topics.Where(t => readable.Contains(t.Name))
            .SelectMany(t => t.Partitions.Select(p => new GroupTopicPartition(t.Name, p.PartitionIndex)))
            .ToList();
        var (groupError, errors) = await grains.GetGrain<IConsumerGroupGrain>(body.GroupId).DeleteOffsetsAsync(partitions);
        if (groupError != ErrorCode.None)
        {
            return new OffsetDeleteResponse { ErrorCode = (short)groupError };
        }

        var next = 0;
        return new OffsetDeleteResponse
        {
            Topics = body.Topics.Select(t => new OffsetDeleteResponse.OffsetDeleteResponseTopic
            {
                Name = t.Name,
                Partitions = t.Partitions.Select(p => new OffsetDeleteResponse.OffsetDeleteResponsePartition
                {
                    PartitionIndex = p.PartitionIndex,
                    ErrorCode = (short)(readable.Contains(t.Name) ? errors[next++] : ErrorCode.TopicAuthorizationFailed),
                }).ToList(),
            }).ToList(),
        };
    }
}
