using Tributary.Grains.KafkaFormats.Buffers;

namespace Tributary.Grains.Interfaces.Partitions;

/// <summary>
/// Fetch's answer for one partition: whole batches as stored, the partition's offsets, and for a read_committed read
/// the aborted transactions among the records returned (null otherwise). The records are <see cref="PooledBytes"/>:
/// whoever writes them out last releases them.
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Partitions.ReadResult")]
public sealed record ReadResult(
    [property: Id(0)] ErrorCode Error,
    [property: Id(1)] PooledBytes Records,
    [property: Id(2)] long HighWatermark,
    [property: Id(3)] long LastStableOffset,
    [property: Id(4)] long LogStartOffset,
    [property: Id(5)] IReadOnlyList<AbortedTransactionData>? AbortedTransactions = null);

/// <summary>An aborted transaction as Fetch lists it: its producer and first offset.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Partitions.AbortedTransactionData")]
public sealed record AbortedTransactionData([property: Id(0)] long ProducerId, [property: Id(1)] long FirstOffset);
