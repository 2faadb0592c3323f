using Tributary.Grains.Interfaces.Schemas;

using Tributary.Grains.Actors.Persistence;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>
/// The id of one schema identity. Not reentrant, so two subjects registering the same new schema at once get one id:
/// the first allocates it (and creates the schema's by-id and GUID grains) before the second is answered.
/// </summary>
public sealed class SchemaIdentityGrain(
    [PersistentState("schema-identity", GrainStorageNames.ControlPlane)] IPersistentState<SchemaIdentityState> state) : Grain, ISchemaIdentityGrain
{
    public async Task<SchemaIdentity> GetOrCreateIdAsync(SchemaDefinition definition, SchemaUsage usage)
    {
        if (state.State.Id is { } id)
        {
            return new SchemaIdentity(id, Created: false);
        }

        var allocated = await GrainFactory.GetGrain<ISchemaRegistryGrain>(0).NextIdAsync();
        var guid = GuidOf(this.GetPrimaryKeyString());

        // The id's schema and GUID are stored (at once, sharing the store's fsyncs) before the identity names the id,
        // so that an id found here always has its schema.
        await Task.WhenAll(
            GrainFactory.GetGrain<ISchemaGuidGrain>(guid).SetIdAsync(allocated),
            GrainFactory.GetGrain<ISchemaByIdGrain>(allocated).CreateAsync(definition, guid, usage));
        state.State.Id = allocated;
        await state.WriteStateAsync();
        return new SchemaIdentity(allocated, Created: true);
    }

    public async Task<bool> ImportAsync(int id, SchemaDefinition definition, SchemaUsage usage)
    {
        var guid = GuidOf(this.GetPrimaryKeyString());
        if (!await GrainFactory.GetGrain<ISchemaByIdGrain>(id).ImportAsync(definition, guid, usage))
        {
            return false;
        }

        if (state.State.Id is null)
        {
            await GrainFactory.GetGrain<ISchemaGuidGrain>(guid).SetIdAsync(id);
            state.State.Id = id;
            await state.WriteStateAsync();
        }

        return true;
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
