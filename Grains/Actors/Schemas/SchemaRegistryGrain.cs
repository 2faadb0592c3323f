using Microsoft.Extensions.Options;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.SchemaRegistry;

using Tributary.Grains.Actors.Persistence;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>
/// One schema context's settings, subject list and schema id counter: small, rarely written. Reads interleave with
/// everything; ids are reserved durably <see cref="IdBlock"/> at a time and handed out from memory, so a registration
/// costs this grain no write (a subject's first version or last live one updates the subject list). The default
/// context's grain also lists the other contexts: each announces itself there with its first subject.
/// </summary>
public sealed class SchemaRegistryGrain(
    [PersistentState("schema-registry", GrainStorageNames.ControlPlane)] IPersistentState<SchemaRegistryState> state,
    IOptions<TributaryOptions> options) : Grain, ISchemaRegistryGrain
{
    /// <summary>Ids reserved per durable write. Confluent's registry reserves ids in batches too (20 per batch).</summary>
    private const int IdBlock = 100;

    private int _lastId;

    private bool IsGlobal => Context == QualifiedSubject.GlobalContext;

    private ISchemaRegistryGrain Global => GrainFactory.SchemaRegistry(QualifiedSubject.GlobalContext);

    private string Context
    {
        get
        {
            this.GetPrimaryKeyLong(out var extension);
            return SchemaGrains.ContextOf(extension);
        }
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Ids up to the reserved one may have been handed out before a crash: an activation starts above it.
        _lastId = Math.Max(state.State.LastId, state.State.ReservedId);
        return Task.CompletedTask;
    }

    /// <summary>
    /// What applies here: this context's own config (its unset fields the server's defaults) or, when it has none, the
    /// global context's (<c>:.__GLOBAL:</c>, which Confluent puts under every context); the mode likewise.
    /// </summary>
    public async Task<RegistryDefaults> GetDefaultsAsync()
    {
        var (config, mode) = (OwnConfig(), state.State.Mode);
        if (!IsGlobal && (config is null || mode is null))
        {
            var global = await Global.GetOwnSettingsAsync();
            (config, mode) = (config ?? global.Config, mode ?? global.Mode);
        }

        return new RegistryDefaults(config?.Compatibility ?? ServerCompatibility, mode ?? "READWRITE",
            config?.DefaultMetadata, config?.OverrideMetadata, config?.DefaultRuleSet, config?.OverrideRuleSet);
    }

    public Task<(RegistryConfig? Config, string? Mode)> GetOwnSettingsAsync() => Task.FromResult((OwnConfig(), state.State.Mode));

    private string ServerCompatibility => options.Value.SchemaRegistry.Compatibility.ToUpperInvariant();

    public async Task<RegistryConfig> GetConfigAsync()
    {
        var config = OwnConfig() ?? (IsGlobal ? null : await Global.GetOwnConfigAsync()) ?? new RegistryConfig(null, null);
        return config with { Compatibility = config.Compatibility ?? ServerCompatibility };
    }

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

    public async Task<string> GetModeAsync() => state.State.Mode ?? (IsGlobal ? null : await Global.GetOwnModeAsync()) ?? "READWRITE";

    public Task<string?> GetOwnModeAsync() => Task.FromResult(state.State.Mode);

    public Task<RegistryConfig?> GetOwnConfigAsync() => Task.FromResult(OwnConfig());

    private RegistryConfig? OwnConfig()
    {
        var own = state.State;
        return own.Compatibility is null && own.Normalize is null && own.DefaultMetadata is null && own.OverrideMetadata is null
            && own.DefaultRuleSet is null && own.OverrideRuleSet is null
            ? null
            : new RegistryConfig(own.Compatibility, own.Normalize, own.DefaultMetadata, own.OverrideMetadata, own.DefaultRuleSet, own.OverrideRuleSet);
    }

    public async Task SetModeAsync(string? mode)
    {
        state.State.Mode = mode;
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> GetContextsAsync() =>
        Task.FromResult<IReadOnlyList<string>>(state.State.Contexts.Order(StringComparer.Ordinal).ToList());

    public async Task RecordContextAsync(string context, bool exists)
    {
        if (exists ? state.State.Contexts.Add(context) : state.State.Contexts.Remove(context))
        {
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                // Undone, so that the caller's retry writes it.
                _ = exists ? state.State.Contexts.Remove(context) : state.State.Contexts.Add(context);
                throw;
            }
        }
    }

    public async Task<bool> DeleteContextAsync()
    {
        // Decided in this grain's turn, where registrations list their subjects: none can slip in between.
        if (state.State.Subjects.Count > 0)
        {
            return false;
        }

        // Unlisted here first: after a crash between the two writes, the next subject lists the context again.
        if (state.State.Listed)
        {
            state.State.Listed = false;
            await state.WriteStateAsync();
        }

        if (Context != QualifiedSubject.DefaultContext)
        {
            await GrainFactory.SchemaRegistry(QualifiedSubject.DefaultContext).RecordContextAsync(Context, exists: false);
        }

        return true;
    }

    public async Task UpdateSubjectAsync(string subject, bool? live)
    {
        if (live is not null && !state.State.Listed && Context != QualifiedSubject.DefaultContext)
        {
            // Listed before its first subject is: the list of contexts never misses one that has schemas.
            await GrainFactory.SchemaRegistry(QualifiedSubject.DefaultContext).RecordContextAsync(Context, exists: true);
            state.State.Listed = true;
            await state.WriteStateAsync();
        }

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

    /// <summary>The default context's grain: the other contexts, by name (<c>.ctx</c>).</summary>
    [Id(10)]
    public HashSet<string> Contexts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Another context's grain: whether it is in the default context's list.</summary>
    [Id(11)]
    public bool Listed { get; set; }
}
