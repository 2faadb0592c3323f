using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Http;
using Tributary.Gateway.SchemaRegistry.Json;
using Tributary.Gateway.SchemaRegistry.Security;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.KafkaFormats.SchemaRegistry;

namespace Tributary.Gateway.SchemaRegistry.Endpoints;

/// <summary>
/// Confluent's batch association endpoints, answered 207 with one result (or error) per request, in order:
/// <c>/associations:batchGet</c> looks resources up by id or by name and namespace (with their subjects' latest
/// schemas when <c>includeSchemas</c>); <c>/associations:batchMutate</c> applies each request's CREATE, UPSERT and
/// DELETE operations, one request failing without stopping the others.
/// </summary>
internal static class AssociationBatchEndpoints
{
    /// <summary>Confluent's code for what its batch cannot name better (rest-utils' default).</summary>
    private const int Unclassified = 500;

    /// <summary>The most requests one batch holds, so that one call cannot hold the associations grain for long.</summary>
    private const int MaxRequests = 1_000;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/associations:batchGet", BatchGetAsync).Requires(RegistryOperation.GlobalSubjectsRead);
        api.MapPost("/associations:batchMutate", BatchMutateAsync).RequiresSuperUser();
    }

    private static async Task<IResult> BatchGetAsync(HttpRequest request, IGrainFactory grains, RegistryRejections rejections)
    {
        var (body, error) = await RegistryHttp.ReadAsync<AssociationBatchGetBody>(request, rejections.Logger);
        if (body is null)
        {
            return error!;
        }

        if (Invalid(request, rejections, body.Requests?.Count ?? 0) is { } refused)
        {
            return refused;
        }

        var includeSchemas = RegistryHttp.Flag(request, "includeSchemas");
        var results = new List<AssociationResultBody>();
        foreach (var query in body.Requests!)
        {
            if (query is null || GetRequestError(query) is not null)
            {
                var invalid = query is null ? "no request" : GetRequestError(query);
                results.Add(new AssociationResultBody(new ErrorEnvelope(Unclassified, "Error while getting associations: " + invalid), null));
                continue;
            }

            var type = string.IsNullOrEmpty(query.ResourceType) ? "topic" : query.ResourceType;
            var byId = !string.IsNullOrEmpty(query.ResourceId);
            var found = await grains.GetGrain<ISchemaAssociationsGrain>(0).FindAsync(new AssociationLookup(
                null, byId ? query.ResourceId : null, byId ? null : query.ResourceName, byId ? null : query.ResourceNamespace, type,
                query.AssociationTypes, query.Lifecycle));
            var schemas = new Dictionary<string, SubjectVersion>(StringComparer.Ordinal);
            foreach (var association in includeSchemas ? found : [])
            {
                if ((await grains.SchemaSubject(QualifiedSubject.Parse(association.Subject)).GetVersionAsync("latest", includeDeleted: false)).Value is { } latest)
                {
                    schemas[association.AssociationType] = latest;
                }
            }

            var first = found.FirstOrDefault();
            results.Add(new AssociationResultBody(null, Response(
                query.ResourceName ?? first?.ResourceName, query.ResourceNamespace ?? first?.ResourceNamespace, query.ResourceId ?? first?.ResourceId, type, found, schemas)));
        }

        return RegistryHttp.Json(new AssociationBatchResponseBody(results), StatusCodes.Status207MultiStatus);
    }

    private static async Task<IResult> BatchMutateAsync(HttpRequest request, IGrainFactory grains, RegistryRejections rejections)
    {
        var (body, error) = await RegistryHttp.ReadAsync<AssociationBatchMutateBody>(request, rejections.Logger);
        if (body is null)
        {
            return error!;
        }

        if (Invalid(request, rejections, body.Requests?.Count ?? 0) is { } refused)
        {
            return refused;
        }

        var context = QualifiedSubject.DefaultContext;
        if (request.Query["context"].ToString() is { Length: > 0 } given && !QualifiedSubject.TryNormalizeContext(given, out context))
        {
            return AssociationsEndpoints.Illegal(request, rejections, "context", $"invalid context '{given}'");
        }

        var dryRun = RegistryHttp.Flag(request, "dryRun");
        var results = new List<AssociationResultBody>();
        foreach (var item in body.Requests!)
        {
            if (item is null)
            {
                results.Add(new AssociationResultBody(new ErrorEnvelope(42212, AssociationsEndpoints.IllegalMessage("requests", "cannot contain null")), null));
                continue;
            }

            var ops = new List<AssociationOp>();
            ErrorEnvelope? invalid = null;
            foreach (var op in item.Associations ?? [])
            {
                if (op is null)
                {
                    invalid ??= new ErrorEnvelope(42212, AssociationsEndpoints.IllegalMessage("associations", "cannot contain null"));
                    continue;
                }

                SchemaSubmission? schema = null;
                if (op.Schema is { } schemaBody && RegistryHttp.SubmissionOrError(schemaBody, op.Normalize == true) is var (submission, problem))
                {
                    schema = submission;
                    invalid ??= problem;
                }

                ops.Add(new AssociationOp(op.OpType, new AssociationRequestItem(op.Subject, op.AssociationType, op.Lifecycle, op.Frozen, schema), op.CascadeLifecycle));
            }

            if (invalid is not null)
            {
                results.Add(new AssociationResultBody(invalid, null));
                continue;
            }

            var mutated = await grains.GetGrain<ISchemaAssociationsGrain>(0).MutateAsync(
                new AssociationOpRequest(item.ResourceName, item.ResourceNamespace, item.ResourceId, item.ResourceType, ops), context, dryRun);
            rejections.IfRejected(request, mutated.ErrorCode, mutated.Message);
            results.Add(mutated.Value is { } done
                ? new AssociationResultBody(null, Response(item.ResourceName, item.ResourceNamespace, item.ResourceId,
                    string.IsNullOrEmpty(item.ResourceType) ? "topic" : item.ResourceType, done.Associations, done.Schemas))
                : new AssociationResultBody(new ErrorEnvelope(mutated.ErrorCode, mutated.Message ?? ""), null));
        }

        return RegistryHttp.Json(new AssociationBatchResponseBody(results), StatusCodes.Status207MultiStatus);
    }

    /// <summary>A batch without requests is refused (422 42212), and one past <see cref="MaxRequests"/> too.</summary>
    private static IResult? Invalid(HttpRequest request, RegistryRejections rejections, int count) =>
        count == 0 ? AssociationsEndpoints.Illegal(request, rejections, "requests", "cannot be null or empty")
        : count > MaxRequests ? AssociationsEndpoints.Illegal(request, rejections, "requests", $"cannot hold more than {MaxRequests.ToString(CultureInfo.InvariantCulture)} requests")
        : null;

    /// <summary>Why a lookup of a batch names no resource, in Confluent's words, or null.</summary>
    private static string? GetRequestError(AssociationGetBody query)
    {
        var hasName = !string.IsNullOrEmpty(query.ResourceName);
        return string.IsNullOrEmpty(query.ResourceId) && !hasName ? "property: resourceId; detail: either resourceId or resourceName must be specified"
            : hasName && string.IsNullOrEmpty(query.ResourceNamespace) ? "property: resourceNamespace; detail: resourceNamespace is required when resourceName is specified"
            : null;
    }

    private static AssociationResponseBody Response(
        string? name, string? ns, string? id, string type, IReadOnlyList<SchemaAssociation>? associations, IReadOnlyDictionary<string, SubjectVersion> schemas) =>
        new(name, ns, id, type, associations is { Count: > 0 }
            ? associations.Select(a => new AssociationInfoBody(
                a.Subject, a.AssociationType, a.Lifecycle, AssociationBody.FrozenIfNotDefault(a.Lifecycle, a.Frozen),
                schemas.TryGetValue(a.AssociationType, out var schema) ? RegistryHttp.VersionBody(schema) : null)).ToList()
            : null);
}
