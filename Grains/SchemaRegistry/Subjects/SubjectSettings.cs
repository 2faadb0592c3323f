namespace Tributary.Grains.SchemaRegistry.Subjects;

/// <summary>
/// A subject's own compatibility level, normalize flag and mode; unset (null) means the registry's. Levels are kept
/// upper-case as the API returns them. Not thread-safe: the subject's grain calls it one turn at a time.
/// </summary>
public sealed class SubjectSettings(string? compatibility = null, bool? normalize = null, string? mode = null)
{
    public string? Compatibility { get; private set; } = compatibility;

    public bool? Normalize { get; private set; } = normalize;

    public string? Mode { get; private set; } = mode;

    /// <summary>Whether the subject has a config of its own (a level or a normalize flag).</summary>
    public bool HasConfig => Compatibility is not null || Normalize is not null;

    /// <summary>Sets what is given (null leaves a setting as it is); false, and nothing set, for a level that is not Confluent's.</summary>
    public bool TrySetConfig(string? compatibility, bool? normalize)
    {
        if (compatibility is not null && !CompatibilityLevels.TryParse(compatibility, out _))
        {
            return false;
        }

        Compatibility = compatibility?.ToUpperInvariant() ?? Compatibility;
        Normalize = normalize ?? Normalize;
        return true;
    }

    public void DeleteConfig()
    {
        Compatibility = null;
        Normalize = null;
    }

    public void SetMode(string? mode) => Mode = mode;

    /// <summary>A permanently deleted subject forgets its settings, as Confluent's does.</summary>
    public void Clear()
    {
        DeleteConfig();
        Mode = null;
    }

    /// <summary>The level that applies: the subject's, else the registry's, else BACKWARD.</summary>
    public CompatibilityLevel EffectiveLevel(string? registryLevel) =>
        CompatibilityLevels.TryParse(Compatibility ?? registryLevel, out var level) ? level : CompatibilityLevel.Backward;

    /// <summary>Whether registrations and deletes are refused: the subject's mode, else the registry's, is read-only.</summary>
    public bool IsReadOnly(string registryMode) => (Mode ?? registryMode) is "READONLY" or "READONLY_OVERRIDE";

    /// <summary>Whether schemas are normalized before registration: asked for, or the subject's setting.</summary>
    public bool Normalizes(bool requested) => requested || Normalize == true;
}
