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

        var (context, key) = ContextAndKey();
        var allocated = await GrainFactory.SchemaRegistry(context).NextIdAsync();
        var guid = GuidOf(key);

        // The id's schema and GUID are stored (at once, sharing the store's fsyncs) before the identity names the id,
        // so that an id found here always has its schema.
        await Task.WhenAll(
            GrainFactory.SchemaGuid(guid, context).SetIdAsync(allocated),
            GrainFactory.SchemaById(allocated, context).CreateAsync(definition, guid, usage));
        state.State.Id = allocated;
        await state.WriteStateAsync();
        return new SchemaIdentity(allocated, Created: true);
    }

    public async Task<bool> ImportAsync(int id, SchemaDefinition definition, SchemaUsage usage)
    {
        var (context, key) = ContextAndKey();
        var guid = GuidOf(key);
        if (!await GrainFactory.SchemaById(id, context).ImportAsync(definition, guid, usage))
        {
            return false;
        }

        if (state.State.Id is null)
        {
            await GrainFactory.SchemaGuid(guid, context).SetIdAsync(id);
            state.State.Id = id;
            await state.WriteStateAsync();
        }

        return true;
    }

    public Task<int?> FindAsync() => Task.FromResult(state.State.Id);

    /// <summary>The context (from the key's prefix) and the identity's key within it.</summary>
    private (string Context, string Key) ContextAndKey()
    {
        var key = QualifiedSubject.Parse(this.GetPrimaryKeyString());
        return (key.Context, key.Name);
    }

    /// <summary>A schema's GUID, from its identity's hash: the same schema has the same GUID on every registry and in every context.</summary>
    private static string GuidOf(string identityKey) =>
        new Guid(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(identityKey)).AsSpan(0, 16)).ToString("D");
}

[GenerateSerializer, Alias("Tributary.Grains.SchemaIdentityState")]
public sealed class SchemaIdentityState
{
    [Id(0)]
    public int? Id { get; set; }
}
