namespace Tributary.Grains.Connect.Runtime.Records;

/// <summary>A record to write, as bytes: a source task's record after transforms and converters, or a dead letter.</summary>
public sealed record ProducerRecord(
    string Topic,
    int? Partition,
    byte[]? Key,
    byte[]? Value,
    IReadOnlyList<KeyValuePair<string, byte[]?>> Headers,
    long? Timestamp);

/// <summary>Where a written record landed: a value, one per record written, so an array of them rather than an object each.</summary>
public readonly record struct ProducedRecord(string Topic, int Partition, long Offset, long Timestamp);
