using Microsoft.Extensions.Options;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Actors.Persistence;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.KafkaFormats.SchemaRegistry;
using Tributary.Grains.SchemaRegistry.Associations;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>
/// The registry's associations, persisted as one list; the rules are the engine's (<see cref="AssociationRequests"/>,
/// <see cref="AssociationPlanner"/>, <see cref="AssociationQueries"/>): this grain gathers what they need of the
/// subjects named, registers the schemas a request carries and stores what it writes.
/// </summary>
public sealed class SchemaAssociationsGrain(
    [PersistentState("schema-associations", GrainStorageNames.ControlPlane)] IPersistentState<SchemaAssociationsState> state,
    IOptions<TributaryOptions> options)
    : Grain, ISchemaAssociationsGrain
{
    private int MaxAssociations => options.Value.SchemaRegistry.MaxAssociations;

    public async Task<RegistryResult<IReadOnlyList<AssociationWritten>>> CreateOrUpdateAsync(AssociationRequest request, string context, bool create, bool dryRun)
    {
        var asked = new ResourceAsk(request.ResourceName, request.ResourceNamespace, request.ResourceId, request.ResourceType, request.Associations.Select(Ask).ToList());
        var (validated, invalid) = AssociationRequests.Validate(asked, create, dryRun);
        if (invalid is not null)
        {
            return Fail<IReadOnlyList<AssociationWritten>>(invalid);
        }

        // Subjects named without a context are in the request's; the schema of each item, by its association type.
        var resource = validated! with
        {
            Associations = validated!.Associations.Select(a => a.Subject is null ? a : a with { Subject = QualifiedSubject.InContextOf(a.Subject, context).Qualified }).ToList(),
        };
        var schemas = new Dictionary<string, SchemaSubmission?>(StringComparer.Ordinal);
        for (var i = 0; i < resource.Associations.Count; i++)
        {
            schemas.TryAdd(resource.Associations[i].AssociationType!, request.Associations[i].Schema);
        }

        var all = state.State.Associations.Select(ToEngine).ToList();
        var stored = AssociationPlanner.Stored(resource, all, create, dryRun);
        var subjects = resource.Associations.ToDictionary(a => a.AssociationType!, a => AssociationPlanner.SubjectOf(resource, a, stored), StringComparer.Ordinal);
        var facts = new Dictionary<string, SubjectFacts>(StringComparer.Ordinal);
        foreach (var ask in resource.Associations)
        {
            var subject = QualifiedSubject.Parse(subjects[ask.AssociationType!]);
            var (mode, gathered, invalidSchema) = await FactsAsync(subject, schemas[ask.AssociationType!]);
            if (invalidSchema is not null)
            {
                return RegistryResult<IReadOnlyList<AssociationWritten>>.Fail(RegistryErrors.InvalidSchema, invalidSchema);
            }

            if (mode is "READONLY" or "READONLY_OVERRIDE")
            {
                return RegistryResult<IReadOnlyList<AssociationWritten>>.Fail(
                    RegistryErrors.OperationNotPermitted, $"Subject {subject.Name} in context {subject.Context} is in read-only mode");
            }

            // A schema of this same request referencing the subject counts, though it is not registered yet.
            var referencedHere = resource.Associations.Any(other => schemas[other.AssociationType!] is { } schema
                && schema.Definition.References.Any(r => QualifiedSubject.InContextOf(r.Subject, QualifiedSubject.Parse(subjects[other.AssociationType!]).Context).Qualified == subject.Qualified));
            facts[ask.AssociationType!] = gathered with { Referenced = gathered.Referenced || referencedHere };
        }

        var (plan, rejected) = AssociationPlanner.Plan(resource, all, stored, facts, create);
        if (rejected is not null)
        {
            return Fail<IReadOnlyList<AssociationWritten>>(rejected);
        }

        // Every schema is parsed and checked against its subject before anything is registered, dry run or not.
        foreach (var ask in plan!.ToRegister)
        {
            var verdict = await Subject(ask).CheckCompatibilityAsync(schemas[ask.AssociationType!]!, null);
            if (verdict.Value is { IsCompatible: false } incompatible)
            {
                return RegistryResult<IReadOnlyList<AssociationWritten>>.Fail(AssociationErrors.Incompatible, "[" + string.Join(", ", incompatible.Messages) + "]");
            }

            if (verdict.Value is null)
            {
                return RegistryResult<IReadOnlyList<AssociationWritten>>.Fail(verdict.ErrorCode, verdict.Message ?? "");
            }
        }

        var added = plan.ToWrite.Count(a => !stored.ContainsKey(a.AssociationType!));
        if (added > 0 && state.State.Associations.Count + added > MaxAssociations)
        {
            return Fail<IReadOnlyList<AssociationWritten>>(AssociationErrors.TooMany(MaxAssociations));
        }

        if (dryRun)
        {
            return RegistryResult<IReadOnlyList<AssociationWritten>>.Ok([]);
        }

        var registered = new Dictionary<string, SubjectVersion>(StringComparer.Ordinal);
        foreach (var ask in plan.ToRegister)
        {
            var version = await Subject(ask).RegisterAsync(schemas[ask.AssociationType!]!);
            if (version.Value is null)
            {
                return RegistryResult<IReadOnlyList<AssociationWritten>>.Fail(
                    version.ErrorCode == RegistryErrors.IncompatibleSchema ? AssociationErrors.Incompatible : version.ErrorCode, version.Message ?? "");
            }

            registered[ask.AssociationType!] = version.Value;
        }

        // Only what is written is answered: an item equivalent to what is stored writes nothing, though its schema is
        // registered (a new version of a topic's own subject), as Confluent answers it.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var written = new List<AssociationWritten>();
        var next = new List<SchemaAssociation>(state.State.Associations);
        foreach (var ask in plan.ToWrite)
        {
            var previous = stored.GetValueOrDefault(ask.AssociationType!);
            var lifecycle = ask.Lifecycle ?? previous!.Lifecycle;
            var frozen = ask.Frozen ?? previous?.Frozen ?? lifecycle == Association.Strong;
            next.RemoveAll(a => a.ResourceId == resource.ResourceId && a.ResourceType == resource.ResourceType && a.AssociationType == ask.AssociationType);
            next.Add(new SchemaAssociation(
                ask.Subject!, previous?.Guid ?? Guid.NewGuid().ToString(), resource.ResourceName!, resource.ResourceNamespace!, resource.ResourceId!,
                resource.ResourceType!, ask.AssociationType!, lifecycle, frozen, previous?.CreateTimestamp ?? now, now));
            written.Add(new AssociationWritten(ask.Subject!, ask.AssociationType!, lifecycle, frozen, registered.GetValueOrDefault(ask.AssociationType!)));
        }

        if (plan.ToWrite.Count > 0)
        {
            await SaveAsync(next);
        }

        return RegistryResult<IReadOnlyList<AssociationWritten>>.Ok(written);
    }

    public async Task<RegistryResult<AssociationMutation>> MutateAsync(AssociationOpRequest request, string context, bool dryRun)
    {
        var resource = new ResourceAsk(request.ResourceName, request.ResourceNamespace, request.ResourceId, request.ResourceType, []);
        var asks = request.Ops.Select(op => (op.OpType?.ToUpperInvariant(), Ask(op.Item))).ToList();
        if (AssociationRequests.ValidateOps(resource, asks, dryRun) is { } invalid)
        {
            return Fail<AssociationMutation>(invalid);
        }

        var resourceType = string.IsNullOrEmpty(request.ResourceType) ? Association.Topic : request.ResourceType;
        var schemas = new Dictionary<string, SubjectVersion>(StringComparer.Ordinal);
        for (var index = 0; index < request.Ops.Count;)
        {
            var opType = asks[index].Item1;
            if (opType == "DELETE")
            {
                var type = request.Ops[index].Item.AssociationType is { Length: > 0 } named ? named : Association.Value;
                var deleted = await DeleteAsync(request.ResourceId ?? "", resourceType, [type], request.Ops[index].CascadeLifecycle == true, dryRun);

                // Deleting what is not there is no error within a batch, as in Confluent's.
                if (deleted.ErrorCode is not (RegistryErrors.None or AssociationErrors.NotFound))
                {
                    return RegistryResult<AssociationMutation>.Fail(deleted.ErrorCode, deleted.Message ?? "");
                }

                index++;
                continue;
            }

            // Adjacent creates (or upserts) go as one request, so that its checks see all their types at once.
            var end = index + 1;
            while (end < request.Ops.Count && asks[end].Item1 == opType)
            {
                end++;
            }

            var run = new AssociationRequest(request.ResourceName, request.ResourceNamespace, request.ResourceId, request.ResourceType,
                request.Ops.Skip(index).Take(end - index).Select(op => op.Item).ToList());
            var applied = await CreateOrUpdateAsync(run, context, create: opType == "CREATE", dryRun);
            if (applied.Value is null)
            {
                return RegistryResult<AssociationMutation>.Fail(applied.ErrorCode, applied.Message ?? "");
            }

            foreach (var written in applied.Value.Where(w => w.Schema is not null))
            {
                schemas[written.AssociationType] = written.Schema!;
            }

            index = end;
        }

        var now = dryRun ? null : await FindAsync(new AssociationLookup(null, request.ResourceId, null, null, resourceType, null, null));
        return RegistryResult<AssociationMutation>.Ok(new AssociationMutation(now, schemas));
    }

    public Task<IReadOnlyList<SchemaAssociation>> FindAsync(AssociationLookup lookup)
    {
        var filter = new AssociationFilter(lookup.Subject, lookup.ResourceId, lookup.ResourceName, lookup.ResourceNamespace, lookup.ResourceType, lookup.AssociationTypes, lookup.Lifecycle);
        IReadOnlyList<SchemaAssociation> found = AssociationQueries.Find(state.State.Associations.Select(ToEngine), filter, lookup.Offset, lookup.Limit).Select(FromEngine).ToList();
        return Task.FromResult(found);
    }

    public async Task<RegistryResult<int>> DeleteAsync(string resourceId, string resourceType, IReadOnlyList<string>? associationTypes, bool cascade, bool dryRun)
    {
        var doomed = state.State.Associations.Where(a => a.ResourceId == resourceId && a.ResourceType == resourceType
            && (associationTypes is not { Count: > 0 } || associationTypes.Contains(a.AssociationType))).ToList();
        if (doomed.Count == 0)
        {
            return Fail<int>(AssociationErrors.AssociationNotFound(resourceId));
        }

        var modes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var association in doomed)
        {
            var subject = QualifiedSubject.Parse(association.Subject);
            var mode = modes[association.Subject] = await ModeAsync(subject);
            if (mode is "READONLY" or "READONLY_OVERRIDE")
            {
                return RegistryResult<int>.Fail(RegistryErrors.OperationNotPermitted, $"Subject {subject.Name} in context {subject.Context} is in read-only mode");
            }

            if (association.Frozen && !cascade)
            {
                return Fail<int>(AssociationErrors.IsFrozen(association.AssociationType, association.Subject));
            }
        }

        if (dryRun)
        {
            return RegistryResult<int>.Ok(0);
        }

        await SaveAsync(state.State.Associations.Where(a => !doomed.Contains(a)).ToList());

        // As Confluent: the associations are gone, and a subject that cannot go (referenced, say) is the answer.
        foreach (var association in doomed.Where(a => cascade && a.Lifecycle == Association.Strong && modes[a.Subject] != "IMPORT"))
        {
            var subject = GrainFactory.SchemaSubject(QualifiedSubject.Parse(association.Subject));
            foreach (var permanent in new[] { false, true })
            {
                var deleted = await subject.DeleteAsync(permanent);
                if (deleted.ErrorCode is not (RegistryErrors.None or RegistryErrors.SubjectNotFound or RegistryErrors.SubjectSoftDeleted))
                {
                    return RegistryResult<int>.Fail(deleted.ErrorCode, deleted.Message ?? "");
                }
            }
        }

        return RegistryResult<int>.Ok(doomed.Count);
    }

    private static AssociationAsk Ask(AssociationRequestItem item) => new(item.Subject, item.AssociationType, item.Lifecycle, item.Frozen, item.Schema is not null);

    /// <summary>Persists the associations as given, and only then serves them: a failed write leaves the stored ones in place.</summary>
    private async Task SaveAsync(List<SchemaAssociation> associations)
    {
        var before = state.State.Associations;
        state.State.Associations = associations;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Associations = before;
            throw;
        }
    }

    private ISchemaSubjectGrain Subject(AssociationAsk ask) => GrainFactory.SchemaSubject(QualifiedSubject.Parse(ask.Subject!));

    /// <summary>The subject's mode in effect, and what the planner needs of it; or why the item's schema is invalid.</summary>
    private async Task<(string Mode, SubjectFacts Facts, string? InvalidSchema)> FactsAsync(QualifiedSubject name, SchemaSubmission? schema)
    {
        var subject = GrainFactory.SchemaSubject(name);
        var mode = await ModeAsync(name);
        var latest = (await subject.GetVersionAsync("latest", includeDeleted: false)).Value;
        var lookup = schema is not null && latest is not null ? await subject.LookupAsync(schema, includeDeleted: false) : null;
        if (lookup?.ErrorCode == RegistryErrors.InvalidSchema)
        {
            return (mode, null!, lookup.Message ?? "Invalid schema");
        }

        var found = lookup?.Value is not null;
        var referenced = false;
        foreach (var version in (await subject.GetVersionsAsync(includeDeleted: true, deletedOnly: false)).Value ?? [])
        {
            referenced |= (await subject.GetReferencedByAsync(version.ToString(System.Globalization.CultureInfo.InvariantCulture))).Value is { Count: > 0 };
        }

        return (mode, new SubjectFacts(latest is not null, latest?.Version, found, referenced, mode == "IMPORT"), null);
    }

    private async Task<string> ModeAsync(QualifiedSubject name) =>
        await GrainFactory.SchemaSubject(name).GetModeAsync() ?? (await GrainFactory.SchemaRegistry(name.Context).GetDefaultsAsync()).Mode;

    private static RegistryResult<T> Fail<T>(AssociationRejection rejection) => RegistryResult<T>.Fail(rejection.Code, rejection.Message);

    private static Association ToEngine(SchemaAssociation a) => new(
        a.Subject, a.Guid, a.ResourceName, a.ResourceNamespace, a.ResourceId, a.ResourceType, a.AssociationType, a.Lifecycle, a.Frozen, a.CreateTimestamp, a.UpdateTimestamp);

    private static SchemaAssociation FromEngine(Association a) => new(
        a.Subject, a.Guid, a.ResourceName, a.ResourceNamespace, a.ResourceId, a.ResourceType, a.AssociationType, a.Lifecycle, a.Frozen, a.CreateTimestamp, a.UpdateTimestamp);
}

[GenerateSerializer, Alias("Tributary.Schemas.SchemaAssociationsState")]
public sealed class SchemaAssociationsState
{
    [Id(0)]
    public List<SchemaAssociation> Associations { get; set; } = [];
}
