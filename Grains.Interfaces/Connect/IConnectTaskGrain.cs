namespace Tributary.Grains.Interfaces.Connect;

/// <summary>
/// A task's config as its connector hands it over: the connector's config (for converters, transforms, errors), the
/// task's own config, the generation of the connector's task configs, whether to run or stay paused, how many times
/// it was asked to restart, and for a sink task the partitions it reads (the connector spreads them over its tasks).
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Connect.ConnectTaskAssignment")]
public sealed record ConnectTaskAssignment(
    [property: Id(0)] IReadOnlyDictionary<string, string> ConnectorConfig,
    [property: Id(1)] IReadOnlyDictionary<string, string> TaskConfig,
    [property: Id(2)] int Generation,
    [property: Id(3)] bool Paused,
    [property: Id(4)] int RestartCount,
    [property: Id(5)] IReadOnlyList<Groups.GroupTopicPartition> Partitions);

/// <summary>
/// One task of a connector (key: the task's index, extension: the connector's name), placed on any silo. It runs the
/// task from its last committed offsets for as long as its connector keeps calling <see cref="RunAsync"/>; when its
/// silo dies, the next call starts it on another.
/// </summary>
[Alias("Tributary.Connect.IConnectTaskGrain")]
public interface IConnectTaskGrain : IGrainWithIntegerCompoundKey
{
    /// <summary>Runs the task with this assignment (idempotent); a new generation or restart count restarts it.</summary>
    [Alias("Run")]
    Task<ConnectInstanceState> RunAsync(ConnectTaskAssignment assignment);

    /// <summary>Stops the task and lets the grain go; waits until the task has stopped and committed what it could.</summary>
    [Alias("Stop"), ResponseTimeout("00:01:00")]
    Task StopAsync();

    [Alias("GetState")]
    Task<ConnectInstanceState> GetStateAsync();
}

public static class ConnectTaskKeys
{
    public static IConnectTaskGrain Get(IGrainFactory grains, string connector, int task) => grains.GetGrain<IConnectTaskGrain>(task, connector);
}
