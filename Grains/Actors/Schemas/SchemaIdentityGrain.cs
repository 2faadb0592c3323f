using Tributary.Grains.Interfaces.Schemas;

using Tributary.Grains.Actors.Persistence;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>
/// The id of one schema identity. Not reentrant, so two subjects registering the same new schema at once get one id:
/// the first allocates it (and creates the schema's by-id grain) before the second is answered.
/// </summary>
public sealed class SchemaIdentityGrain(
    [PersistentState("schema-identity", GrainStorageNames.ControlPlane)] IPersistentState<SchemaIdentityState> state) : Grain, ISchemaIdentityGrain
{
    public async Task<int> GetOrCreateIdAsync(SchemaDefinition definition)
    {
        if (state.State.Id is { } id)
        {
            return id;
        }

        var allocated = await GrainFactory.GetGrain<ISchemaRegistryGrain>(0).NextIdAsync();
        var guid = GuidOf(this.GetPrimaryKeyString());
        await GrainFactory.GetGrain<ISchemaGuidGrain>(guid).SetIdAsync(allocated);
        await GrainFactory.GetGrain<ISchemaByIdGrain>(allocated).CreateAsync(definition, guid);
        state.State.Id = allocated;
        await state.WriteStateAsync();
        return allocated;
    }

    public Task<int?> FindAsync() => Task.FromResult(state.State.Id);

    /// <summary>A schema's GUID, from its identity's hash: the same schema has the same GUID on every registry.</summary>
    private static string GuidOf(string identityKey) =>
        new Guid(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(identityKey)).AsSpan(0, 16)).ToString("D");
}

[GenerateSerializer, Alias("Tributary.Grains.SchemaIdentityState")]
public sealed class SchemaIdentityState
{
    [Id(0)]
    public int? Id { get; set; }
}
