namespace Tributary.Grains.Interfaces.Connect;

/// <summary>
/// The Connect cluster's list of connectors (one grain, key 0), stored durably. Every silo calls
/// <see cref="EnsureRunningAsync"/> every few seconds, which calls each connector's, so that connectors and tasks run
/// again within seconds of a silo's death or of the cluster's start, whichever silo survives.
/// </summary>
[Alias("Tributary.Connect.IConnectClusterGrain")]
public interface IConnectClusterGrain : IGrainWithIntegerKey
{
    [Alias("List")]
    Task<IReadOnlyList<string>> ListAsync();

    [Alias("Add")]
    Task AddAsync(string connector);

    [Alias("Remove")]
    Task RemoveAsync(string connector);

    [Alias("EnsureRunning")]
    Task EnsureRunningAsync();
}

/// <summary>
/// The plug-ins this cluster runs (a stateless worker on each silo): lists them, describes their configs and validates
/// connector configs without creating anything (<c>/connector-plugins</c>).
/// </summary>
[Alias("Tributary.Connect.IConnectPluginsGrain")]
public interface IConnectPluginsGrain : IGrainWithIntegerKey
{
    [Alias("List")]
    Task<IReadOnlyList<ConnectPluginInfo>> ListAsync(bool connectorsOnly);

    /// <summary>A plug-in's config keys; 404 for a plug-in not known.</summary>
    [Alias("GetConfig")]
    Task<ConnectResult<IReadOnlyList<ConfigKeyInfo>>> GetConfigAsync(string plugin);

    /// <summary>A connector config checked as creating it would (<c>config/validate</c>); 400 without <c>connector.class</c>.</summary>
    [Alias("Validate")]
    Task<ConnectResult<ConfigInfos>> ValidateAsync(IReadOnlyDictionary<string, string> config);
}

/// <summary>
/// A source connector's offsets (key: the connector's name), stored durably: for each source partition (a JSON object's
/// canonical text) the latest offset written. Kafka keeps them in <c>connect-offsets</c>; here they are the grain's state.
/// </summary>
[Alias("Tributary.Connect.ISourceOffsetsGrain")]
public interface ISourceOffsetsGrain : IGrainWithStringKey
{
    [Alias("GetAll")]
    Task<IReadOnlyList<ConnectorOffset>> GetAllAsync();

    /// <summary>The offsets of these partitions (canonical JSON); partitions without one are left out.</summary>
    [Alias("Get")]
    Task<IReadOnlyList<ConnectorOffset>> GetAsync(IReadOnlyList<string> partitions);

    /// <summary>Stores offsets; a null offset removes its partition.</summary>
    [Alias("Commit")]
    Task CommitAsync(IReadOnlyList<ConnectorOffset> offsets);

    [Alias("Clear")]
    Task ClearAsync();
}
