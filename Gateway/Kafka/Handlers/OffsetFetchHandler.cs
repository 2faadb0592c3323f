using Tributary.Gateway.Kafka.Groups;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Groups;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// OffsetFetch (9): a group's committed offsets for the partitions asked for (offset -1 where none), or all of them
/// (v2+, no topics); from v8 for several groups in one request. From v7 a read_committed consumer may ask for stable
/// offsets only, and is told to retry while a transaction holds a pending commit.
/// </summary>
public sealed class OffsetFetchHandler(IGrainFactory grains) : KafkaApiHandler<OffsetFetchRequest, OffsetFetchResponse>
{
    public override ApiKey ApiKey => ApiKey.OffsetFetch;

    public override short MinVersion => 0;

    public override short MaxVersion => 9;

    protected override async Task<OffsetFetchResponse?> HandleAsync(OffsetFetchRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        if (request.ApiVersion >= 8)
        {
            var groups = await Task.WhenAll(body.Groups.Select(async g =>
            {
                var (error, offsets) = await FetchAsync(g.GroupId, g.Topics?.Select(t => (t.Name, t.PartitionIndexes)).ToList());
                return new OffsetFetchResponse.OffsetFetchResponseGroup
                {
                    GroupId = g.GroupId,
                    ErrorCode = (short)error,
                    Topics = offsets.GroupBy(o => o.Topic).Select(t => new OffsetFetchResponse.OffsetFetchResponseTopics
                    {
                        Name = t.Key,
                        Partitions = t.Select(o => new OffsetFetchResponse.OffsetFetchResponsePartitions
                        {
                            PartitionIndex = o.Partition,
                            CommittedOffset = o.Offset,
                            CommittedLeaderEpoch = o.LeaderEpoch,
                            Metadata = o.Metadata,
                            ErrorCode = PartitionError(o, body.RequireStable),
                        }).ToList(),
                    }).ToList(),
                };
            }));
            return new OffsetFetchResponse { Groups = groups.ToList() };
        }

        var (groupError, fetched) = await FetchAsync(body.GroupId, body.Topics?.Select(t => (t.Name, t.PartitionIndexes)).ToList());
        return new OffsetFetchResponse
        {
            ErrorCode = (short)groupError,
            Topics = fetched.GroupBy(o => o.Topic).Select(t => new OffsetFetchResponse.OffsetFetchResponseTopic
            {
                Name = t.Key,
                Partitions = t.Select(o => new OffsetFetchResponse.OffsetFetchResponsePartition
                {
                    PartitionIndex = o.Partition,
                    CommittedOffset = o.Offset,
                    CommittedLeaderEpoch = o.LeaderEpoch,
                    Metadata = o.Metadata,
                    ErrorCode = groupError != ErrorCode.None ? (short)groupError : PartitionError(o, request.ApiVersion >= 7 && body.RequireStable),
                }).ToList(),
            }).ToList(),
        };
    }

    /// <summary>With require_stable (v7+, read_committed consumers) an offset a transaction may still change is UNSTABLE_OFFSET_COMMIT.</summary>
    private static short PartitionError(CommittedOffsetData offset, bool requireStable) =>
        (short)(requireStable && offset.PendingTransaction ? ErrorCode.UnstableOffsetCommit : ErrorCode.None);

    private async Task<(ErrorCode Error, IReadOnlyList<CommittedOffsetData> Offsets)> FetchAsync(string groupId, List<(string Name, List<int> Partitions)>? topics)
    {
        var partitions = topics?.SelectMany(t => t.Partitions.Select(p => new GroupTopicPartition(t.Name, p))).ToList();
        if (!GroupIds.IsValid(groupId))
        {
            return (ErrorCode.InvalidGroupId, partitions?.Select(p => new CommittedOffsetData(p.Topic, p.Partition, -1, -1, "")).ToList() ?? []);
        }

        return (ErrorCode.None, await grains.GetGrain<IConsumerGroupGrain>(groupId).FetchOffsetsAsync(partitions));
    }
}
