namespace Tributary.Gateway.RestProxy;

/// <summary>Where a record went, or the Kafka error that stopped it.</summary>
internal sealed record RestRecordResult(int Partition, long Offset, long Timestamp, ErrorCode Error, string? Message);
