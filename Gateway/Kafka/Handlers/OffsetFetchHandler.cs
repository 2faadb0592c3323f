using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Groups;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Groups;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// OffsetFetch (9): a group's committed offsets for the partitions asked for (offset -1 where none), or all of them
/// (v2+, no topics); from v8 for several groups in one request. From v7 a read_committed consumer may ask for stable
/// offsets only, and is told to retry while a transaction holds a pending commit. It needs DESCRIBE on the group
/// (GROUP_AUTHORIZATION_FAILED) and on each topic: a topic asked for gets TOPIC_AUTHORIZATION_FAILED, and when all
/// offsets are asked for, those of the topics the principal may not describe are left out.
/// </summary>
public sealed class OffsetFetchHandler(IGrainFactory grains, BrokerAuthorizer authorizer) : KafkaApiHandler<OffsetFetchRequest, OffsetFetchResponse>
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
                if (!authorizer.Authorize(request, AclOperation.Describe, AclResourceType.Group, g.GroupId))
                {
                    // Kafka answers a refused group with its error alone.
                    return new OffsetFetchResponse.OffsetFetchResponseGroup { GroupId = g.GroupId, ErrorCode = (short)ErrorCode.GroupAuthorizationFailed };
                }

                var (error, offsets) = await FetchAsync(request, g.GroupId, g.Topics?.Select(t => (t.Name, t.PartitionIndexes)).ToList());
                return new OffsetFetchResponse.OffsetFetchResponseGroup
                {
                    GroupId = g.GroupId,
                    ErrorCode = (short)error,
                    Topics = offsets.GroupBy(o => o.Offset.Topic).Select(t => new OffsetFetchResponse.OffsetFetchResponseTopics
                    {
                        Name = t.Key,
                        Partitions = t.Select(o => new OffsetFetchResponse.OffsetFetchResponsePartitions
                        {
                            PartitionIndex = o.Offset.Partition,
                            CommittedOffset = o.Offset.Offset,
                            CommittedLeaderEpoch = o.Offset.LeaderEpoch,
                            Metadata = o.Offset.Metadata,
                            ErrorCode = PartitionError(o, body.RequireStable),
                        }).ToList(),
                    }).ToList(),
                };
            }));
            return new OffsetFetchResponse { Groups = groups.ToList() };
        }

        if (!authorizer.Authorize(request, AclOperation.Describe, AclResourceType.Group, body.GroupId))
        {
            return GroupRefused(body, request.ApiVersion);
        }

        var (groupError, fetched) = await FetchAsync(request, body.GroupId, body.Topics?.Select(t => (t.Name, t.PartitionIndexes)).ToList());
        return new OffsetFetchResponse
        {
            ErrorCode = (short)groupError,
            Topics = fetched.GroupBy(o => o.Offset.Topic).Select(t => new OffsetFetchResponse.OffsetFetchResponseTopic
            {
                Name = t.Key,
                Partitions = t.Select(o => new OffsetFetchResponse.OffsetFetchResponsePartition
                {
                    PartitionIndex = o.Offset.Partition,
                    CommittedOffset = o.Offset.Offset,
                    CommittedLeaderEpoch = o.Offset.LeaderEpoch,
                    Metadata = o.Offset.Metadata,
                    ErrorCode = groupError != ErrorCode.None ? (short)groupError : PartitionError(o, request.ApiVersion >= 7 && body.RequireStable),
                }).ToList(),
            }).ToList(),
        };
    }

    /// <summary>
    /// A group the principal may not describe, as Kafka's getErrorResponse answers it: from v2 the top-level error alone;
    /// before v2, which has no top-level error, on each partition asked for.
    /// </summary>
    private static OffsetFetchResponse GroupRefused(OffsetFetchRequest body, short version) => new()
    {
        ErrorCode = (short)ErrorCode.GroupAuthorizationFailed,
        Topics = version >= 2 ? [] : (body.Topics ?? []).Select(t => new OffsetFetchResponse.OffsetFetchResponseTopic
        {
            Name = t.Name,
            Partitions = t.PartitionIndexes.Select(p => new OffsetFetchResponse.OffsetFetchResponsePartition
            {
                PartitionIndex = p,
                CommittedOffset = -1,
                Metadata = "",
                ErrorCode = (short)ErrorCode.GroupAuthorizationFailed,
            }).ToList(),
        }).ToList(),
    };

    /// <summary>
    /// TOPIC_AUTHORIZATION_FAILED for a topic the principal may not describe; with require_stable (v7+, read_committed
    /// consumers) an offset a transaction may still change is UNSTABLE_OFFSET_COMMIT.
    /// </summary>
    private static short PartitionError(Answer answer, bool requireStable) =>
        (short)(answer.Refused ? ErrorCode.TopicAuthorizationFailed
            : requireStable && answer.Offset.PendingTransaction ? ErrorCode.UnstableOffsetCommit
            : ErrorCode.None);

    /// <summary>
    /// The group's offsets of the topics the principal may describe (asked once a topic, before anything is read, as
    /// Kafka asks); a topic asked for that it may not describe is answered refused, with offset -1, and not read.
    /// </summary>
    private async Task<(ErrorCode Error, IReadOnlyList<Answer> Offsets)> FetchAsync(
        KafkaRequest request, string groupId, List<(string Name, List<int> Partitions)>? topics)
    {
        var describable = new Dictionary<string, bool>(StringComparer.Ordinal);
        bool MayDescribe(string topic)
        {
            if (!describable.TryGetValue(topic, out var allowed))
            {
                describable[topic] = allowed = authorizer.Authorize(request, AclOperation.Describe, AclResourceType.Topic, topic);
            }

            return allowed;
        }

        if (topics is null)
        {
            if (!GroupIds.IsValid(groupId))
            {
                return (ErrorCode.InvalidGroupId, []);
            }

            var all = await grains.GetGrain<IConsumerGroupGrain>(groupId).FetchOffsetsAsync(null);
            return (ErrorCode.None, all.Where(o => MayDescribe(o.Topic)).Select(o => new Answer(o, Refused: false)).ToList());
        }

        var refused = topics.Where(t => !MayDescribe(t.Name))
            .SelectMany(t => t.Partitions.Select(p => new Answer(new CommittedOffsetData(t.Name, p, -1, -1, ""), Refused: true)))
            .ToList();
        var partitions = topics.Where(t => MayDescribe(t.Name))
            .SelectMany(t => t.Partitions.Select(p => new GroupTopicPartition(t.Name, p)))
            .ToList();
        if (!GroupIds.IsValid(groupId))
        {
            var unread = partitions.Select(p => new Answer(new CommittedOffsetData(p.Topic, p.Partition, -1, -1, ""), Refused: false));
            return (ErrorCode.InvalidGroupId, [.. unread, .. refused]);
        }

        var fetched = await grains.GetGrain<IConsumerGroupGrain>(groupId).FetchOffsetsAsync(partitions);
        return (ErrorCode.None, [.. fetched.Select(o => new Answer(o, Refused: false)), .. refused]);
    }

    /// <summary>A partition's committed offset, or one of a topic the principal may not describe (<see cref="Refused"/>).</summary>
    private readonly record struct Answer(CommittedOffsetData Offset, bool Refused);
}
