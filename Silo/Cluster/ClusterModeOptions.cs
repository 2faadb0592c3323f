namespace Tributary.Silo.Cluster;

/// <summary>How silos find each other.</summary>
public enum MembershipKind
{
    /// <summary>One silo on loopback, no shared store: the embedded default.</summary>
    Localhost,

    /// <summary>Orleans membership in Redis.</summary>
    Redis,

    /// <summary>Orleans membership in an Azure Storage table (or Azurite).</summary>
    AzureTable,
}

/// <summary>Where control-plane grain state (topics, groups, schemas, transactions) is kept.</summary>
public enum GrainStorageKind
{
    /// <summary>Files under the data directory; right for one silo only.</summary>
    File,

    Redis,

    AzureBlob,

    AzureTable,
}

/// <summary>
/// Cluster mode (section <c>Tributary:Cluster</c>): the membership provider that joins silo processes into one
/// cluster and the shared store that holds control-plane state, so that grains other than partitions can move
/// between silos.
/// </summary>
public sealed class ClusterModeOptions
{
    public const string Section = "Tributary:Cluster";

    /// <summary>Membership provider. Default <see cref="MembershipKind.Localhost"/>.</summary>
    public MembershipKind Membership { get; set; } = MembershipKind.Localhost;

    /// <summary>The membership store: a StackExchange.Redis configuration string or an Azure Storage connection string.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Grain storage. Default: files with localhost membership, Redis with Redis, Azure Blob with Azure Table.</summary>
    public GrainStorageKind? Storage { get; set; }

    /// <summary>The grain store's connection string. Default: <see cref="ConnectionString"/>.</summary>
    public string? StorageConnectionString { get; set; }

    public GrainStorageKind EffectiveStorage => Storage ?? Membership switch
    {
        MembershipKind.Redis => GrainStorageKind.Redis,
        MembershipKind.AzureTable => GrainStorageKind.AzureBlob,
        _ => GrainStorageKind.File,
    };

    public string? EffectiveStorageConnectionString => StorageConnectionString ?? ConnectionString;

    /// <summary>Why these options cannot start a silo, or null.</summary>
    public string? Validate()
    {
        if (Membership != MembershipKind.Localhost && string.IsNullOrWhiteSpace(ConnectionString))
        {
            return $"{Section}:ConnectionString is required with {Section}:Membership={Membership}.";
        }

        if (Membership != MembershipKind.Localhost && EffectiveStorage == GrainStorageKind.File)
        {
            return $"{Section}:Storage=File keeps state on one silo's disk; a cluster needs a shared store (Redis, AzureBlob or AzureTable).";
        }

        if (EffectiveStorage != GrainStorageKind.File && string.IsNullOrWhiteSpace(EffectiveStorageConnectionString))
        {
            return $"{Section}:StorageConnectionString (or {Section}:ConnectionString) is required with {Section}:Storage={EffectiveStorage}.";
        }

        return null;
    }
}
