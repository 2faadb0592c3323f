namespace Tributary.Grains.Storage.Log;

/// <summary>
/// Who wrote an append: only the platform itself may write control batches (transaction markers); batches replayed
/// from the log while it opens, and batches a follower copies from its leader, are taken without the producer checks
/// they passed when the leader first wrote them.
/// </summary>
public enum AppendOrigin
{
    Client,
    Coordinator,
    Recovery,

    /// <summary>A follower's copy of its leader's batches: offsets, leader epochs and producer fields kept as they are.</summary>
    Replication,
}
