using Orleans.Concurrency;
using Tributary.Grains.KafkaFormats.SchemaRegistry;

namespace Tributary.Grains.Interfaces.Schemas;

/// <summary>
/// The registry's associations of subjects with topics (Confluent 8's associations API): all of them, in one grain, as
/// there are at most a couple per topic. Creating and updating run one at a time; lookups interleave with them.
/// </summary>
[Alias("Tributary.Schemas.ISchemaAssociationsGrain")]
public interface ISchemaAssociationsGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Creates (POST) or creates and updates (PUT) a resource's associations, registering the schemas items carry;
    /// subjects named without a context are in <paramref name="context"/>. A dry run checks and writes nothing.
    /// </summary>
    [Alias("CreateOrUpdate")]
    Task<RegistryResult<IReadOnlyList<AssociationWritten>>> CreateOrUpdateAsync(AssociationRequest request, string context, bool create, bool dryRun);

    /// <summary>
    /// One request of a batch: its operations checked together first, then applied in order, adjacent creates (or
    /// upserts) as one request, deletes one by one; what the resource then has (none in a dry run), and the schema
    /// versions registered, by association type.
    /// </summary>
    [Alias("Mutate")]
    Task<RegistryResult<AssociationMutation>> MutateAsync(AssociationOpRequest request, string context, bool dryRun);

    /// <summary>The associations a lookup matches, sorted and paged.</summary>
    [Alias("Find"), AlwaysInterleave]
    Task<IReadOnlyList<SchemaAssociation>> FindAsync(AssociationLookup lookup);

    /// <summary>
    /// Deletes a resource's associations (of the types given, or all), frozen ones only with <paramref name="cascade"/>,
    /// which deletes a STRONG association's subject too (soft, then permanently). A dry run checks and deletes nothing.
    /// </summary>
    [Alias("Delete")]
    Task<RegistryResult<int>> DeleteAsync(string resourceId, string resourceType, IReadOnlyList<string>? associationTypes, bool cascade, bool dryRun);
}

/// <summary>An association as stored and answered; <see cref="Subject"/> with its context when not the default one.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.SchemaAssociation")]
public sealed record SchemaAssociation(
    [property: Id(0)] string Subject,
    [property: Id(1)] string Guid,
    [property: Id(2)] string ResourceName,
    [property: Id(3)] string ResourceNamespace,
    [property: Id(4)] string ResourceId,
    [property: Id(5)] string ResourceType,
    [property: Id(6)] string AssociationType,
    [property: Id(7)] string Lifecycle,
    [property: Id(8)] bool Frozen,
    [property: Id(9)] long CreateTimestamp,
    [property: Id(10)] long UpdateTimestamp);

/// <summary>A create or update request for a resource's associations, as sent (unset fields null).</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.AssociationRequest")]
public sealed record AssociationRequest(
    [property: Id(0)] string? ResourceName,
    [property: Id(1)] string? ResourceNamespace,
    [property: Id(2)] string? ResourceId,
    [property: Id(3)] string? ResourceType,
    [property: Id(4)] IReadOnlyList<AssociationRequestItem> Associations);

/// <summary>One association asked for, with the schema to register under its subject, if any.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.AssociationRequestItem")]
public sealed record AssociationRequestItem(
    [property: Id(0)] string? Subject,
    [property: Id(1)] string? AssociationType,
    [property: Id(2)] string? Lifecycle,
    [property: Id(3)] bool? Frozen,
    [property: Id(4)] SchemaSubmission? Schema);

/// <summary>An association a request wrote, and the version its schema was registered as, if it carried one.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.AssociationWritten")]
public sealed record AssociationWritten(
    [property: Id(0)] string Subject,
    [property: Id(1)] string AssociationType,
    [property: Id(2)] string Lifecycle,
    [property: Id(3)] bool Frozen,
    [property: Id(4)] SubjectVersion? Schema);

/// <summary>One request of a batch mutation: a resource and the operations on its associations.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.AssociationOpRequest")]
public sealed record AssociationOpRequest(
    [property: Id(0)] string? ResourceName,
    [property: Id(1)] string? ResourceNamespace,
    [property: Id(2)] string? ResourceId,
    [property: Id(3)] string? ResourceType,
    [property: Id(4)] IReadOnlyList<AssociationOp> Ops);

/// <summary>An operation of a batch: CREATE, UPSERT (the item) or DELETE (its association type, and whether to cascade).</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.AssociationOp")]
public sealed record AssociationOp([property: Id(0)] string? OpType, [property: Id(1)] AssociationRequestItem Item, [property: Id(2)] bool? CascadeLifecycle);

/// <summary>What a batch request left: the resource's associations (null in a dry run) and the versions registered, by association type.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.AssociationMutation")]
public sealed record AssociationMutation(
    [property: Id(0)] IReadOnlyList<SchemaAssociation>? Associations, [property: Id(1)] IReadOnlyDictionary<string, SubjectVersion> Schemas);

/// <summary>Which associations a lookup wants (see the engine's AssociationFilter), and the page.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.AssociationLookup")]
public sealed record AssociationLookup(
    [property: Id(0)] string? Subject,
    [property: Id(1)] string? ResourceId,
    [property: Id(2)] string? ResourceName,
    [property: Id(3)] string? ResourceNamespace,
    [property: Id(4)] string ResourceType,
    [property: Id(5)] IReadOnlyList<string>? AssociationTypes,
    [property: Id(6)] string? Lifecycle,
    [property: Id(7)] int Offset = 0,
    [property: Id(8)] int Limit = -1);
