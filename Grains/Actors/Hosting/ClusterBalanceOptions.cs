namespace Tributary.Grains.Actors.Hosting;

/// <summary>
/// The cluster's own replica balancing (<c>Tributary:Cluster</c>): while every partition is fully in sync, the acting
/// controller moves replicas and preferred leaderships until each broker has an even share, a few partitions at a
/// time (Kafka has no such thing; <c>ReplicaBalancer</c> plans the moves).
/// </summary>
public sealed class ClusterBalanceOptions
{
    /// <summary><c>Tributary:Cluster:AutoBalance</c>: whether a broker that joins gets its share of existing partitions. Default on.</summary>
    public bool AutoBalance { get; set; } = true;

    /// <summary><c>Tributary:Cluster:AutoBalanceInterval</c>: how often the balance is checked. Default 30 seconds, at least 1.</summary>
    public TimeSpan AutoBalanceInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>Tributary:Cluster:MaxConcurrentMoves</c>: how many partitions may be moving at once. Default 4, at least 1.</summary>
    public int MaxConcurrentMoves { get; set; } = 4;
}
