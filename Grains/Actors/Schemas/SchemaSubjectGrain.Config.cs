using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.SchemaRegistry;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>The subject's own compatibility level, normalize flag and mode; unset means the registry's.</summary>
public sealed partial class SchemaSubjectGrain
{
    public Task<RegistryConfig?> GetConfigAsync() =>
        Task.FromResult(state.State.Compatibility is null && state.State.Normalize is null
            ? null
            : new RegistryConfig(state.State.Compatibility, state.State.Normalize));

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

    public async Task<RegistryConfig?> DeleteConfigAsync()
    {
        var previous = await GetConfigAsync();
        state.State.Compatibility = null;
        state.State.Normalize = null;
        await state.WriteStateAsync();
        return previous;
    }

    public Task<string?> GetModeAsync() => Task.FromResult(state.State.Mode);

    public async Task SetModeAsync(string? mode)
    {
        state.State.Mode = mode;
        await state.WriteStateAsync();
    }
}
