namespace Tributary.Grains.Actors.Persistence;

/// <summary>Names of the grain storage providers the grains use; the host binds each to a real store.</summary>
public static class GrainStorageNames
{
    /// <summary>Control-plane state: topics, and later groups, schemas and connectors.</summary>
    public const string ControlPlane = "tributary";

    /// <summary>
    /// Transaction coordinators' state, written on every step of every transaction: atomic like the control plane,
    /// fsynced only when configured (<c>Tributary:Transactions:SyncStateWrites</c>), as Kafka's transaction log is
    /// flushed like any other topic.
    /// </summary>
    public const string Transactions = "tributary-transactions";
}
