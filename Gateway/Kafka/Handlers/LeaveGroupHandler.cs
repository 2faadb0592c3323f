using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Groups;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Groups;

using Tributary.Grains.KafkaFormats.Groups;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// LeaveGroup (13): one member (v0-2) or a batch of members with per-member errors (v3+). It needs READ on the group
/// (GROUP_AUTHORIZATION_FAILED, top-level, with no members, as Kafka answers).
/// </summary>
public sealed class LeaveGroupHandler(IGrainFactory grains, BrokerAuthorizer authorizer) : KafkaApiHandler<LeaveGroupRequest, LeaveGroupResponse>
{
    public override ApiKey ApiKey => ApiKey.LeaveGroup;

    public override short MinVersion => 0;

    public override short MaxVersion => 5;

    protected override async Task<LeaveGroupResponse?> HandleAsync(LeaveGroupRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        if (!authorizer.Authorize(request, AclOperation.Read, AclResourceType.Group, body.GroupId))
        {
            return new LeaveGroupResponse { ErrorCode = (short)ErrorCode.GroupAuthorizationFailed };
        }

        if (!GroupIds.IsValid(body.GroupId))
        {
            return new LeaveGroupResponse { ErrorCode = (short)ErrorCode.InvalidGroupId };
        }

        var members = request.ApiVersion >= 3
            ? body.Members.Select(m => new GroupMemberIdentity(m.MemberId, m.GroupInstanceId)).ToList()
            : [new GroupMemberIdentity(body.MemberId, null)];
        var results = await grains.GetGrain<IConsumerGroupGrain>(body.GroupId).LeaveAsync(members);
        if (request.ApiVersion < 3)
        {
            return new LeaveGroupResponse { ErrorCode = (short)results[0] };
        }

        return new LeaveGroupResponse
        {
            Members = members.Zip(results, (m, e) => new LeaveGroupResponse.MemberResponse
            {
                MemberId = m.MemberId,
                GroupInstanceId = m.GroupInstanceId,
                ErrorCode = (short)e,
            }).ToList(),
        };
    }
}
