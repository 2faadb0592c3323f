using Orleans.Concurrency;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Actors.Persistence;
using Tributary.Grains.Interfaces.Connect;

namespace Tributary.Grains.Actors.Connect;

/// <summary>
/// The Connect cluster's list of connectors. Every silo asks it every few seconds to make sure each connector runs;
/// the calls of several silos share one round, so the connectors are called once per interval whatever the cluster's size.
/// </summary>
[Reentrant]
public sealed partial class ConnectClusterGrain(
    [PersistentState("connectors", GrainStorageNames.ControlPlane)] IPersistentState<ConnectClusterState> state,
    ILogger<ConnectClusterGrain> logger)
    : Grain, IConnectClusterGrain
{
    private Task? _round;

    public Task<IReadOnlyList<string>> ListAsync() =>
        Task.FromResult<IReadOnlyList<string>>([.. state.State.Connectors.Order(StringComparer.Ordinal)]);

    public async Task AddAsync(string connector)
    {
        if (state.State.Connectors.Add(connector))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(string connector)
    {
        if (state.State.Connectors.Remove(connector))
        {
            await state.WriteStateAsync();
        }
    }

    public Task EnsureRunningAsync()
    {
        if (_round is { IsCompleted: false } running)
        {
            return running;
        }

        _round = RoundAsync();
        return _round;
    }

    private async Task RoundAsync()
    {
        await Task.WhenAll(state.State.Connectors.ToList().Select(async name =>
        {
            try
            {
                await GrainFactory.GetGrain<IConnectorGrain>(name).EnsureRunningAsync();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogEnsureFailed(logger, e, name);
            }
        }));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connector {Connector} could not be checked; it is tried again in the next round")]
    private static partial void LogEnsureFailed(ILogger logger, Exception exception, string connector);
}

[GenerateSerializer, Alias("Tributary.Grains.ConnectClusterState")]
public sealed class ConnectClusterState
{
    [Id(0)]
    public HashSet<string> Connectors { get; set; } = new(StringComparer.Ordinal);
}
