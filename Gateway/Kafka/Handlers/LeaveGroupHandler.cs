using Tributary.Gateway.Kafka.Groups;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Groups;

using Tributary.Grains.KafkaFormats.Groups;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>LeaveGroup (13): one member (v0-2) or a batch of members with per-member errors (v3+).</summary>
public sealed class LeaveGroupHandler(IGrainFactory grains) : KafkaApiHandler<LeaveGroupRequest, LeaveGroupResponse>
{
    public override ApiKey ApiKey => ApiKey.LeaveGroup;

    public override short MinVersion => 0;

    public override short MaxVersion => 5;

    protected override async Task<LeaveGroupResponse?> HandleAsync(LeaveGroupRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
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
