using Confluent.Kafka;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Mirror.Policies;

namespace Tributary.Grains.Connect.Mirror;

/// <summary>
/// A consumed source record as the record to write (Kafka's <c>MirrorSourceTask.convertRecord</c>): same key, value,
/// headers and timestamp as bytes, same partition number, in the remote topic, with the source partition and offset
/// the task resumes from. Keys and values are optional bytes, since either may be null (a tombstone).
/// </summary>
internal static class MirrorRecords
{
    public static SourceRecord Convert(ConsumeResult<byte[]?, byte[]?> consumed, string sourceClusterAlias, IReplicationPolicy policy)
    {
        var message = consumed.Message;
        var headers = new List<ConnectHeader>(message.Headers?.Count ?? 0);
        foreach (var header in message.Headers ?? [])
        {
            headers.Add(new ConnectHeader(header.Key, Schema.OptionalBytes, header.GetValueBytes()));
        }

        return new SourceRecord(
            MirrorPartitions.WrapPartition(new Api.Connector.TopicPartition(consumed.Topic, consumed.Partition.Value), sourceClusterAlias),
            MirrorPartitions.WrapOffset(consumed.Offset.Value),
            policy.FormatRemoteTopic(sourceClusterAlias, consumed.Topic),
            consumed.Partition.Value,
            Schema.OptionalBytes, message.Key,
            Schema.OptionalBytes, message.Value,
            message.Timestamp.Type == TimestampType.NotAvailable ? null : message.Timestamp.UnixTimestampMs,
            headers);
    }
}
