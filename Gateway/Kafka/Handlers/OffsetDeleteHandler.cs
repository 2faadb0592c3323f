using Tributary.Gateway.Kafka.Groups;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Groups;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>OffsetDelete (47): removes committed offsets, except of topics the group's members subscribe to (GROUP_SUBSCRIBED_TO_TOPIC).</summary>
public sealed class OffsetDeleteHandler(IGrainFactory grains) : KafkaApiHandler<OffsetDeleteRequest, OffsetDeleteResponse>
{
    public override ApiKey ApiKey => ApiKey.OffsetDelete;

    public override short MinVersion => 0;

    public override short MaxVersion => 0;

    protected override async Task<OffsetDeleteResponse?> HandleAsync(OffsetDeleteRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        if (!GroupIds.IsValid(body.GroupId))
        {
            return new OffsetDeleteResponse { ErrorCode = (short)ErrorCode.InvalidGroupId };
        }

        var partitions = body.Topics.SelectMany(t => t.Partitions.Select(p => new GroupTopicPartition(t.Name, p.PartitionIndex))).ToList();
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
                    ErrorCode = (short)errors[next++],
                }).ToList(),
            }).ToList(),
        };
    }
}
