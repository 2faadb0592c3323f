using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.SchemaRegistry;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>What a registration or lookup needs of <see cref="ConfluentVersions"/>, over this subject's versions.</summary>
public sealed partial class SchemaSubjectGrain
{
    /// <summary>The live version (the latest alone with <paramref name="latestOnly"/>, else the newest first) that is this schema but for <c>confluent:version</c>.</summary>
    private StoredVersion? FindIgnoringConfluentVersion(ParsedSchema parsed, SchemaDefinition definition, bool latestOnly) =>
        ConfluentVersions.FindIgnoringVersion(
            latestOnly ? _versions.LatestLive is { } latest ? [latest] : [] : _versions.All.Where(v => !v.Deleted).Reverse(), parsed, definition);

    /// <summary>Whether the config in effect gives defaults or overrides for metadata or rules (then Confluent skips its lookup of the schema as sent).</summary>
    private bool HasDefaultsOrOverrides(RegistryDefaults defaults)
    {
        var s = state.State;
        return (s.DefaultMetadata ?? defaults.DefaultMetadata) is not null || (s.OverrideMetadata ?? defaults.OverrideMetadata) is not null
            || (s.DefaultRuleSet ?? defaults.DefaultRuleSet) is not null || (s.OverrideRuleSet ?? defaults.OverrideRuleSet) is not null;
    }
}
