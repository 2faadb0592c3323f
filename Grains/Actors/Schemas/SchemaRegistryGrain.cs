using Microsoft.Extensions.Options;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.SchemaRegistry;

using Tributary.Grains.Actors.Persistence;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>
/// The registry-wide settings, the subject list and the schema id counter: small, rarely written. Reads interleave
/// with everything; ids are reserved durably <see cref="IdBlock"/> at a time and handed out from memory, so a
/// registration costs this grain no write (a subject's first version or last live one updates the subject list).
/// </summary>
public sealed class SchemaRegistryGrain(
    [PersistentState("schema-registry", GrainStorageNames.ControlPlane)] IPersistentState<SchemaRegistryState> state,
    IOptions<TributaryOptions> options) : Grain, ISchemaRegistryGrain
{
    /// <summary>Ids reserved per durable write. Confluent's registry reserves ids in batches too (20 per batch).</summary>
    private const int IdBlock = 100;

    private int _lastId;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Ids up to the reserved one may have been handed out before a crash: an activation starts above it.
        _lastId = Math.Max(state.State.LastId, state.State.ReservedId);
        return Task.CompletedTask;
    }

    public Task<RegistryDefaults> GetDefaultsAsync() => Task.FromResult(new RegistryDefaults(
        state.State.Compatibility ?? options.Value.SchemaRegistry.Compatibility.ToUpperInvariant(), state.State.Mode ?? "READWRITE",
        state.State.DefaultMetadata, state.State.OverrideMetadata, state.State.DefaultRuleSet, state.State.OverrideRuleSet));

    public Task<RegistryConfig> GetConfigAsync() =>
        Task.FromResult(new RegistryConfig(state.State.Compatibility ?? options.Value.SchemaRegistry.Compatibility.ToUpperInvariant(), state.State.Normalize,
            state.State.DefaultMetadata, state.State.OverrideMetadata, state.State.DefaultRuleSet, state.State.OverrideRuleSet));

    public async Task<bool> SetConfigAsync(RegistryConfig config)
    {
        if (config.Compatibility is not null && !CompatibilityLevels.TryParse(config.Compatibility, out _))
        {
            return false;
        }

        state.State.Compatibility = config.Compatibility ?? state.State.Compatibility;
        state.State.Normalize = config.Normalize ?? state.State.Normalize;
        state.State.DefaultMetadata = config.DefaultMetadata ?? state.State.DefaultMetadata;
        state.State.OverrideMetadata = config.OverrideMetadata ?? state.State.OverrideMetadata;
        state.State.DefaultRuleSet = config.DefaultRuleSet ?? state.State.DefaultRuleSet;
        state.State.OverrideRuleSet = config.OverrideRuleSet ?? state.State.OverrideRuleSet;
        await state.WriteStateAsync();
        return true;
    }

    public Task<IReadOnlyList<string>> GetSchemaTypesAsync() => Task.FromResult(SchemaFormats.Default.Types);

    public async Task<RegistryConfig> DeleteConfigAsync()
    {
        var previous = await GetConfigAsync();
        state.State.Compatibility = null;
        state.State.Normalize = null;
        (state.State.DefaultMetadata, state.State.OverrideMetadata, state.State.DefaultRuleSet, state.State.OverrideRuleSet) = (null, null, null, null);
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

    public Task<int> GetMaxIdAsync() => Task.FromResult(_lastId);

    public async Task ClaimIdAsync(int id)
    {
        if (id <= _lastId)
        {
            return;
        }

        _lastId = id;
        // An activation starts above the reserved id; one below this id would hand it out again.
        if (id > state.State.ReservedId)
        {
            state.State.ReservedId = id;
            await state.WriteStateAsync();
        }
    }

    public async Task<int> NextIdAsync()
    {
        if (_lastId >= state.State.ReservedId)
        {
            state.State.ReservedId = Math.Max(_lastId, state.State.LastId) + IdBlock;
            await state.WriteStateAsync();
        }

        return ++_lastId;
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

    /// <summary>The last id handed out, as brokers stored it before ids were reserved in blocks.</summary>
    [Id(4)]
    public int LastId { get; set; }

    /// <summary>The end of the reserved block: every id handed out is at most this, and the next activation starts above it.</summary>
    [Id(5)]
    public int ReservedId { get; set; }

    /// <summary>Data contracts every subject's new versions start from (defaults) or end with (overrides).</summary>
    [Id(6)]
    public SchemaMetadata? DefaultMetadata { get; set; }

    [Id(7)]
    public SchemaMetadata? OverrideMetadata { get; set; }

    [Id(8)]
    public SchemaRuleSet? DefaultRuleSet { get; set; }

    [Id(9)]
    public SchemaRuleSet? OverrideRuleSet { get; set; }
}
