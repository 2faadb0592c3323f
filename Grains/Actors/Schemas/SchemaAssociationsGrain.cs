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
    [PersistentState("schema-associations", GrainStorageNames.ControlPlane)] IPersistentState<SchemaAssociationsState> state)
    : Grain, ISchemaAssociationsGrain
{
    public async Task<RegistryResult<IReadOnlyList<AssociationWritten>>> CreateOrUpdateAsync(AssociationRequest request, string context, bool create, bool dryRun)
    {
        var asked = new ResourceAsk(request.ResourceName, request.ResourceNamespace, request.ResourceId, request.ResourceType,
            request.Associations.Select(a => new AssociationAsk(a.Subject, a.AssociationType, a.Lifecycle, a.Frozen, a.Schema is not null)).ToList());
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
        var facts = new Dictionary<string, SubjectFacts>(StringComparer.Ordinal);
        foreach (var ask in resource.Associations)
        {
            var subject = QualifiedSubject.Parse(AssociationPlanner.SubjectOf(resource, ask, stored));
            var (mode, gathered) = await FactsAsync(subject, schemas[ask.AssociationType!]);
            if (mode is "READONLY" or "READONLY_OVERRIDE")
            {
                return RegistryResult<IReadOnlyList<AssociationWritten>>.Fail(
                    RegistryErrors.OperationNotPermitted, $"Subject {subject.Name} in context {subject.Context} is in read-only mode");
            }

            facts.TryAdd(ask.AssociationType!, gathered);
        }

        var (plan, rejected) = AssociationPlanner.Plan(resource, all, stored, facts, create);
        if (rejected is not null)
        {
            return Fail<IReadOnlyList<AssociationWritten>>(rejected);
        }

        foreach (var ask in plan!.ToRegister.Where(a => facts[a.AssociationType!].HasLiveVersion))
        {
            var verdict = await Subject(ask).CheckCompatibilityAsync(schemas[ask.AssociationType!]!, null);
            if (verdict.Value is { IsCompatible: false } incompatible)
            {
                return RegistryResult<IReadOnlyList<AssociationWritten>>.Fail(AssociationErrors.Incompatible, "[" + string.Join(", ", incompatible.Messages) + "]");
            }
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

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var written = new List<AssociationWritten>();
        foreach (var ask in plan.ToWrite)
        {
            var previous = stored.GetValueOrDefault(ask.AssociationType!);
            var lifecycle = ask.Lifecycle ?? previous!.Lifecycle;
            var frozen = ask.Frozen ?? previous?.Frozen ?? lifecycle == Association.Strong;
            state.State.Associations.RemoveAll(a => a.ResourceId == resource.ResourceId && a.ResourceType == resource.ResourceType && a.AssociationType == ask.AssociationType);
            state.State.Associations.Add(new SchemaAssociation(
                ask.Subject!, previous?.Guid ?? Guid.NewGuid().ToString(), resource.ResourceName!, resource.ResourceNamespace!, resource.ResourceId!,
                resource.ResourceType!, ask.AssociationType!, lifecycle, frozen, previous?.CreateTimestamp ?? now, now));
            written.Add(new AssociationWritten(ask.Subject!, ask.AssociationType!, lifecycle, frozen, registered.GetValueOrDefault(ask.AssociationType!)));
        }

        // An item equivalent to what is stored writes nothing, but its schema is still registered (a new version of a topic's own subject).
        written.AddRange(plan.ToRegister.Where(a => !plan.ToWrite.Contains(a)).Select(a =>
        {
            var own = stored[a.AssociationType!];
            return new AssociationWritten(own.Subject, own.AssociationType, own.Lifecycle, own.Frozen, registered[a.AssociationType!]);
        }));
        if (plan.ToWrite.Count > 0)
        {
            await state.WriteStateAsync();
        }

        return RegistryResult<IReadOnlyList<AssociationWritten>>.Ok(written);
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

        state.State.Associations.RemoveAll(doomed.Contains);
        await state.WriteStateAsync();
        foreach (var association in doomed.Where(a => cascade && a.Lifecycle == Association.Strong && modes[a.Subject] != "IMPORT"))
        {
            var subject = GrainFactory.SchemaSubject(QualifiedSubject.Parse(association.Subject));
            await subject.DeleteAsync(permanent: false);
            await subject.DeleteAsync(permanent: true);
        }

        return RegistryResult<int>.Ok(doomed.Count);
    }

    private ISchemaSubjectGrain Subject(AssociationAsk ask) => GrainFactory.SchemaSubject(QualifiedSubject.Parse(ask.Subject!));

    /// <summary>The subject's mode in effect, and what the planner needs of it.</summary>
    private async Task<(string Mode, SubjectFacts Facts)> FactsAsync(QualifiedSubject name, SchemaSubmission? schema)
    {
        var subject = GrainFactory.SchemaSubject(name);
        var mode = await ModeAsync(name);
        var latest = (await subject.GetVersionAsync("latest", includeDeleted: false)).Value;
        var found = schema is not null && latest is not null && (await subject.LookupAsync(schema, includeDeleted: false)).Value is not null;
        var referenced = latest is not null && (await subject.GetReferencedByAsync(latest.Version.ToString(System.Globalization.CultureInfo.InvariantCulture))).Value is { Count: > 0 };
        return (mode, new SubjectFacts(latest is not null, latest?.Version, found, referenced, mode == "IMPORT"));
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
