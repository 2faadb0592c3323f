namespace Tributary.Grains.Interfaces.Transactions;

[GenerateSerializer, Immutable, Alias("Tributary.Transactions.InitProducerIdResult")]
public sealed record InitProducerIdResult([property: Id(0)] ErrorCode Error, [property: Id(1)] long ProducerId, [property: Id(2)] short ProducerEpoch);

[GenerateSerializer, Immutable, Alias("Tributary.Transactions.TransactionPartition")]
public sealed record TransactionPartition([property: Id(0)] string Topic, [property: Id(1)] int Partition);

/// <summary>A transactional id as DescribeTransactions reports it; states are Kafka's names (Empty, Ongoing, PrepareCommit, ...).</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Transactions.TransactionDescription")]
public sealed record TransactionDescription(
    [property: Id(0)] string TransactionalId,
    [property: Id(1)] string State,
    [property: Id(2)] long ProducerId,
    [property: Id(3)] short ProducerEpoch,
    [property: Id(4)] int TimeoutMs,
    [property: Id(5)] long StartTimestampMs,
    [property: Id(6)] IReadOnlyList<TransactionPartition> Partitions);

[GenerateSerializer, Immutable, Alias("Tributary.Transactions.TransactionListing")]
public sealed record TransactionListing([property: Id(0)] string TransactionalId, [property: Id(1)] long ProducerId, [property: Id(2)] string State);
