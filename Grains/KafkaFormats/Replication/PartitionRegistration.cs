using Orleans;

namespace Tributary.Grains.KafkaFormats.Replication;

/// <summary>
/// A partition's replication state as the controller holds it, after KRaft's PartitionRegistration: its replicas in
/// preference order (the first is the preferred leader), the in-sync replicas, the leader (<see cref="NoLeader"/> when
/// none is eligible), the leader epoch (raised at every leader change: it fences a deposed leader's appends and
/// tells followers to check for a divergent tail) and the partition epoch (raised at every change: the version a
/// compare-and-set checks).
/// <para>Invariants: the ISR is a subset of the replicas; a leader, when there is one, is in the ISR; epochs never go
/// down. During a reassignment (Kafka's AlterPartitionReassignments) the replicas are the target's followed by the
/// ones being removed, <see cref="AddingReplicas"/> and <see cref="RemovingReplicas"/> say which are which, and the
/// reassignment completes when every added replica is in the ISR. Immutable: a change makes a new registration. It crosses grain boundaries as it is (the controller's state,
/// Metadata's replicas and ISR, the replica managers' orders).</para>
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Replication.PartitionRegistration")]
public sealed record PartitionRegistration(
    [property: Id(0)] IReadOnlyList<int> Replicas,
    [property: Id(1)] IReadOnlyList<int> Isr,
    [property: Id(2)] int Leader,
    [property: Id(3)] int LeaderEpoch,
    [property: Id(4)] int PartitionEpoch)
{
    public const int NoLeader = -1;

    /// <summary>Replicas a reassignment adds: they fetch from the leader and join the ISR before it completes.</summary>
    [Id(5)]
    public IReadOnlyList<int> AddingReplicas { get; init; } = [];

    /// <summary>Replicas a reassignment removes once every added replica is in sync (they stay replicas until then).</summary>
    [Id(6)]
    public IReadOnlyList<int> RemovingReplicas { get; init; } = [];

    /// <summary>How many replicas the partition has once its reassignment, if any, completes: its replication factor.</summary>
    public int ReplicationFactor => Replicas.Count - RemovingReplicas.Count;

    /// <summary>True while a reassignment is in progress.</summary>
    public bool IsReassigning => AddingReplicas.Count > 0 || RemovingReplicas.Count > 0;

    /// <summary>A new partition on <paramref name="replicas"/>: all in sync, the first leading, epochs 0.</summary>
    public static PartitionRegistration New(IReadOnlyList<int> replicas)
    {
        ArgumentOutOfRangeException.ThrowIfZero(replicas.Count);
        if (replicas.Distinct().Count() != replicas.Count)
        {
            throw new ArgumentException("A partition's replicas are distinct brokers.", nameof(replicas));
        }

        return new PartitionRegistration([.. replicas], [.. replicas], replicas[0], 0, 0);
    }

    /// <summary>True when the partition has no leader: it is offline.</summary>
    public bool IsOffline => Leader == NoLeader;

    /// <summary>Whether the ISR equals <paramref name="isr"/> as a set.</summary>
    public bool HasIsr(IEnumerable<int> isr) => Isr.Order().SequenceEqual(isr.Order());

    public override string ToString() =>
        $"replicas [{string.Join(",", Replicas)}] isr [{string.Join(",", Isr)}] leader {Leader} leaderEpoch {LeaderEpoch} partitionEpoch {PartitionEpoch}"
        + (IsReassigning ? $" adding [{string.Join(",", AddingReplicas)}] removing [{string.Join(",", RemovingReplicas)}]" : "");
}
