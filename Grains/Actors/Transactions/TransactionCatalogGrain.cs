using Tributary.Grains.Interfaces.Transactions;

using Tributary.Grains.Actors.Persistence;

namespace Tributary.Grains.Actors.Transactions;

/// <summary>
/// The known transactional ids. Stored: each id with its producer id (written when an id appears or gets a new producer
/// id). Held in memory: each coordinator's current state, reported on every step; after a restart the states come back
/// as the coordinators are woken (see <see cref="TransactionRecovery"/>).
/// </summary>
public sealed class TransactionCatalogGrain(
    [PersistentState("transactional-ids", GrainStorageNames.ControlPlane)] IPersistentState<TransactionCatalogState> state)
    : Grain, ITransactionCatalogGrain
{
    private readonly Dictionary<string, string> _states = new(StringComparer.Ordinal);

    public async Task UpdateAsync(TransactionListing listing)
    {
        _states[listing.TransactionalId] = listing.State;
        if (!state.State.ProducerIds.TryGetValue(listing.TransactionalId, out var known) || known != listing.ProducerId)
        {
            state.State.ProducerIds[listing.TransactionalId] = listing.ProducerId;
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(string transactionalId)
    {
        _states.Remove(transactionalId);
        if (state.State.ProducerIds.Remove(transactionalId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<TransactionListing>> ListAsync() =>
        Task.FromResult<IReadOnlyList<TransactionListing>>(state.State.ProducerIds
            .Select(p => new TransactionListing(p.Key, p.Value, _states.GetValueOrDefault(p.Key, "")))
            .OrderBy(l => l.TransactionalId, StringComparer.Ordinal)
            .ToList());
}

[GenerateSerializer, Alias("Tributary.Grains.TransactionCatalogState")]
public sealed class TransactionCatalogState
{
    [Id(0)]
    public Dictionary<string, long> ProducerIds { get; set; } = new(StringComparer.Ordinal);
}
