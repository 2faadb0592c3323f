using Tributary.Grains.Interfaces.Brokers;

using Tributary.Grains.Actors.Persistence;

namespace Tributary.Grains.Actors.Brokers;

/// <summary>
/// Broker endpoints and racks in the control-plane store, so a restarted silo's gateway can name every broker at once
/// and topics can place replicas by rack, and the brokers being retired, whose replicas the cluster moves away.
/// </summary>
public sealed class BrokerRegistryGrain(
    [PersistentState("brokers", GrainStorageNames.ControlPlane)] IPersistentState<BrokerRegistryState> state)
    : Grain, IBrokerRegistryGrain
{
    public async Task RegisterAsync(BrokerEndpoint endpoint)
    {
        // A retired broker that starts again takes replicas again.
        var undrained = state.State.Draining.Remove(endpoint.BrokerId);
        if (!undrained && state.State.Brokers.TryGetValue(endpoint.BrokerId, out var known) && known == endpoint)
        {
            return;
        }

        state.State.Brokers[endpoint.BrokerId] = endpoint;
        await state.WriteStateAsync();
    }

    public async Task<bool> DrainAsync(int brokerId)
    {
        if (!state.State.Brokers.ContainsKey(brokerId))
        {
            return false;
        }

        if (state.State.Draining.Add(brokerId))
        {
            await state.WriteStateAsync();
        }

        return true;
    }

    public Task<IReadOnlySet<int>> DrainingAsync() => Task.FromResult<IReadOnlySet<int>>(state.State.Draining.ToHashSet());

    public Task<IReadOnlyList<BrokerEndpoint>> ListAsync() =>
        Task.FromResult<IReadOnlyList<BrokerEndpoint>>(state.State.Brokers.Values.OrderBy(b => b.BrokerId).ToList());
}
