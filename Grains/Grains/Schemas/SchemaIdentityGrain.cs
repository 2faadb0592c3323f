using Tributary.Grains.Interfaces.Schemas;

namespace Tributary.Grains.Schemas;

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
        await GrainFactory.GetGrain<ISchemaByIdGrain>(allocated).CreateAsync(definition);
        state.State.Id = allocated;
        await state.WriteStateAsync();
        return allocated;
    }

    public Task<int?> FindAsync() => Task.FromResult(state.State.Id);
}

[GenerateSerializer, Alias("Tributary.Grains.SchemaIdentityState")]
public sealed class SchemaIdentityState
{
    [Id(0)]
    public int? Id { get; set; }
}
