namespace Tributary.Grains.Interfaces.Partitions;

/// <summary>
/// The partition logs of one broker, for work on many partitions of a topic at once: one grain per broker, keyed by
/// its broker id and living on that broker's silo, so that it sees which logs are open and which directories exist
/// there. It calls only the partition grains that are active, never activates one for nothing, and runs a bounded
/// number of deletions at a time whatever the number of topics being deleted. When the broker is not a live member, a
/// call fails with <see cref="BrokerNotAvailableException"/>.
/// </summary>
[Alias("Tributary.Partitions.IBrokerLogsGrain")]
public interface IBrokerLogsGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Removes these partitions of a topic being deleted: an open log is closed by its grain, then every directory is
    /// removed. Returns once all are gone; cancelled (the topic's grain is deactivating, the silo stops), it starts no
    /// further deletion and returns at once, the rest being left to the deletion's resumption.
    /// </summary>
    [Alias("DeletePartitions")]
    Task DeletePartitionsAsync(string topic, IReadOnlyList<int> partitions, CancellationToken cancellation = default);

    /// <summary>
    /// The topic's configs changed: each of these partitions whose log is open here runs on <paramref name="configs"/>
    /// from its next append (a closed one reads them when it opens).
    /// </summary>
    [Alias("UpdateConfigs")]
    Task UpdateConfigsAsync(string topic, IReadOnlyList<int> partitions, IReadOnlyDictionary<string, string> configs);

    /// <summary>
    /// The logs of these partitions of a topic on this broker, led or followed: an open log's size and lag, a closed
    /// one's size on disk, 0 for a replica whose log was never written here. Opens nothing.
    /// </summary>
    [Alias("DescribeLogs")]
    Task<IReadOnlyList<ReplicaLogSize>> DescribeLogsAsync(string topic, IReadOnlyList<int> partitions);
}
