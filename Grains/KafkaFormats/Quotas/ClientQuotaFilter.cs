namespace Tributary.Grains.KafkaFormats.Quotas;

/// <summary>How a DescribeClientQuotas component matches an entity type's name (the protocol's codes).</summary>
public enum ClientQuotaMatchType : sbyte
{
    /// <summary>The name given.</summary>
    Exact = 0,

    /// <summary>The type's default.</summary>
    Default = 1,

    /// <summary>Any name, the default too, as long as the entity has the type.</summary>
    Specified = 2,
}

/// <summary>One component of a DescribeClientQuotas filter.</summary>
public sealed record ClientQuotaFilterComponent(string EntityType, ClientQuotaMatchType MatchType, string? Match);

/// <summary>
/// DescribeClientQuotas' filter, checked and applied as Kafka's <c>ClientQuotasImage.describe</c>: every component
/// must match, and a <c>strict</c> filter also leaves out entities with types it does not name.
/// </summary>
public static class ClientQuotaFilter
{
    /// <summary>The entries the filter selects, or the error (and Kafka's message) for a filter Kafka refuses.</summary>
    public static (ErrorCode Error, string? Message, IReadOnlyList<ClientQuotaEntry> Entries) Describe(
        IEnumerable<ClientQuotaEntry> entries, IReadOnlyList<ClientQuotaFilterComponent> components, bool strict)
    {
        var exact = new Dictionary<string, string?>(StringComparer.Ordinal);
        var specified = new HashSet<string>(StringComparer.Ordinal);
        foreach (var component in components)
        {
            var type = component.EntityType;
            if (type.Length == 0)
            {
                return Refused(ErrorCode.InvalidRequest, "Invalid empty entity type.");
            }

            if (exact.ContainsKey(type) || specified.Contains(type))
            {
                return Refused(ErrorCode.InvalidRequest, $"Entity type {type} cannot appear more than once in the filter.");
            }

            if (type is not (ClientQuotaEntity.UserType or ClientQuotaEntity.ClientIdType or ClientQuotaEntity.IpType))
            {
                return Refused(ErrorCode.UnsupportedVersion, $"Unsupported entity type {type}");
            }

            switch (component.MatchType)
            {
                case ClientQuotaMatchType.Exact when component.Match is null:
                    return Refused(ErrorCode.InvalidRequest, "Request specified MATCH_TYPE_EXACT, but set match string to null.");
                case ClientQuotaMatchType.Exact:
                    exact[type] = component.Match;
                    break;
                case ClientQuotaMatchType.Default when component.Match is not null:
                    return Refused(ErrorCode.InvalidRequest, "Request specified MATCH_TYPE_DEFAULT, but also specified a match string.");
                case ClientQuotaMatchType.Default:
                    exact[type] = null;
                    break;
                case ClientQuotaMatchType.Specified when component.Match is not null:
                    return Refused(ErrorCode.InvalidRequest, "Request specified MATCH_TYPE_SPECIFIED, but also specified a match string.");
                case ClientQuotaMatchType.Specified:
                    specified.Add(type);
                    break;
                default:
                    return Refused(ErrorCode.InvalidRequest, $"Unknown match type {(sbyte)component.MatchType}");
            }
        }

        bool Names(string type) => exact.ContainsKey(type) || specified.Contains(type);
        if (Names(ClientQuotaEntity.IpType) && (Names(ClientQuotaEntity.UserType) || Names(ClientQuotaEntity.ClientIdType)))
        {
            return Refused(ErrorCode.InvalidRequest,
                "Invalid entity filter component combination. IP filter component should not be used with user or clientId filter component.");
        }

        var selected = entries.Where(entry => Matches(entry.Entity, exact, specified, strict)).ToList();
        return (ErrorCode.None, null, selected);
    }

    private static bool Matches(ClientQuotaEntity entity, Dictionary<string, string?> exact, HashSet<string> specified, bool strict)
    {
        var parts = entity.Parts().ToDictionary(p => p.Type, p => p.Name, StringComparer.Ordinal);
        if (strict && parts.Count != exact.Count + specified.Count)
        {
            return false;
        }

        return exact.All(e => parts.TryGetValue(e.Key, out var name) && name == e.Value)
            && specified.All(parts.ContainsKey);
    }

    private static (ErrorCode, string?, IReadOnlyList<ClientQuotaEntry>) Refused(ErrorCode error, string message) => (error, message, []);
}
