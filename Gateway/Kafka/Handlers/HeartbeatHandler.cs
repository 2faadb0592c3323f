using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Groups;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Groups;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// Heartbeat (12): keeps a member's session; REBALANCE_IN_PROGRESS tells it to rejoin. It needs READ on the group
/// (GROUP_AUTHORIZATION_FAILED).
/// </summary>
public sealed class HeartbeatHandler(IGrainFactory grains, BrokerAuthorizer authorizer) : KafkaApiHandler<HeartbeatRequest, HeartbeatResponse>
{
    public override ApiKey ApiKey => ApiKey.Heartbeat;

    public override short MinVersion => 0;

    public override short MaxVersion => 4;

    protected override async Task<HeartbeatResponse?> HandleAsync(HeartbeatRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        if (!authorizer.Authorize(request, AclOperation.Read, AclResourceType.Group, body.GroupId))
        {
            return new HeartbeatResponse { ErrorCode = (short)ErrorCode.GroupAuthorizationFailed };
        }

        var error = GroupIds.IsValid(body.GroupId)
            ? await grains.GetGrain<IConsumerGroupGrain>(body.GroupId).HeartbeatAsync(body.MemberId, body.GroupInstanceId, body.GenerationId)
            : ErrorCode.InvalidGroupId;
        return new HeartbeatResponse { ErrorCode = (short)error };
    }
}
