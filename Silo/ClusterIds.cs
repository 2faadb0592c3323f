namespace Tributary.Silo;

/// <summary>The Kafka cluster id clients see: opaque to them, stable for a deployment.</summary>
public static class ClusterIds
{
    /// <summary>For the embedded single-broker platform, where no cluster id is configured.</summary>
    public const string Default = "tributary-embedded-000";
}
