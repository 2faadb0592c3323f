using System.Collections.Concurrent;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Grains.Replication;

namespace Tributary.Grains.Actors.Replication;

/// <summary>
/// The partitions this silo leads now: each partition grain registers its <see cref="LeaderReplica"/> while it is
/// active, so that the broker's <see cref="ReplicaFetchGrain"/> answers followers from the leaders themselves, with no
/// grain call per partition, and the <see cref="ReplicaManager"/> knows when a leader here must resign first.
/// </summary>
public sealed class LocalLeaders
{
    private readonly ConcurrentDictionary<ReplicaKey, LeaderReplica> _leaders = new();

    public void Add(ReplicaKey key, LeaderReplica leader) => _leaders[key] = leader;

    /// <summary>Removes <paramref name="leader"/>, not a newer leader of the same partition registered since.</summary>
    public void Remove(ReplicaKey key, LeaderReplica leader) => _leaders.TryRemove(new KeyValuePair<ReplicaKey, LeaderReplica>(key, leader));

    public LeaderReplica? Find(ReplicaKey key) => _leaders.GetValueOrDefault(key);

    public int Count => _leaders.Count;
}
