namespace Tributary.Grains.Actors.Hosting;

/// <summary>Idempotent and transactional producer settings, Kafka's broker configs by another name.</summary>
public sealed class TransactionCoordinatorOptions
{
    /// <summary><c>producer.id.expiration.ms</c>: a partition forgets a producer idle this long. Default 1 day.</summary>
    public TimeSpan ProducerIdExpiration { get; set; } = TimeSpan.FromDays(1);

    /// <summary><c>transaction.max.timeout.ms</c>: the longest transaction timeout a producer may ask for. Default 15 minutes.</summary>
    public TimeSpan MaxTransactionTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// <c>transaction.abort.timed.out.transaction.cleanup.interval.ms</c>: how often a coordinator checks its open
    /// transaction against its timeout. Default 10 seconds.
    /// </summary>
    public TimeSpan TimeoutCheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// fsync every write of a transaction coordinator's state. Off by default: the state then survives a process
    /// crash, as the partitions' records do, and reaches the disk with the OS's writeback.
    /// </summary>
    public bool SyncStateWrites { get; set; }

    /// <summary>
    /// <c>transactional.id.expiration.ms</c>: a transactional id with no open transaction and no request for this long
    /// is forgotten (a producer that comes back gets a new producer id). Default 7 days.
    /// </summary>
    public TimeSpan TransactionalIdExpiration { get; set; } = TimeSpan.FromDays(7);

    /// <summary><c>transaction.remove.expired.transaction.cleanup.interval.ms</c>: how often expired ids are looked for. Default 1 hour.</summary>
    public TimeSpan ExpirationCheckInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Producer ids are taken from the durable counter this many at a time. Default 1000.</summary>
    public int ProducerIdBlockSize { get; set; } = 1000;
}
