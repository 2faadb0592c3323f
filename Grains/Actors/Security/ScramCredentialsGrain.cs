using Tributary.Grains.Actors.Persistence;
using Tributary.Grains.Interfaces.Security;
using Tributary.Grains.KafkaFormats.Security;
using Tributary.Grains.Security;

namespace Tributary.Grains.Actors.Security;

/// <summary>
/// A thin adapter over <see cref="ScramCredentialStore"/>: a change is made on a copy, stored, and only then served,
/// so that reads (which interleave) never see a credential that a failed write did not keep.
/// </summary>
public sealed class ScramCredentialsGrain(
    [PersistentState("scram-credentials", GrainStorageNames.ControlPlane)] IPersistentState<ScramCredentialsState> state)
    : Grain, IScramCredentialsGrain
{
    private ScramCredentialStore _store = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _store = new ScramCredentialStore(state.State.Users);
        return Task.CompletedTask;
    }

    public Task<ScramCredential?> FindAsync(string user, sbyte mechanism) => Task.FromResult(_store.Find(user, mechanism));

    public Task<IReadOnlyList<ScramUser>> DescribeAsync(IReadOnlyList<string>? users) => Task.FromResult(_store.Describe(users));

    public async Task<IReadOnlyList<ScramUserResult>> AlterAsync(IReadOnlyList<ScramAlteration> alterations)
    {
        var copy = _store.Users.ToDictionary(u => u.Key, u => new Dictionary<sbyte, ScramCredential>(u.Value), StringComparer.Ordinal);
        var changed = new ScramCredentialStore(copy);
        var results = changed.Alter(alterations);
        if (results.Any(r => r.Error == Tributary.Grains.KafkaFormats.ErrorCode.None))
        {
            await state.WriteOrForgetAsync(new ScramCredentialsState { Users = copy }, DeactivateOnIdle);

            _store = changed;
        }

        return results;
    }
}

[GenerateSerializer, Alias("Tributary.Security.ScramCredentialsState")]
public sealed class ScramCredentialsState
{
    [Id(0)]
    public Dictionary<string, Dictionary<sbyte, ScramCredential>> Users { get; set; } = new(StringComparer.Ordinal);
}
