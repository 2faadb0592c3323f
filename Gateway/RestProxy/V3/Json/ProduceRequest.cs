namespace Tributary.Gateway.RestProxy.V3.Json;

/// <summary>
/// One v3 record to produce, as <see cref="V3RecordReader"/> reads it: a partition (or none, for the partitioner to
/// choose), headers, key, value and timestamp, each optional.
/// </summary>
internal sealed record ProduceRequest(int? PartitionId, List<ProduceRequestHeader>? Headers, ProduceRequestData? Key, ProduceRequestData? Value, DateTimeOffset? Timestamp);
