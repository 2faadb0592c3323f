using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Brokers;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// DescribeTopicPartitions (75, KIP-966): the named topics (all when none is named) in name order with their
/// partitions, at most <c>ResponsePartitionLimit</c> partitions (and Kafka's <c>max.request.partition.size.limit</c>)
/// per response; a response cut short names where the next one starts (<c>NextCursor</c>), and a request starts at its
/// <c>Cursor</c>. As in Kafka, a named topic that does not exist is answered with UNKNOWN_TOPIC_OR_PARTITION (or
/// INVALID_TOPIC_EXCEPTION for a name Kafka would refuse), a cursor outside the named topics or with a negative partition
/// fails every topic with INVALID_REQUEST, and each topic carries its authorized operations. It needs DESCRIBE on each
/// topic: one named without it is TOPIC_AUTHORIZATION_FAILED (whether it exists or not), and left out when all are listed.
/// </summary>
public sealed class DescribeTopicPartitionsHandler(IGrainFactory grains, TopicCache topics, ClusterBrokers brokers, BrokerAuthorizer authorizer)
    : KafkaApiHandler<DescribeTopicPartitionsRequest, DescribeTopicPartitionsResponse>
{
    /// <summary>Kafka's <c>max.request.partition.size.limit</c> (a static broker config), at its default.</summary>
    public const int MaxRequestPartitionSizeLimit = 2000;

    public override ApiKey ApiKey => ApiKey.DescribeTopicPartitions;

    public override short MinVersion => 0;

    public override short MaxVersion => 0;

    protected override async Task<DescribeTopicPartitionsResponse?> HandleAsync(
        DescribeTopicPartitionsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var all = body.Topics.Count == 0;
        var cursor = body.Cursor;
        var first = cursor?.TopicName ?? "";
        var candidates = all ? await grains.GetGrain<ITopicCatalogGrain>(0).ListAsync() : body.Topics.Select(t => t.Name).ToList();
        var names = candidates
            .Where(name => string.CompareOrdinal(name, first) >= 0)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        if ((!all && cursor is not null && !names.Contains(cursor.TopicName, StringComparer.Ordinal)) || cursor is { PartitionIndex: < 0 })
        {
            return InvalidRequest(body);
        }

        var response = new DescribeTopicPartitionsResponse();
        var live = brokers.LiveIds().ToHashSet();
        var remaining = Math.Max(Math.Min(MaxRequestPartitionSizeLimit, body.ResponsePartitionLimit), 1);
        var refused = new List<string>();
        foreach (var name in names)
        {
            // Checked as the topics are reached and before they are looked up, as Kafka filters them: a refused topic
            // is never the next cursor, and one past where the response stops is not answered.
            if (!authorizer.Authorize(request, AclOperation.Describe, AclResourceType.Topic, name))
            {
                if (!all)
                {
                    refused.Add(name);
                }

                continue;
            }

            if (remaining == 0)
            {
                // The previous topic's partitions filled the response exactly: the next one starts with this topic.
                response.NextCursor = new DescribeTopicPartitionsResponse.Cursor { TopicName = name, PartitionIndex = 0 };
                break;
            }

            var invalid = TopicNames.Validate(name) is not null;
            var topic = invalid ? null : await topics.DescribeAsync(name);
            if (topic is null)
            {
                if (!all)
                {
                    response.Topics.Add(new()
                    {
                        Name = name,
                        ErrorCode = (short)(invalid ? ErrorCode.InvalidTopicException : ErrorCode.UnknownTopicOrPartition),
                        IsInternal = IsInternal(name),
                        TopicAuthorizedOperations = Operations(request, name),
                    });
                }

                continue;
            }

            var start = cursor is not null && name == cursor.TopicName ? cursor.PartitionIndex : 0;
            var end = Math.Min(topic.PartitionCount, start + remaining);
            response.Topics.Add(new()
            {
                Name = name,
                TopicId = topic.TopicId,
                IsInternal = IsInternal(name),
                Partitions = Enumerable.Range(start, Math.Max(0, end - start))
                    .Select(p => Partition(p, topic.Partitions[p], live))
                    .ToList(),
                TopicAuthorizedOperations = Operations(request, name),
            });
            if (end < topic.PartitionCount)
            {
                response.NextCursor = new DescribeTopicPartitionsResponse.Cursor { TopicName = name, PartitionIndex = end };
                break;
            }

            remaining -= Math.Max(0, end - start);
        }

        // As Kafka answers them: after the others, with no id, partitions or operations.
        response.Topics.AddRange(refused.Select(name => new DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponseTopic
        {
            Name = name,
            ErrorCode = (short)ErrorCode.TopicAuthorizationFailed,
        }));
        return response;
    }

    private int Operations(KafkaRequest request, string name) =>
        authorizer.AuthorizedOperations(request, AclResourceType.Topic, name, AuthorizedOperations.Topic);

    /// <summary>Kafka's answer to a request it refuses as a whole: every named topic with INVALID_REQUEST.</summary>
    private static DescribeTopicPartitionsResponse InvalidRequest(DescribeTopicPartitionsRequest body) => new()
    {
        Topics = body.Topics.Select(t => new DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponseTopic
        {
            Name = t.Name,
            ErrorCode = (short)ErrorCode.InvalidRequest,
        }).ToList(),
    };

    private static bool IsInternal(string name) => InternalTopics.IsInternal(name);

    /// <summary>As Metadata describes it (<see cref="PartitionReplicaView"/>): a partition whose leader is not a live member has none.</summary>
    private static DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponsePartition Partition(int index, PartitionRegistration registration, IReadOnlySet<int> live)
    {
        List<int> isr = [];
        List<int> offline = [];
        var leader = PartitionReplicaView.Fill(registration, live, isr, offline);
        return new()
        {
            // Kafka answers an offline partition here with no error, only no leader (unlike Metadata's LEADER_NOT_AVAILABLE).
            PartitionIndex = index,
            LeaderId = leader,
            LeaderEpoch = registration.LeaderEpoch,
            ReplicaNodes = [.. registration.Replicas],
            IsrNodes = isr,
            EligibleLeaderReplicas = [],
            LastKnownElr = [],
            OfflineReplicas = offline,
        };
    }
}
