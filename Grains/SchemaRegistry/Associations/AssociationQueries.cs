namespace Tributary.Grains.SchemaRegistry.Associations;

/// <summary>Which associations a lookup wants: by subject, by resource id, or by resource name and namespace (each may be <c>-</c>, any).</summary>
public sealed record AssociationFilter(
    string? Subject = null,
    string? ResourceId = null,
    string? ResourceName = null,
    string? ResourceNamespace = null,
    string ResourceType = Association.Topic,
    IReadOnlyList<string>? AssociationTypes = null,
    string? Lifecycle = null);

/// <summary>Lookups over the stored associations, sorted and paged as Confluent's are.</summary>
public static class AssociationQueries
{
    /// <summary>The most a page holds, and what it holds when no valid limit is asked (Confluent's schema.search limits).</summary>
    public const int MaxLimit = 1_000;

    /// <summary>
    /// The associations matching <paramref name="filter"/>, sorted by resource name, namespace, type, association type
    /// and subject, from <paramref name="offset"/>, at most <paramref name="limit"/> (outside 1 to <see cref="MaxLimit"/>: that many).
    /// </summary>
    public static List<Association> Find(IEnumerable<Association> all, AssociationFilter filter, int offset = 0, int limit = -1)
    {
        var types = filter.AssociationTypes is { Count: > 0 } asked ? asked.ToHashSet(StringComparer.Ordinal) : null;
        var found = all.Where(a =>
                (filter.Subject is null || a.Subject == filter.Subject)
                && (filter.ResourceId is null || a.ResourceId == filter.ResourceId)
                && (filter.ResourceName is null or Association.Wildcard || a.ResourceName == filter.ResourceName)
                && (filter.ResourceNamespace is null or Association.Wildcard || a.ResourceNamespace == filter.ResourceNamespace)
                && a.ResourceType == filter.ResourceType
                && (types is null || types.Contains(a.AssociationType))
                && (filter.Lifecycle is null || a.Lifecycle == filter.Lifecycle))
            .OrderBy(a => a.ResourceName, StringComparer.Ordinal)
            .ThenBy(a => a.ResourceNamespace, StringComparer.Ordinal)
            .ThenBy(a => a.ResourceType, StringComparer.Ordinal)
            .ThenBy(a => a.AssociationType, StringComparer.Ordinal)
            .ThenBy(a => a.Subject, StringComparer.Ordinal);
        return found.Skip(Math.Max(0, offset)).Take(limit is >= 1 and <= MaxLimit ? limit : MaxLimit).ToList();
    }
}
