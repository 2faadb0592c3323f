using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.SchemaRegistry;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>The subject's own compatibility level, normalize flag, data-contract config and mode; unset means the registry's.</summary>
public sealed partial class SchemaSubjectGrain
{
    public Task<RegistryConfig?> GetConfigAsync()
    {
        var s = state.State;
        var hasContracts = s.DefaultMetadata is not null || s.OverrideMetadata is not null || s.DefaultRuleSet is not null || s.OverrideRuleSet is not null;
        return Task.FromResult(_settings.HasConfig || hasContracts
            ? new RegistryConfig(_settings.Compatibility, _settings.Normalize, s.DefaultMetadata, s.OverrideMetadata, s.DefaultRuleSet, s.OverrideRuleSet)
            : null);
    }

    public async Task<bool> SetConfigAsync(RegistryConfig config)
    {
        if (!_settings.TrySetConfig(config.Compatibility, config.Normalize))
        {
            return false;
        }

        var s = state.State;
        s.DefaultMetadata = config.DefaultMetadata ?? s.DefaultMetadata;
        s.OverrideMetadata = config.OverrideMetadata ?? s.OverrideMetadata;
        s.DefaultRuleSet = config.DefaultRuleSet ?? s.DefaultRuleSet;
        s.OverrideRuleSet = config.OverrideRuleSet ?? s.OverrideRuleSet;
        await SaveSettingsAsync();
        return true;
    }

    public async Task<RegistryConfig?> DeleteConfigAsync()
    {
        var previous = await GetConfigAsync();
        _settings.DeleteConfig();
        (state.State.DefaultMetadata, state.State.OverrideMetadata, state.State.DefaultRuleSet, state.State.OverrideRuleSet) = (null, null, null, null);
        await SaveSettingsAsync();
        return previous;
    }

    /// <summary>
    /// The definition with its data contract: the config's defaults (the subject's, else the registry's), the
    /// definition's own metadata and rules (without them, the latest version's), then the config's overrides.
    /// </summary>
    private SchemaDefinition WithContract(SchemaDefinition definition, RegistryDefaults defaults)
    {
        var s = state.State;
        var previous = _versions.LatestLive?.Definition;
        var metadata = DataContracts.Merge(
            DataContracts.Merge(s.DefaultMetadata ?? defaults.DefaultMetadata, definition.Metadata ?? previous?.Metadata), s.OverrideMetadata ?? defaults.OverrideMetadata);
        var ruleSet = DataContracts.Merge(
            DataContracts.Merge(s.DefaultRuleSet ?? defaults.DefaultRuleSet, definition.RuleSet ?? previous?.RuleSet), s.OverrideRuleSet ?? defaults.OverrideRuleSet);
        return definition with { Metadata = metadata, RuleSet = ruleSet };
    }

    private static string FullIdentity(ParsedSchema parsed, SchemaDefinition definition) => DataContracts.Identity(parsed, definition);

    public Task<string?> GetModeAsync() => Task.FromResult(_settings.Mode);

    public async Task SetModeAsync(string? mode)
    {
        _settings.SetMode(mode);
        await SaveSettingsAsync();
    }

    private Task SaveSettingsAsync()
    {
        state.State.Compatibility = _settings.Compatibility;
        state.State.Normalize = _settings.Normalize;
        state.State.Mode = _settings.Mode;
        return state.WriteStateAsync();
    }
}
