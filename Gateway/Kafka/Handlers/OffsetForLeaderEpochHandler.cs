using Tributary.Gateway.Kafka.Partitions;
using Tributary.Gateway.Protocol.Messages;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// OffsetForLeaderEpoch (23): a partition has had one leader epoch, 0, so the end offset of epoch 0 is the log end
/// offset, and any later epoch is unknown. A client that believes in a newer epoch than ours is told
/// UNKNOWN_LEADER_EPOCH; an older one, FENCED_LEADER_EPOCH. Every version from 0: v0 and v1 carry no current leader
/// epoch (nothing to fence) and v0 answers no leader epoch; v2 is the only one librdkafka sends.
/// </summary>
public sealed class OffsetForLeaderEpochHandler(PartitionRouter router) : KafkaApiHandler<OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse>
{
    private const int CurrentEpoch = 0;

    public override ApiKey ApiKey => ApiKey.OffsetForLeaderEpoch;

    public override short MinVersion => 0;

    public override short MaxVersion => 4;

    protected override async Task<OffsetForLeaderEpochResponse?> HandleAsync(OffsetForLeaderEpochRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var topics = await PartitionFanOut.RunAsync(body.Topics, t => t.Partitions, (t, p) => LookupAsync(t.Topic, p));
        return new OffsetForLeaderEpochResponse
        {
            Topics = topics.Select(t => new OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult { Topic = t.Topic.Topic, Partitions = t.Results }).ToList(),
        };
    }

    private async Task<OffsetForLeaderEpochResponse.EpochEndOffset> LookupAsync(string topic, OffsetForLeaderEpochRequest.OffsetForLeaderPartition partition)
    {
        var result = new OffsetForLeaderEpochResponse.EpochEndOffset { Partition = partition.Partition };
        if (partition.CurrentLeaderEpoch > CurrentEpoch)
        {
            result.ErrorCode = (short)ErrorCode.UnknownLeaderEpoch;
            return result;
        }

        if (partition.CurrentLeaderEpoch >= 0 && partition.CurrentLeaderEpoch < CurrentEpoch)
        {
            result.ErrorCode = (short)ErrorCode.FencedLeaderEpoch;
            return result;
        }

        var (error, grain, _) = await router.RouteAsync(topic, partition.Partition);
        if (grain is null)
        {
            result.ErrorCode = (short)error;
            return result;
        }

        if (partition.LeaderEpoch > CurrentEpoch)
        {
            return result;
        }

        try
        {
            var offsets = await grain.GetOffsetsAsync();
            result.LeaderEpoch = CurrentEpoch;
            result.EndOffset = offsets.LogEndOffset;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            result.ErrorCode = (short)PartitionRouter.ErrorFor(e);
        }

        return result;
    }
}
