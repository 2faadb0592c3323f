using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Groups;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Groups;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// DescribeGroups (15): state, protocol and members with their subscriptions and assignments; an unknown group is Dead.
/// Asked for them (v3+), a group described without error carries the operations the principal may do to it. Each group
/// needs DESCRIBE (GROUP_AUTHORIZATION_FAILED).
/// </summary>
public sealed class DescribeGroupsHandler(IGrainFactory grains, BrokerAuthorizer authorizer)
    : KafkaApiHandler<DescribeGroupsRequest, DescribeGroupsResponse>
{
    public override ApiKey ApiKey => ApiKey.DescribeGroups;

    public override short MinVersion => 0;

    public override short MaxVersion => 5;

    protected override async Task<DescribeGroupsResponse?> HandleAsync(DescribeGroupsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var withOperations = request.ApiVersion >= 3 && body.IncludeAuthorizedOperations;
        var described = await Task.WhenAll(body.Groups.Select(async groupId =>
        {
            if (!authorizer.Authorize(request, AclOperation.Describe, AclResourceType.Group, groupId))
            {
                return new DescribeGroupsResponse.DescribedGroup { GroupId = groupId, ErrorCode = (short)ErrorCode.GroupAuthorizationFailed };
            }

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
                AuthorizedOperations = withOperations
                    ? authorizer.AuthorizedOperations(request, AclResourceType.Group, groupId, AuthorizedOperations.Group)
                    : AuthorizedOperations.NotRequested,
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
