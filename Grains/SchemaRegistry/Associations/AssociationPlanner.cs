namespace Tributary.Grains.SchemaRegistry.Associations;

/// <summary>What the registry knows of the subject an association request item names, gathered before it is planned.</summary>
/// <param name="HasLiveVersion">The subject has a version not deleted.</param>
/// <param name="LatestVersion">Its latest live version's number, if any.</param>
/// <param name="SchemaFound">The item's schema is already one of the subject's live versions.</param>
/// <param name="Referenced">Another schema references one of the subject's versions.</param>
/// <param name="Import">The subject is in IMPORT mode.</param>
public sealed record SubjectFacts(bool HasLiveVersion, int? LatestVersion, bool SchemaFound, bool Referenced, bool Import);

/// <summary>A request that passed: the associations to write (new ones) and the items whose schemas to register.</summary>
public sealed record AssociationPlan(IReadOnlyList<AssociationAsk> ToWrite, IReadOnlyList<AssociationAsk> ToRegister);

/// <summary>
/// A validated create or upsert request judged against the associations stored, as Confluent's registry judges it
/// (AbstractSchemaRegistry.createOrUpdateAssociation), once AssociationRequests has validated it (each association
/// type at most once): an item equivalent to the
/// stored association is skipped (its schema, on create, must already be the subject's); on create any other stored one
/// conflicts (40903); an upsert may add WEAK associations but not STRONG ones, never changes a subject, a lifecycle or
/// frozen, and a frozen association not at all (40908); a resource keeps one lifecycle across its types; an item
/// without a schema needs a subject with a live version (40907); a STRONG subject has no other association (40904)
/// and no referrer (42206); a WEAK one no STRONG association elsewhere (40905).
/// </summary>
public static class AssociationPlanner
{
    /// <summary>The stored associations of the request's resource, by type: by id, or at validation without one, by name (the newest resource of that name).</summary>
    public static Dictionary<string, Association> Stored(ResourceAsk request, IEnumerable<Association> all, bool create, bool dryRun)
    {
        var types = request.Associations.Select(a => a.AssociationType!).ToHashSet(StringComparer.Ordinal);
        var byId = all.Where(a => a.ResourceId == request.ResourceId && a.ResourceType == request.ResourceType && types.Contains(a.AssociationType)).ToList();
        if (byId.Count == 0 && create && dryRun && request.ResourceId is null)
        {
            byId = NewestResource(all.Where(a => a.ResourceName == request.ResourceName && a.ResourceNamespace == request.ResourceNamespace
                && a.ResourceType == request.ResourceType && types.Contains(a.AssociationType))).ToList();
        }

        return byId.GroupBy(a => a.AssociationType).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    /// <summary>The subject each item names, asked or stored or the topic's own; the one whose facts the plan needs.</summary>
    public static string SubjectOf(ResourceAsk request, AssociationAsk ask, IReadOnlyDictionary<string, Association> stored) =>
        ask.Subject ?? (stored.TryGetValue(ask.AssociationType!, out var association) ? association.Subject
            : Association.DefaultSubject(request.ResourceNamespace!, request.ResourceName!, ask.AssociationType!));

    public static (AssociationPlan? Plan, AssociationRejection? Rejection) Plan(
        ResourceAsk request, IReadOnlyList<Association> all, IReadOnlyDictionary<string, Association> stored,
        IReadOnlyDictionary<string, SubjectFacts> factsByType, bool create)
    {
        var asks = new List<AssociationAsk>();
        var toWrite = new List<AssociationAsk>();
        foreach (var original in request.Associations)
        {
            var (ask, skip, rejection) = Judge(request, original, stored.GetValueOrDefault(original.AssociationType!), factsByType[original.AssociationType!], create);
            if (rejection is not null)
            {
                return (null, rejection);
            }

            asks.Add(ask!);
            if (!skip)
            {
                toWrite.Add(ask!);
            }
        }

        if (MixedLifecycles(request, all, asks) is { } mixed)
        {
            return (null, mixed);
        }

        foreach (var ask in asks)
        {
            var facts = factsByType[ask.AssociationType!];
            var own = stored.GetValueOrDefault(ask.AssociationType!);
            if (ask.HasSchema && facts.Import)
            {
                return (null, AssociationRejection.Illegal("schema", $"cannot be provided while subject '{ask.Subject}' is in IMPORT mode"));
            }

            if (!ask.HasSchema && !facts.HasLiveVersion)
            {
                return (null, AssociationErrors.NoActiveVersion(ask.Subject!));
            }

            var others = all.Where(a => a.Subject == ask.Subject && !(own is not null && a.ResourceId == own.ResourceId
                && a.ResourceType == own.ResourceType && a.AssociationType == own.AssociationType)).ToList();
            var lifecycle = ask.Lifecycle ?? own?.Lifecycle;
            if (lifecycle == Association.Strong)
            {
                if (others.Count > 0)
                {
                    return (null, AssociationErrors.SubjectExists(ask.Subject!));
                }

                if (facts.Referenced)
                {
                    return (null, AssociationErrors.Referenced(ask.Subject!));
                }
            }
            else if (ask.Frozen == true)
            {
                return (null, AssociationRejection.Illegal("frozen", "association with lifecycle of WEAK cannot be frozen"));
            }
            else if (others.Any(a => a.Lifecycle == Association.Strong))
            {
                return (null, AssociationErrors.StrongSubjectExists(ask.Subject!));
            }
        }

        return (new AssociationPlan(toWrite, asks.Where(a => a.HasSchema).ToList()), null);
    }

    /// <summary>One item against its stored association (if any): the item as it will be, whether it is skipped, or why it is refused.</summary>
    private static (AssociationAsk? Ask, bool Skip, AssociationRejection? Rejection) Judge(
        ResourceAsk request, AssociationAsk ask, Association? stored, SubjectFacts facts, bool create)
    {
        if (stored is null && !create)
        {
            var (defaulted, rejection) = AssociationRequests.ApplyDefaults(ask, create: false);
            if (rejection is not null)
            {
                return (null, false, rejection);
            }

            ask = defaulted!;
        }

        var defaultSubject = Association.DefaultSubject(request.ResourceNamespace!, request.ResourceName!, ask.AssociationType!);
        if (ask.Subject is null)
        {
            if (stored is null && ask.Lifecycle != Association.Strong)
            {
                return (null, false, AssociationRejection.Illegal("subject", "must be provided for WEAK associations"));
            }

            ask = ask with { Subject = stored?.Subject ?? defaultSubject };
        }

        var lifecycle = ask.Lifecycle ?? stored?.Lifecycle;
        if (lifecycle is null)
        {
            return (null, false, AssociationRejection.Illegal("lifecycle", "lifecycle must be set"));
        }

        if (lifecycle == Association.Weak)
        {
            if (ask.HasSchema)
            {
                return (null, false, AssociationRejection.Illegal("lifecycle", "cannot be WEAK when schema is provided"));
            }

            if (ask.Subject == defaultSubject)
            {
                return (null, false, AssociationRejection.Illegal("subject", $"WEAK associations cannot use subject '{defaultSubject}'"));
            }
        }

        var frozen = stored?.Frozen ?? ask.Frozen == true;
        var requestedFrozen = ask.Frozen ?? frozen;
        if (requestedFrozen != (lifecycle == Association.Strong))
        {
            return (null, false, AssociationRejection.Illegal("frozen", $"association with lifecycle of {lifecycle} cannot be frozen={AssociationRequests.Bool(requestedFrozen)}"));
        }

        if (frozen && ask.Subject != defaultSubject)
        {
            return (null, false, AssociationRejection.Illegal("subject", $"frozen associations must use subject '{defaultSubject}'"));
        }

        if (stored is null)
        {
            if (!create && lifecycle == Association.Strong && !facts.Import)
            {
                return (null, false, AssociationRejection.Illegal(
                    "lifecycle", "cannot be STRONG when creating an association; STRONG associations must be created with the topic"));
            }

            if (ask.Frozen == true && !facts.Import)
            {
                if (create && !ask.HasSchema)
                {
                    return (null, false, AssociationRejection.Illegal("schema", "schema must be provided when creating a frozen association"));
                }

                if (facts.LatestVersion is { } latest && !(ask.HasSchema && latest == 1 && facts.SchemaFound))
                {
                    return (null, false, AssociationRejection.Illegal("frozen", "cannot create a frozen association when schemas already exist in the subject"));
                }
            }

            return (ask, false, null);
        }

        if (stored.IsEquivalent(ask))
        {
            return create && ask.HasSchema && !facts.SchemaFound
                ? (null, false, AssociationErrors.ResourceExists(stored.AssociationType, stored.ResourceName))
                : (ask, true, null);
        }

        if (create)
        {
            return (null, false, AssociationErrors.ResourceExists(stored.AssociationType, stored.ResourceName));
        }

        if (ask.Lifecycle is null && !ask.HasSchema)
        {
            return (null, false, AssociationRejection.Illegal("lifecycle", "at least lifecycle or schema must be provided for update"));
        }

        if (stored.Subject != ask.Subject)
        {
            return (null, false, AssociationRejection.Illegal("subject", $"subject of association cannot be changed from '{stored.Subject}' to '{ask.Subject}'"));
        }

        if (stored.Lifecycle == Association.Strong && ask.Lifecycle == Association.Weak && stored.Subject == defaultSubject)
        {
            return (null, false, AssociationRejection.Illegal("lifecycle", $"cannot change to WEAK when subject matches default format '{defaultSubject}'"));
        }

        if (ask.Frozen is { } askedFrozen && askedFrozen != stored.Frozen)
        {
            return (null, false, AssociationRejection.Illegal("frozen", "frozen attribute of association cannot be changed"));
        }

        // A frozen association does not change; an unfrozen one is rewritten as asked.
        return stored.Frozen ? (null, false, AssociationErrors.IsFrozen(stored.AssociationType, stored.Subject)) : (ask, false, null);
    }

    /// <summary>Why the resource would end up with more than one lifecycle across its types, or null.</summary>
    private static AssociationRejection? MixedLifecycles(ResourceAsk request, IReadOnlyList<Association> all, IReadOnlyList<AssociationAsk> asks)
    {
        var current = request.ResourceId is not null
            ? all.Where(a => a.ResourceId == request.ResourceId && a.ResourceType == request.ResourceType)
            : NewestResource(all.Where(a => a.ResourceName == request.ResourceName && a.ResourceNamespace == request.ResourceNamespace && a.ResourceType == request.ResourceType));
        var byType = new List<(string Type, string Lifecycle)>(current.OrderBy(a => a.AssociationType, StringComparer.Ordinal).Select(a => (a.AssociationType, a.Lifecycle)));
        foreach (var ask in asks.Where(a => a.Lifecycle is not null))
        {
            var at = byType.FindIndex(t => t.Type == ask.AssociationType);
            if (at >= 0)
            {
                byType[at] = (ask.AssociationType!, ask.Lifecycle!);
            }
            else
            {
                byType.Add((ask.AssociationType!, ask.Lifecycle!));
            }
        }

        return byType.Select(t => t.Lifecycle).Distinct().Count() > 1
            ? AssociationRejection.Illegal("lifecycle", "all associations for a resource must have the same lifecycle, but got " + string.Join(", ", byType.Select(t => $"{t.Type}={t.Lifecycle}")))
            : null;
    }

    /// <summary>Of associations of resources sharing a name, those of the one written last.</summary>
    private static IEnumerable<Association> NewestResource(IEnumerable<Association> associations)
    {
        var list = associations.ToList();
        var newest = list.OrderByDescending(a => a.UpdateTimestamp).ThenByDescending(a => a.CreateTimestamp)
            .ThenByDescending(a => a.ResourceId, StringComparer.Ordinal).FirstOrDefault();
        return newest is null ? [] : list.Where(a => a.ResourceId == newest.ResourceId);
    }
}
