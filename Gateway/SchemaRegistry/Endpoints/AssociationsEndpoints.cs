using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.SchemaRegistry.Json;
using Tributary.Gateway.SchemaRegistry.Security;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.KafkaFormats.SchemaRegistry;

namespace Tributary.Gateway.SchemaRegistry.Endpoints;

/// <summary>
/// Confluent 8's associations of subjects with topics: looked up by subject, by topic id, or by topic name and cluster
/// (either may be <c>-</c>, any), as Confluent's serializers' associated subject name strategy looks them up; created
/// (POST), added to or given a new schema version (PUT), and deleted, with a STRONG association's subject too when
/// <c>cascadeLifecycle</c> says so. With the registry's authorizer on, a lookup answers only the associations whose
/// subject the caller may see (every serializer asks one before it registers), and changes are for super users.
/// </summary>
internal static class AssociationsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/associations/subjects/{subject}", (string subject, HttpRequest request, IGrainFactory grains) =>
            FindAsync(grains, request, subject: RegistryHttp.Subject(subject))).Requires(RegistryOperation.SubjectRead);
        api.MapGet("/associations/resources/{resourceNamespace}/{resourceName}", (string resourceNamespace, string resourceName, HttpRequest request, IGrainFactory grains) =>
            FindAsync(grains, request, resourceNamespace: resourceNamespace, resourceName: resourceName));
        api.MapGet("/associations/resources/{resourceId}", (string resourceId, HttpRequest request, IGrainFactory grains) =>
            FindAsync(grains, request, resourceId: resourceId));
        api.MapPost("/associations", (HttpRequest request, IGrainFactory grains, RegistryRejections rejections) =>
            CreateOrUpdateAsync(grains, request, rejections, create: true, pathResourceId: null)).RequiresSuperUser();
        api.MapPut("/associations/resources/{resourceId}", (string resourceId, HttpRequest request, IGrainFactory grains, RegistryRejections rejections) =>
            CreateOrUpdateAsync(grains, request, rejections, create: false, pathResourceId: resourceId)).RequiresSuperUser();
        api.MapDelete("/associations/resources/{resourceId}", DeleteAsync).RequiresSuperUser();
    }

    private static ISchemaAssociationsGrain Associations(IGrainFactory grains) => grains.GetGrain<ISchemaAssociationsGrain>(0);

    private static async Task<IResult> FindAsync(
        IGrainFactory grains, HttpRequest request, string? subject = null, string? resourceId = null, string? resourceNamespace = null, string? resourceName = null)
    {
        var query = request.Query;
        var lookup = new AssociationLookup(
            subject, resourceId, resourceName, resourceNamespace, ResourceType(request), AssociationTypes(request),
            query["lifecycle"].ToString() is { Length: > 0 } lifecycle ? lifecycle : null,
            int.TryParse(query["offset"], out var offset) && offset > 0 ? offset : 0,
            int.TryParse(query["limit"], out var limit) ? limit : -1);
        var found = await Associations(grains).FindAsync(lookup);
        var listable = await RegistryAcls.ListableAsync(request.HttpContext);
        return RegistryHttp.Json(found.Where(a => listable(a.Subject)).Select(AssociationBody.Of).ToList());
    }

    private static async Task<IResult> CreateOrUpdateAsync(IGrainFactory grains, HttpRequest request, RegistryRejections rejections, bool create, string? pathResourceId)
    {
        var (body, error) = await RegistryHttp.ReadAsync<AssociationRequestBody>(request, rejections.Logger);
        if (body is null)
        {
            return error!;
        }

        if (pathResourceId is not null)
        {
            if (body.ResourceId is not null && body.ResourceId != pathResourceId)
            {
                return Illegal(request, rejections, "resourceId", "Resource ID in the path parameter does not match the resource ID in the request body");
            }

            body = body with { ResourceId = pathResourceId };
        }

        var context = QualifiedSubject.DefaultContext;
        if (request.Query["context"].ToString() is { Length: > 0 } given && !QualifiedSubject.TryNormalizeContext(given, out context))
        {
            return Illegal(request, rejections, "context", $"invalid context '{given}'");
        }

        var items = new List<AssociationRequestItem>();
        foreach (var item in body.Associations ?? [])
        {
            if (item is null)
            {
                return Illegal(request, rejections, "associations", "cannot contain null");
            }

            SchemaSubmission? schema = null;
            if (item.Schema is { } schemaBody)
            {
                (schema, var invalid) = RegistryHttp.Submission(schemaBody, item.Normalize == true);
                if (schema is null)
                {
                    return invalid!;
                }
            }

            items.Add(new AssociationRequestItem(item.Subject, item.AssociationType, item.Lifecycle, item.Frozen, schema));
        }

        var dryRun = RegistryHttp.Flag(request, "dryRun");
        var result = await Associations(grains).CreateOrUpdateAsync(
            new AssociationRequest(body.ResourceName, body.ResourceNamespace, body.ResourceId, body.ResourceType, items), context, create, dryRun);
        rejections.IfRejected(request, result.ErrorCode, result.Message);
        return RegistryHttp.From(result, written => RegistryHttp.Json(new AssociationResponseBody(
            body.ResourceName, body.ResourceNamespace, body.ResourceId, string.IsNullOrEmpty(body.ResourceType) ? "topic" : body.ResourceType,
            written.Count == 0 ? null : written.Select(w => new AssociationInfoBody(
                w.Subject, w.AssociationType, w.Lifecycle, AssociationBody.FrozenIfNotDefault(w.Lifecycle, w.Frozen),
                w.Schema is null ? null : RegistryHttp.VersionBody(w.Schema))).ToList())));
    }

    private static async Task<IResult> DeleteAsync(string resourceId, HttpRequest request, IGrainFactory grains, RegistryRejections rejections)
    {
        var result = await Associations(grains).DeleteAsync(
            resourceId, ResourceType(request), AssociationTypes(request), RegistryHttp.Flag(request, "cascadeLifecycle"), RegistryHttp.Flag(request, "dryRun"));
        rejections.IfRejected(request, result.ErrorCode, result.Message);
        return RegistryHttp.From(result, _ => Results.NoContent());
    }

    private static string ResourceType(HttpRequest request) =>
        request.Query["resourceType"].ToString() is { Length: > 0 } type ? type : "topic";

    private static List<string>? AssociationTypes(HttpRequest request) =>
        request.Query["associationType"].Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToList() is { Count: > 0 } types ? types : null;

    /// <summary>Confluent's message for a property of an association request that is not taken.</summary>
    public static string IllegalMessage(string property, string detail) =>
        $"The association specified an invalid value for property: '{property}', detail: {detail}";

    /// <summary>Confluent's 42212 for a property of an association request that is not taken.</summary>
    public static IResult Illegal(HttpRequest request, RegistryRejections rejections, string property, string detail)
    {
        var message = IllegalMessage(property, detail);
        rejections.IfRejected(request, 42212, message);
        return RegistryHttp.Error(42212, message);
    }
}
