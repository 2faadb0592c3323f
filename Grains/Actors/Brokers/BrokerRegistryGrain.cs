using Tributary.Grains.Interfaces.Brokers;

using Tributary.Grains.Actors.Persistence;

namespace Tributary.Grains.Actors.Brokers;

/// <summary>
/// Broker endpoints and racks in the control-plane store, so a restarted silo's gateway can name every broker at once
/// and topics can place replicas by rack.
/// </summary>
public sealed class BrokerRegistryGrain(
    [PersistentState("brokers", GrainStorageNames.ControlPlane)] IPersistentState<BrokerRegistryState> state)
    : Grain, IBrokerRegistryGrain
{
    public async Task RegisterAsync(BrokerEndpoint endpoint)
    {
        if (state.State.Brokers.TryGetValue(endpoint.BrokerId, out var known) && known == endpoint)
        {
            return;
        }

        state.State.Brokers[endpoint.BrokerId] = endpoint;
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<BrokerEndpoint>> ListAsync() =>
        Task.FromResult<IReadOnlyList<BrokerEndpoint>>(state.State.Brokers.Values.OrderBy(b => b.BrokerId).ToList());
}
