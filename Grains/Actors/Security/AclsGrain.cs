using Tributary.Grains.Actors.Persistence;
using Tributary.Grains.Interfaces.Security;
using Tributary.Grains.KafkaFormats.Security;
using Tributary.Grains.Security;

namespace Tributary.Grains.Actors.Security;

/// <summary>
/// A thin adapter over <see cref="AclStore"/>, one per <see cref="AclScope"/> (its key): a change is made on a copy, stored, and only then served, so that reads
/// (which interleave) never see an ACL that a failed write did not keep, and a version is never served twice with
/// different ACLs.
/// </summary>
public sealed class AclsGrain(
    [PersistentState("acls", GrainStorageNames.ControlPlane)] IPersistentState<AclsState> state)
    : Grain, IAclsGrain
{
    private AclStore _store = null!;
    private AclSnapshot _snapshot = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Serve(new AclStore(state.State.Bindings, state.State.Version, Scope));
        return Task.CompletedTask;
    }

    public Task<AclSnapshot?> GetIfChangedAsync(long knownVersion) =>
        Task.FromResult(knownVersion == _snapshot.Version ? null : _snapshot);

    public async Task<IReadOnlyList<AclCreationOutcome>> CreateAsync(IReadOnlyList<AclBinding> bindings)
    {
        var copy = new AclStore(_store.Bindings, _store.Version, Scope);
        var outcomes = copy.Create(bindings).Select(r => new AclCreationOutcome(r.Error, r.Message)).ToList();
        await KeepAsync(copy);
        return outcomes;
    }

    public async Task<IReadOnlyList<AclFilterOutcome>> DeleteAsync(IReadOnlyList<AclBindingFilter> filters)
    {
        var copy = new AclStore(_store.Bindings, _store.Version, Scope);
        var outcomes = copy.Delete(filters).Select(r => new AclFilterOutcome(r.Error, r.Message, r.Deleted)).ToList();
        await KeepAsync(copy);
        return outcomes;
    }

    public Task<AclFilterOutcome> DescribeAsync(AclBindingFilter filter)
    {
        var (error, message, bindings) = _store.Describe(filter);
        return Task.FromResult(new AclFilterOutcome(error, message, bindings));
    }

    private AclScope Scope => (AclScope)this.GetPrimaryKeyLong();

    private async Task KeepAsync(AclStore changed)
    {
        if (changed.Version == _store.Version)
        {
            return;
        }

        await state.WriteOrForgetAsync(new AclsState { Bindings = [.. changed.Bindings], Version = changed.Version }, DeactivateOnIdle);

        Serve(changed);
    }

    private void Serve(AclStore store)
    {
        _store = store;
        _snapshot = new AclSnapshot(store.Version, [.. store.Bindings]);
    }
}

[GenerateSerializer, Alias("Tributary.Security.AclsState")]
public sealed class AclsState
{
    [Id(0)]
    public List<AclBinding> Bindings { get; set; } = [];

    [Id(1)]
    public long Version { get; set; }
}
