using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Groups;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Groups;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// DescribeGroups (15): state, protocol and members with their subscriptions and assignments; an unknown group is Dead.
/// Asked for them (v3+), a group described without error carries its authorized operations (all: there is no authorizer).
/// </summary>
public sealed class DescribeGroupsHandler(IGrainFactory grains) : KafkaApiHandler<DescribeGroupsRequest, DescribeGroupsResponse>
{
    public override ApiKey ApiKey => ApiKey.DescribeGroups;

    public override short MinVersion => 0;

    public override short MaxVersion => 5;

    protected override async Task<DescribeGroupsResponse?> HandleAsync(DescribeGroupsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var operations = AuthorizedOperations.When(request.ApiVersion >= 3 && body.IncludeAuthorizedOperations, AuthorizedOperations.Group);
        var described = await Task.WhenAll(body.Groups.Select(async groupId =>
        {
            if (!GroupIds.IsValid(groupId))
            {
                return new DescribeGroupsResponse.DescribedGroup { GroupId = groupId, ErrorCode = (short)ErrorCode.InvalidGroupId };
            }

            var group = await grains.GetGrain<IConsumerGroupGrain>(groupId).DescribeAsync();
            return new DescribeGroupsResponse.DescribedGroup
            {
                GroupId = groupId,
                GroupState = group.State,
                ProtocolType = group.ProtocolType,
                ProtocolData = group.ProtocolName,
                AuthorizedOperations = operations,
                Members = group.Members.Select(m => new DescribeGroupsResponse.DescribedGroupMember
                {
                    MemberId = m.MemberId,
                    GroupInstanceId = m.GroupInstanceId,
                    ClientId = m.ClientId,
                    ClientHost = m.ClientHost,
                    MemberMetadata = m.Metadata,
                    MemberAssignment = m.Assignment,
                }).ToList(),
            };
        }));
        return new DescribeGroupsResponse { Groups = described.ToList() };
    }
}
