using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Groups;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Groups;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// DeleteGroups (42): empty groups and their offsets go; NON_EMPTY_GROUP while members remain. Each group needs DELETE
/// (GROUP_AUTHORIZATION_FAILED).
/// </summary>
public sealed class DeleteGroupsHandler(IGrainFactory grains, BrokerAuthorizer authorizer)
    : KafkaApiHandler<DeleteGroupsRequest, DeleteGroupsResponse>
{
    public override ApiKey ApiKey => ApiKey.DeleteGroups;

    public override short MinVersion => 0;

    public override short MaxVersion => 2;

    protected override async Task<DeleteGroupsResponse?> HandleAsync(DeleteGroupsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(body.GroupsNames.Select(async groupId => new DeleteGroupsResponse.DeletableGroupResult
        {
            GroupId = groupId,
            ErrorCode = (short)await DeleteAsync(request, groupId),
        }));
        return new DeleteGroupsResponse { Results = results.ToList() };
    }

    private async Task<ErrorCode> DeleteAsync(KafkaRequest request, string groupId)
    {
        if (!authorizer.Authorize(request, AclOperation.Delete, AclResourceType.Group, groupId))
        {
            return ErrorCode.GroupAuthorizationFailed;
        }

        return GroupIds.IsValid(groupId) ? await grains.GetGrain<IConsumerGroupGrain>(groupId).DeleteAsync() : ErrorCode.InvalidGroupId;
    }
}
