using Tributary.Grains.Interfaces.Schemas;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>The subject's own compatibility level, normalize flag and mode; unset means the registry's.</summary>
public sealed partial class SchemaSubjectGrain
{
    public Task<RegistryConfig?> GetConfigAsync() =>
        Task.FromResult(_settings.HasConfig ? new RegistryConfig(_settings.Compatibility, _settings.Normalize) : null);

    public async Task<bool> SetConfigAsync(RegistryConfig config)
    {
        if (!_settings.TrySetConfig(config.Compatibility, config.Normalize))
        {
            return false;
        }

        await SaveSettingsAsync();
        return true;
    }

    public async Task<RegistryConfig?> DeleteConfigAsync()
    {
        var previous = await GetConfigAsync();
        _settings.DeleteConfig();
        await SaveSettingsAsync();
        return previous;
    }

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
