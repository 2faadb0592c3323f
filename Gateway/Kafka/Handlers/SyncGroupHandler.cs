using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Groups;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Groups;

using Tributary.Grains.KafkaFormats.Groups;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// SyncGroup (14): the leader's assignment in, each member's own assignment out, once the leader has sent it. It needs
/// READ on the group (GROUP_AUTHORIZATION_FAILED).
/// </summary>
public sealed class SyncGroupHandler(IGrainFactory grains, BrokerAuthorizer authorizer) : KafkaApiHandler<SyncGroupRequest, SyncGroupResponse>
{
    public override ApiKey ApiKey => ApiKey.SyncGroup;

    public override short MinVersion => 0;

    public override short MaxVersion => 5;

    protected override async Task<SyncGroupResponse?> HandleAsync(SyncGroupRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        if (!authorizer.Authorize(request, AclOperation.Read, AclResourceType.Group, body.GroupId))
        {
            return new SyncGroupResponse { ErrorCode = (short)ErrorCode.GroupAuthorizationFailed };
        }

        if (!GroupIds.IsValid(body.GroupId))
        {
            return new SyncGroupResponse { ErrorCode = (short)ErrorCode.InvalidGroupId };
        }

        // The group's answer waits for its other members: Kafka's purgatory, remote time rather than the broker's own.
        var waiting = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await grains.GetGrain<IConsumerGroupGrain>(body.GroupId).SyncAsync(new GroupSyncRequest(
            body.MemberId,
            body.GroupInstanceId,
            body.GenerationId,
            body.ProtocolType,
            body.ProtocolName,
            body.Assignments.GroupBy(a => a.MemberId).ToDictionary(g => g.Key, g => g.Last().Assignment.ToArray())), cancellationToken);
        request.AddWaited(System.Diagnostics.Stopwatch.GetElapsedTime(waiting));
        return new SyncGroupResponse
        {
            ErrorCode = (short)result.Error,
            ProtocolType = result.ProtocolType,
            ProtocolName = result.ProtocolName,
            Assignment = result.Assignment,
        };
    }
}
