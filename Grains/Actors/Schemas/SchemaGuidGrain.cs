using Tributary.Grains.Interfaces.Schemas;

using Tributary.Grains.Actors.Persistence;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>A schema GUID's id.</summary>
public sealed class SchemaGuidGrain(
    [PersistentState("schema-guid", GrainStorageNames.ControlPlane)] IPersistentState<SchemaGuidState> state) : Grain, ISchemaGuidGrain
{
    public async Task SetIdAsync(int id)
    {
        state.State.Id = id;
        await state.WriteStateAsync();
    }

    public Task<int?> GetIdAsync() => Task.FromResult(state.State.Id);
}

[GenerateSerializer, Alias("Tributary.Grains.SchemaGuidState")]
public sealed class SchemaGuidState
{
    [Id(0)]
    public int? Id { get; set; }
}
