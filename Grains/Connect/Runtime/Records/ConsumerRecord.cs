using Tributary.Grains.Connect.Api.Connector;

namespace Tributary.Grains.Connect.Runtime.Records;

/// <summary>A consumed record as bytes, where it was read and how its timestamp was set; a sink task's input before converters (decoded by <see cref="FetchedRecords"/>).</summary>
public sealed record ConsumerRecord(
    TopicPartition Partition,
    long Offset,
    long Timestamp,
    Api.Sink.TimestampType TimestampType,
    byte[]? Key,
    byte[]? Value,
    IReadOnlyList<KeyValuePair<string, byte[]?>> Headers);
