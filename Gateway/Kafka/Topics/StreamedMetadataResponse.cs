using Tributary.Gateway.Protocol;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats.Primitives;

namespace Tributary.Gateway.Kafka.Topics;

/// <summary>
/// A Metadata response (every version) written straight from the topics' descriptions, byte for byte as
/// <see cref="MetadataResponse"/> writes it, without a <see cref="MetadataResponse.MetadataResponsePartition"/> per
/// partition: a response for every topic of a large cluster is then in memory once, as the bytes in the connection's
/// output, not also as an object graph several times their size. The descriptions are the topic cache's own; one
/// partition object is filled for each partition in turn, to size it and then to write it.
/// Written only, never read; one instance serves one request (it keeps scratch partitions).
/// </summary>
public sealed class StreamedMetadataResponse : IKafkaApiMessage, IThrottledResponse
{
    /// <summary>The one partition object this response fills and writes for every partition in turn.</summary>
    private readonly MetadataResponse.MetadataResponsePartition _partition = new() { ReplicaNodes = [], IsrNodes = [], OfflineReplicas = [] };

    public int ThrottleTimeMs { get; set; }

    public List<MetadataResponse.MetadataResponseBroker> Brokers { get; init; } = [];

    public string? ClusterId { get; init; }

    public int ControllerId { get; init; } = -1;

    public int ClusterAuthorizedOperations { get; init; } = int.MinValue;

    /// <summary>The brokers that are live members: a partition on another has no leader (LEADER_NOT_AVAILABLE).</summary>
    public required IReadOnlySet<int> LiveBrokers { get; init; }

    /// <summary>The topics in order: an existing one described, or an answer already made (an error, no partitions).</summary>
    public List<Topic> Topics { get; } = [];

    public void Read(ref KafkaReader reader, short version) =>
        throw new NotSupportedException("A streamed Metadata response is written only.");

    public void Write(ref KafkaWriter writer, short version)
    {
        var flexible = version >= 9;
        if (version >= 3)
        {
            writer.WriteInt32(ThrottleTimeMs);
        }

        writer.WriteArrayLength(Brokers.Count, flexible);
        foreach (var broker in Brokers)
        {
            broker.Write(ref writer, version);
        }

        if (version >= 2)
        {
            writer.WriteString(ClusterId, flexible);
        }

        if (version >= 1)
        {
            writer.WriteInt32(ControllerId);
        }

        writer.WriteArrayLength(Topics.Count, flexible);
        foreach (var topic in Topics)
        {
            if (topic.Answer is { } answer)
            {
                answer.Write(ref writer, version);
            }
            else
            {
                WriteTopic(ref writer, version, topic);
            }
        }

        if (version is >= 8 and <= 10)
        {
            writer.WriteInt32(ClusterAuthorizedOperations);
        }

        if (flexible)
        {
            writer.WriteUnsignedVarint(0);
        }
    }

    public int Size(short version)
    {
        var flexible = version >= 9;
        var size = version >= 3 ? 4 : 0;
        size += KafkaSizes.ArrayLength(Brokers.Count, flexible);
        foreach (var broker in Brokers)
        {
            size += broker.Size(version);
        }

        size += (version >= 2 ? KafkaSizes.String(ClusterId, flexible) : 0) + (version >= 1 ? 4 : 0);
        size += KafkaSizes.ArrayLength(Topics.Count, flexible);
        foreach (var topic in Topics)
        {
            if (topic.Answer is { } answer)
            {
                size += answer.Size(version);
                continue;
            }

            var described = topic.Description!;
            size += TopicHeaderSize(version, described.Name) + KafkaSizes.ArrayLength(described.PartitionCount, flexible) + (version >= 8 ? 4 : 0) + (flexible ? 1 : 0);
            for (var p = 0; p < described.PartitionCount; p++)
            {
                size += Fill(p, described).Size(version);
            }
        }

        return size + (version is >= 8 and <= 10 ? 4 : 0) + (flexible ? 1 : 0);
    }

    private void WriteTopic(ref KafkaWriter writer, short version, Topic topic)
    {
        var flexible = version >= 9;
        var described = topic.Description!;
        writer.WriteInt16(0);
        writer.WriteString(described.Name, flexible);
        if (version >= 10)
        {
            writer.WriteUuid(described.TopicId);
        }

        if (version >= 1)
        {
            writer.WriteBool(topic.IsInternal);
        }

        writer.WriteArrayLength(described.PartitionCount, flexible);
        for (var p = 0; p < described.PartitionCount; p++)
        {
            Fill(p, described).Write(ref writer, version);
        }

        if (version >= 8)
        {
            writer.WriteInt32(topic.AuthorizedOperations);
        }

        if (flexible)
        {
            writer.WriteUnsignedVarint(0);
        }
    }

    /// <summary>The partition object filled with partition <paramref name="index"/>'s replicas, ISR and leader (<see cref="PartitionReplicaView"/>).</summary>
    private MetadataResponse.MetadataResponsePartition Fill(int index, TopicDescription described)
    {
        var registration = described.Partitions[index];
        var partition = _partition;
        partition.PartitionIndex = index;
        partition.LeaderId = PartitionReplicaView.Fill(registration, LiveBrokers, partition.IsrNodes, partition.OfflineReplicas);
        partition.ErrorCode = partition.LeaderId < 0 ? (short)Grains.KafkaFormats.ErrorCode.LeaderNotAvailable : (short)0;
        partition.LeaderEpoch = registration.LeaderEpoch;
        partition.ReplicaNodes.Clear();
        partition.ReplicaNodes.AddRange(registration.Replicas);
        return partition;
    }

    /// <summary>Error code, name, id (v10+) and is_internal (v1+).</summary>
    private static int TopicHeaderSize(short version, string name) =>
        2 + KafkaSizes.String(name, version >= 9) + (version >= 10 ? 16 : 0) + (version >= 1 ? 1 : 0);

    /// <summary>One topic of the response: <see cref="Description"/> to write with its partitions, or <see cref="Answer"/> as made.</summary>
    public sealed record Topic(TopicDescription? Description, MetadataResponse.MetadataResponseTopic? Answer, bool IsInternal, int AuthorizedOperations);
}
