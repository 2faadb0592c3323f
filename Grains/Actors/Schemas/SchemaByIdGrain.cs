using Tributary.Grains.Interfaces.Schemas;

using Tributary.Grains.Actors.Persistence;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>One schema id: its definition, written once, and the subject versions that use it.</summary>
public sealed class SchemaByIdGrain(
    [PersistentState("schema", GrainStorageNames.ControlPlane)] IPersistentState<SchemaByIdState> state) : Grain, ISchemaByIdGrain
{
    public Task<StoredSchema?> GetAsync() =>
        Task.FromResult(state.State.Definition is { } definition ? new StoredSchema(definition, state.State.Guid) : null);

    public async Task CreateAsync(SchemaDefinition definition, string guid, SchemaUsage usage)
    {
        if (state.State.Definition is null)
        {
            state.State.Definition = definition;
            state.State.Guid = guid;
            state.State.Usages.RemoveAll(u => u.Subject == usage.Subject && u.Version == usage.Version);
            state.State.Usages.Add(usage);
            await state.WriteStateAsync();
        }
        else
        {
            await SetUsageAsync(usage.Subject, usage.Version, usage.Deleted);
        }
    }

    public async Task<bool> ImportAsync(SchemaDefinition definition, string guid, SchemaUsage usage)
    {
        if (state.State.Definition is { } existing && !SameSchema(existing, definition))
        {
            return false;
        }

        await CreateAsync(definition, guid, usage);
        return true;
    }

    private static bool SameSchema(SchemaDefinition a, SchemaDefinition b) =>
        a.SchemaType == b.SchemaType && a.Schema == b.Schema && a.References.SequenceEqual(b.References)
        && DataContracts.Canonical(a.Metadata, a.RuleSet) == DataContracts.Canonical(b.Metadata, b.RuleSet);

    public Task<IReadOnlyList<SchemaUsage>> GetUsagesAsync() =>
        Task.FromResult<IReadOnlyList<SchemaUsage>>(state.State.Usages.OrderBy(u => u.Subject, StringComparer.Ordinal).ThenBy(u => u.Version).ToList());

    public async Task SetUsageAsync(string subject, int version, bool? deleted)
    {
        state.State.Usages.RemoveAll(u => u.Subject == subject && u.Version == version);
        if (deleted is { } flag)
        {
            state.State.Usages.Add(new SchemaUsage(subject, version, flag));
        }

        await state.WriteStateAsync();
    }
}

[GenerateSerializer, Alias("Tributary.Grains.SchemaByIdState")]
public sealed class SchemaByIdState
{
    [Id(0)]
    public SchemaDefinition? Definition { get; set; }

    [Id(1)]
    public List<SchemaUsage> Usages { get; set; } = [];

    [Id(2)]
    public string Guid { get; set; } = "";
}
