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
internal static class ConfluentVersions
{
    private const string Property = "confluent:version";

    /// <summary>The definition with <c>confluent:version</c> set to <paramref name="number"/> where Confluent sets it.</summary>
    public static SchemaDefinition Set(SchemaDefinition definition, int? askedVersion, int number)
    {
        if (askedVersion is null or 0 && Of(definition.Metadata) is null)
        {
            return definition;
        }

        var metadata = definition.Metadata ?? new SchemaMetadata(null, null, null);
        var properties = new Dictionary<string, string>(metadata.Properties ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [Property] = number.ToString(CultureInfo.InvariantCulture),
        };
        return definition with { Metadata = metadata with { Properties = properties } };
    }

    /// <summary>
    /// Of <paramref name="candidates"/> (newest first), the first that is this schema but for <c>confluent:version</c>,
    /// as Confluent's lookups find it; null when none is.
    /// </summary>
    public static StoredVersion? FindIgnoringVersion(IEnumerable<StoredVersion> candidates, ParsedSchema parsed, SchemaDefinition definition)
    {
        var asked = Of(definition.Metadata);
        var exact = DataContracts.Identity(parsed, definition);
        var withoutVersion = parsed.Identity + DataContracts.Canonical(Without(definition.Metadata), definition.RuleSet);
        foreach (var version in candidates)
        {
            var matches = (asked, Of(version.Definition.Metadata)) switch
            {
                (null, null) or (not null, not null) => version.Identity == exact,
                (null, _) => IdentityWithout(version) == withoutVersion,
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

    private static string? Of(SchemaMetadata? metadata) => metadata?.Properties?.GetValueOrDefault(Property);

    /// <summary>The metadata without <c>confluent:version</c>; none at all when nothing else was in it, as Confluent compares it.</summary>
    private static SchemaMetadata? Without(SchemaMetadata? metadata)
    {
        if (metadata?.Properties is not { } properties || !properties.ContainsKey(Property))
        {
            return metadata;
        }

        var rest = properties.Where(p => p.Key != Property).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return rest.Count == 0 && metadata.Tags is not { Count: > 0 } && metadata.Sensitive is not { Count: > 0 }
            ? null
            : metadata with { Properties = rest.Count == 0 ? null : rest };
    }

    /// <summary>A stored version's identity as if its metadata had no <c>confluent:version</c>.</summary>
    private static string IdentityWithout(StoredVersion version)
    {
        var contract = DataContracts.Canonical(version.Definition.Metadata, version.Definition.RuleSet);
        var formatIdentity = version.Identity.EndsWith(contract, StringComparison.Ordinal) ? version.Identity[..^contract.Length] : version.Identity;
        return formatIdentity + DataContracts.Canonical(Without(version.Definition.Metadata), version.Definition.RuleSet);
    }
}
