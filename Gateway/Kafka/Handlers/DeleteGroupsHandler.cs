using Tributary.Gateway.Kafka.Groups;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Groups;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>DeleteGroups (42): empty groups and their offsets go; NON_EMPTY_GROUP while members remain.</summary>
public sealed class DeleteGroupsHandler(IGrainFactory grains) : KafkaApiHandler<DeleteGroupsRequest, DeleteGroupsResponse>
{
    public override ApiKey ApiKey => ApiKey.DeleteGroups;

    public override short MinVersion => 0;

    public override short MaxVersion => 2;

    protected override async Task<DeleteGroupsResponse?> HandleAsync(DeleteGroupsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(body.GroupsNames.Select(async groupId => new DeleteGroupsResponse.DeletableGroupResult
        {
            GroupId = groupId,
            ErrorCode = (short)(GroupIds.IsValid(groupId)
                ? await grains.GetGrain<IConsumerGroupGrain>(groupId).DeleteAsync()
                : ErrorCode.InvalidGroupId),
        }));
        return new DeleteGroupsResponse { Results = results.ToList() };
    }
}
