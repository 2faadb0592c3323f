using Microsoft.Extensions.Options;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.SchemaRegistry;

using Tributary.Grains.Actors.Persistence;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>The registry-wide settings, the subject list and the schema id counter: small, rarely written.</summary>
public sealed class SchemaRegistryGrain(
    [PersistentState("schema-registry", GrainStorageNames.ControlPlane)] IPersistentState<SchemaRegistryState> state,
    IOptions<TributaryOptions> options) : Grain, ISchemaRegistryGrain
{
    public Task<RegistryConfig> GetConfigAsync() =>
        Task.FromResult(new RegistryConfig(state.State.Compatibility ?? options.Value.SchemaRegistry.Compatibility.ToUpperInvariant(), state.State.Normalize));

    public async Task<bool> SetConfigAsync(RegistryConfig config)
    {
        if (config.Compatibility is not null && !CompatibilityLevels.TryParse(config.Compatibility, out _))
        {
            return false;
        }

        state.State.Compatibility = config.Compatibility ?? state.State.Compatibility;
        state.State.Normalize = config.Normalize ?? state.State.Normalize;
        await state.WriteStateAsync();
        return true;
    }

    public Task<IReadOnlyList<string>> GetSchemaTypesAsync() => Task.FromResult(SchemaFormats.Default.Types);

    public async Task<RegistryConfig> DeleteConfigAsync()
    {
        var previous = await GetConfigAsync();
        state.State.Compatibility = null;
        state.State.Normalize = null;
        await state.WriteStateAsync();
        return previous;
    }

    public Task<string> GetModeAsync() => Task.FromResult(state.State.Mode ?? "READWRITE");

    public async Task SetModeAsync(string mode)
    {
        state.State.Mode = mode;
        await state.WriteStateAsync();
    }

    public async Task UpdateSubjectAsync(string subject, bool? live)
    {
        var changed = live is { } value
            ? !state.State.Subjects.TryGetValue(subject, out var known) || known != value
            : state.State.Subjects.ContainsKey(subject);
        if (!changed)
        {
            return;
        }

        if (live is { } now)
        {
            state.State.Subjects[subject] = now;
        }
        else
        {
            state.State.Subjects.Remove(subject);
        }

        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<(string Subject, bool Live)>> GetSubjectsAsync() =>
        Task.FromResult<IReadOnlyList<(string, bool)>>(state.State.Subjects.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => (s.Key, s.Value)).ToList());

    public Task<int> GetMaxIdAsync() => Task.FromResult(state.State.LastId);

    public async Task<int> NextIdAsync()
    {
        state.State.LastId++;
        await state.WriteStateAsync();
        return state.State.LastId;
    }
}

[GenerateSerializer, Alias("Tributary.Grains.SchemaRegistryState")]
public sealed class SchemaRegistryState
{
    [Id(0)]
    public string? Compatibility { get; set; }

    [Id(1)]
    public bool? Normalize { get; set; }

    [Id(2)]
    public string? Mode { get; set; }

    [Id(3)]
    public Dictionary<string, bool> Subjects { get; set; } = new(StringComparer.Ordinal);

    [Id(4)]
    public int LastId { get; set; }
}
