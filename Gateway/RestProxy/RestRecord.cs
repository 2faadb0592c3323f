namespace Tributary.Gateway.RestProxy;

/// <summary>One record of a REST produce request, its key and value already in Kafka's bytes.</summary>
internal sealed record RestRecord(int? Partition, byte[]? Key, byte[]? Value, IReadOnlyList<KeyValuePair<string, byte[]?>>? Headers = null, long? Timestamp = null);
