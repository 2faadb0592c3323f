using System.Text.Json.Serialization;
using Tributary.Gateway.Http;
using Tributary.Grains.Interfaces.Schemas;

namespace Tributary.Gateway.SchemaRegistry.Json;

/// <summary>A create or update request of Confluent's associations API.</summary>
internal sealed record AssociationRequestBody(
    [property: JsonPropertyName("resourceName")] string? ResourceName,
    [property: JsonPropertyName("resourceNamespace")] string? ResourceNamespace,
    [property: JsonPropertyName("resourceId")] string? ResourceId,
    [property: JsonPropertyName("resourceType")] string? ResourceType,
    [property: JsonPropertyName("associations")] List<AssociationItemBody>? Associations);

/// <summary>One association of a request, with the schema to register with it.</summary>
internal sealed record AssociationItemBody(
    [property: JsonPropertyName("subject")] string? Subject,
    [property: JsonPropertyName("associationType")] string? AssociationType,
    [property: JsonPropertyName("lifecycle")] string? Lifecycle,
    [property: JsonPropertyName("frozen")] bool? Frozen,
    [property: JsonPropertyName("schema")] SchemaRequestBody? Schema,
    [property: JsonPropertyName("normalize")] bool? Normalize);

/// <summary>
/// An association as Confluent answers it: <c>frozen</c> only where it differs from its lifecycle's (STRONG frozen,
/// WEAK not), as Confluent leaves it out.
/// </summary>
internal sealed record AssociationBody(
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("guid")] string Guid,
    [property: JsonPropertyName("resourceName")] string ResourceName,
    [property: JsonPropertyName("resourceNamespace")] string ResourceNamespace,
    [property: JsonPropertyName("resourceId")] string ResourceId,
    [property: JsonPropertyName("resourceType")] string ResourceType,
    [property: JsonPropertyName("associationType")] string AssociationType,
    [property: JsonPropertyName("lifecycle")] string Lifecycle,
    [property: JsonPropertyName("frozen")] bool? Frozen,
    [property: JsonPropertyName("createTs")] long CreateTs,
    [property: JsonPropertyName("updateTs")] long UpdateTs)
{
    public static AssociationBody Of(SchemaAssociation a) => new(
        a.Subject, a.Guid, a.ResourceName, a.ResourceNamespace, a.ResourceId, a.ResourceType, a.AssociationType, a.Lifecycle,
        FrozenIfNotDefault(a.Lifecycle, a.Frozen), a.CreateTimestamp, a.UpdateTimestamp);

    public static bool? FrozenIfNotDefault(string lifecycle, bool frozen) => frozen == (lifecycle == "STRONG") ? null : frozen;
}

/// <summary>What a create or update answers: the resource, and the associations it wrote (none left out when nothing was written).</summary>
internal sealed record AssociationResponseBody(
    [property: JsonPropertyName("resourceName")] string? ResourceName,
    [property: JsonPropertyName("resourceNamespace")] string? ResourceNamespace,
    [property: JsonPropertyName("resourceId")] string? ResourceId,
    [property: JsonPropertyName("resourceType")] string? ResourceType,
    [property: JsonPropertyName("associations")] List<AssociationInfoBody>? Associations);

/// <summary>One written association, with the schema version registered with it.</summary>
internal sealed record AssociationInfoBody(
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("associationType")] string AssociationType,
    [property: JsonPropertyName("lifecycle")] string Lifecycle,
    [property: JsonPropertyName("frozen")] bool? Frozen,
    [property: JsonPropertyName("schema")] SubjectVersionBody? Schema);

/// <summary>A batch lookup: each request by resource id, or by name and namespace.</summary>
internal sealed record AssociationBatchGetBody([property: JsonPropertyName("requests")] List<AssociationGetBody>? Requests);

/// <summary>One lookup of a batch.</summary>
internal sealed record AssociationGetBody(
    [property: JsonPropertyName("resourceName")] string? ResourceName,
    [property: JsonPropertyName("resourceNamespace")] string? ResourceNamespace,
    [property: JsonPropertyName("resourceId")] string? ResourceId,
    [property: JsonPropertyName("resourceType")] string? ResourceType,
    [property: JsonPropertyName("associationTypes")] List<string>? AssociationTypes,
    [property: JsonPropertyName("lifecycle")] string? Lifecycle);

/// <summary>A batch of requests, each on one resource's associations.</summary>
internal sealed record AssociationBatchMutateBody([property: JsonPropertyName("requests")] List<AssociationOpRequestBody>? Requests);

/// <summary>One request of a batch: a resource and its operations.</summary>
internal sealed record AssociationOpRequestBody(
    [property: JsonPropertyName("resourceName")] string? ResourceName,
    [property: JsonPropertyName("resourceNamespace")] string? ResourceNamespace,
    [property: JsonPropertyName("resourceId")] string? ResourceId,
    [property: JsonPropertyName("resourceType")] string? ResourceType,
    [property: JsonPropertyName("associations")] List<AssociationOpBody>? Associations);

/// <summary>One operation: <c>opType</c> CREATE or UPSERT with an association's fields, or DELETE with its type.</summary>
internal sealed record AssociationOpBody(
    [property: JsonPropertyName("opType")] string? OpType,
    [property: JsonPropertyName("subject")] string? Subject,
    [property: JsonPropertyName("associationType")] string? AssociationType,
    [property: JsonPropertyName("lifecycle")] string? Lifecycle,
    [property: JsonPropertyName("frozen")] bool? Frozen,
    [property: JsonPropertyName("schema")] SchemaRequestBody? Schema,
    [property: JsonPropertyName("normalize")] bool? Normalize,
    [property: JsonPropertyName("cascadeLifecycle")] bool? CascadeLifecycle);

/// <summary>A batch's answer (HTTP 207): one result per request, in order.</summary>
internal sealed record AssociationBatchResponseBody([property: JsonPropertyName("results")] List<AssociationResultBody> Results);

/// <summary>A request's error, or its result.</summary>
internal sealed record AssociationResultBody(
    [property: JsonPropertyName("error")] ErrorEnvelope? Error,
    [property: JsonPropertyName("result")] AssociationResponseBody? Result);
