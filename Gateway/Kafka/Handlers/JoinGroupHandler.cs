using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Groups;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Groups;

using Tributary.Grains.KafkaFormats.Groups;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// JoinGroup (11): to the group's grain, which answers when the rebalance completes. From v4 a new dynamic member is
/// first given its id with MEMBER_ID_REQUIRED; from v9 a rejoining static leader may be told to skip the assignment.
/// Versions from 0, which librdkafka needs to enable consumer groups. It needs READ on the group (GROUP_AUTHORIZATION_FAILED).
/// </summary>
public sealed class JoinGroupHandler(IGrainFactory grains, BrokerAuthorizer authorizer) : KafkaApiHandler<JoinGroupRequest, JoinGroupResponse>
{
    public override ApiKey ApiKey => ApiKey.JoinGroup;

    public override short MinVersion => 0;

    public override short MaxVersion => 9;

    protected override async Task<JoinGroupResponse?> HandleAsync(JoinGroupRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        if (!authorizer.Authorize(request, AclOperation.Read, AclResourceType.Group, body.GroupId))
        {
            // Kafka's JoinGroupRequest.getErrorResponse: no generation, protocol, leader or member id.
            return new JoinGroupResponse { ErrorCode = (short)ErrorCode.GroupAuthorizationFailed, ProtocolName = null, MemberId = "" };
        }

        if (!GroupIds.IsValid(body.GroupId))
        {
            return new JoinGroupResponse { ErrorCode = (short)ErrorCode.InvalidGroupId, ProtocolName = null, MemberId = body.MemberId };
        }

        // The group's answer waits for its other members: Kafka's purgatory, remote time rather than the broker's own.
        var waiting = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await grains.GetGrain<IConsumerGroupGrain>(body.GroupId).JoinAsync(new GroupJoinRequest(
            body.MemberId,
            request.ApiVersion >= 5 ? body.GroupInstanceId : null,
            request.ClientId ?? "",
            request.ClientHost,
            body.SessionTimeoutMs,
            request.ApiVersion >= 1 ? body.RebalanceTimeoutMs : body.SessionTimeoutMs,
            body.ProtocolType,
            body.Protocols.Select(p => new GroupProtocolData(p.Name, p.Metadata.ToArray())).ToList(),
            RequireKnownMemberId: request.ApiVersion >= 4,
            SupportsSkipAssignment: request.ApiVersion >= 9), cancellationToken);
        request.AddWaited(System.Diagnostics.Stopwatch.GetElapsedTime(waiting));
        return new JoinGroupResponse
        {
            ErrorCode = (short)result.Error,
            GenerationId = result.GenerationId,
            ProtocolType = result.ProtocolType,
            ProtocolName = result.ProtocolName,
            Leader = result.Leader,
            SkipAssignment = result.SkipAssignment,
            MemberId = result.MemberId,
            Members = result.Members.Select(m => new JoinGroupResponse.JoinGroupResponseMember
            {
                MemberId = m.MemberId,
                GroupInstanceId = m.GroupInstanceId,
                Metadata = m.Metadata,
            }).ToList(),
        };
    }
}
