using Tributary.Gateway.Kafka.Groups;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Groups;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>Heartbeat (12): keeps a member's session; REBALANCE_IN_PROGRESS tells it to rejoin.</summary>
public sealed class HeartbeatHandler(IGrainFactory grains) : KafkaApiHandler<HeartbeatRequest, HeartbeatResponse>
{
    public override ApiKey ApiKey => ApiKey.Heartbeat;

    public override short MinVersion => 0;

    public override short MaxVersion => 4;

    protected override async Task<HeartbeatResponse?> HandleAsync(HeartbeatRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var error = GroupIds.IsValid(body.GroupId)
            ? await grains.GetGrain<IConsumerGroupGrain>(body.GroupId).HeartbeatAsync(body.MemberId, body.GroupInstanceId, body.GenerationId)
            : ErrorCode.InvalidGroupId;
        return new HeartbeatResponse { ErrorCode = (short)error };
    }
}
