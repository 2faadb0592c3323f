using System.Globalization;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.SchemaRegistry;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>
/// Confluent's explicit versions (its <c>confluent:version</c> metadata property): a registration that names its
/// version (or whose contract carries the property, from the request or the previous version) stores the version's
/// number under it; a schema is found again whatever its <c>confluent:version</c> when it sends none, and by one it
/// sends only where that is the version's number or the property is the same (AbstractSchemaProvider.canLookupIgnoringVersion).
/// </summary>
public sealed partial class SchemaSubjectGrain
{
    private const string ConfluentVersion = "confluent:version";

    /// <summary>The definition with <c>confluent:version</c> set to <paramref name="number"/> where Confluent sets it.</summary>
    private static SchemaDefinition WithConfluentVersion(SchemaDefinition definition, int? askedVersion, int number)
    {
        if (askedVersion is null or 0 && ConfluentVersionOf(definition.Metadata) is null)
        {
            return definition;
        }

        var metadata = definition.Metadata ?? new SchemaMetadata(null, null, null);
        var properties = new Dictionary<string, string>(metadata.Properties ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [ConfluentVersion] = number.ToString(CultureInfo.InvariantCulture),
        };
        return definition with { Metadata = metadata with { Properties = properties } };
    }

    /// <summary>
    /// The live version (the latest alone with <paramref name="latestOnly"/>, else the newest first) that is this schema
    /// but for <c>confluent:version</c>, as Confluent's lookups find it; null when none is.
    /// </summary>
    private StoredVersion? FindIgnoringConfluentVersion(ParsedSchema parsed, SchemaDefinition definition, bool latestOnly)
    {
        var asked = ConfluentVersionOf(definition.Metadata);
        var exact = FullIdentity(parsed, definition);
        var withoutVersion = parsed.Identity + DataContracts.Canonical(WithoutConfluentVersion(definition.Metadata), definition.RuleSet);
        IEnumerable<StoredVersion> candidates = latestOnly
            ? _versions.LatestLive is { } latest ? [latest] : []
            : _versions.All.Where(v => !v.Deleted).Reverse();
        foreach (var version in candidates)
        {
            var stored = ConfluentVersionOf(version.Definition.Metadata);
            var matches = (asked, stored) switch
            {
                (null, null) or (not null, not null) => version.Identity == exact,
                (null, _) => IdentityWithoutConfluentVersion(version) == withoutVersion,
                _ => int.TryParse(asked, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number == version.Version
                    && version.Identity == withoutVersion,
            };
            if (matches)
            {
                return version;
            }
        }

        return null;
    }

    private static string? ConfluentVersionOf(SchemaMetadata? metadata) => metadata?.Properties?.GetValueOrDefault(ConfluentVersion);

    /// <summary>The metadata without <c>confluent:version</c>; none at all when nothing else was in it, as Confluent compares it.</summary>
    private static SchemaMetadata? WithoutConfluentVersion(SchemaMetadata? metadata)
    {
        if (metadata?.Properties is not { } properties || !properties.ContainsKey(ConfluentVersion))
        {
            return metadata;
        }

        var rest = properties.Where(p => p.Key != ConfluentVersion).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return rest.Count == 0 && metadata.Tags is not { Count: > 0 } && metadata.Sensitive is not { Count: > 0 }
            ? null
            : metadata with { Properties = rest.Count == 0 ? null : rest };
    }

    /// <summary>A stored version's identity as if its metadata had no <c>confluent:version</c>.</summary>
    private static string IdentityWithoutConfluentVersion(StoredVersion version)
    {
        var contract = DataContracts.Canonical(version.Definition.Metadata, version.Definition.RuleSet);
        var formatIdentity = version.Identity.EndsWith(contract, StringComparison.Ordinal) ? version.Identity[..^contract.Length] : version.Identity;
        return formatIdentity + DataContracts.Canonical(WithoutConfluentVersion(version.Definition.Metadata), version.Definition.RuleSet);
    }

    /// <summary>Whether the config in effect gives defaults or overrides for metadata or rules (then Confluent skips its lookup of the schema as sent).</summary>
    private bool HasDefaultsOrOverrides(RegistryDefaults defaults)
    {
        var s = state.State;
        return (s.DefaultMetadata ?? defaults.DefaultMetadata) is not null || (s.OverrideMetadata ?? defaults.OverrideMetadata) is not null
            || (s.DefaultRuleSet ?? defaults.DefaultRuleSet) is not null || (s.OverrideRuleSet ?? defaults.OverrideRuleSet) is not null;
    }
}
