namespace Tributary.Grains;

/// <summary>Names of the grain storage providers the grains use; the host binds each to a real store.</summary>
public static class GrainStorageNames
{
    /// <summary>Control-plane state: topics, and later groups, schemas and connectors.</summary>
    public const string ControlPlane = "tributary";
}
