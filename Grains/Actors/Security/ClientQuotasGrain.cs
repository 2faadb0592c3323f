using Tributary.Grains.Actors.Persistence;
using Tributary.Grains.Interfaces.Security;
using Tributary.Grains.KafkaFormats.Quotas;
using Tributary.Grains.Security;

namespace Tributary.Grains.Actors.Security;

/// <summary>
/// A thin adapter over <see cref="ClientQuotaStore"/>: a change is made on a copy, stored, and only then served, so
/// that reads (which interleave) never see a quota that a failed write did not keep.
/// </summary>
public sealed class ClientQuotasGrain(
    [PersistentState("client-quotas", GrainStorageNames.ControlPlane)] IPersistentState<ClientQuotasState> state)
    : Grain, IClientQuotasGrain
{
    private ClientQuotaSnapshot _snapshot = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _snapshot = new ClientQuotaSnapshot(state.State.Version, [.. state.State.Entries]);
        return Task.CompletedTask;
    }

    public Task<ClientQuotaSnapshot?> GetIfChangedAsync(long knownVersion) =>
        Task.FromResult(knownVersion == _snapshot.Version ? null : _snapshot);

    public async Task<IReadOnlyList<ClientQuotaAlterationOutcome>> AlterAsync(IReadOnlyList<ClientQuotaAlteration> alterations, bool validateOnly)
    {
        var copy = new ClientQuotaStore(_snapshot.Entries, _snapshot.Version);
        var outcomes = copy.Alter(alterations, validateOnly);
        if (copy.Version == _snapshot.Version)
        {
            return outcomes;
        }

        await state.WriteOrForgetAsync(new ClientQuotasState { Entries = [.. copy.Entries], Version = copy.Version }, DeactivateOnIdle);

        _snapshot = new ClientQuotaSnapshot(copy.Version, copy.Entries);
        return outcomes;
    }
}

[GenerateSerializer, Alias("Tributary.Security.ClientQuotasState")]
public sealed class ClientQuotasState
{
    [Id(0)]
    public List<ClientQuotaEntry> Entries { get; set; } = [];

    [Id(1)]
    public long Version { get; set; }
}
