using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.SchemaRegistry.Json;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.KafkaFormats.SchemaRegistry;

namespace Tributary.Gateway.SchemaRegistry.Endpoints;

/// <summary>Schemas by id and GUID (served from the cache), where an id is used, the schema types, and the list of all schemas.</summary>
internal static class SchemasEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/schemas/types", TypesAsync);
        api.MapGet("/schemas/ids/{id:int}", GetByIdAsync);
        api.MapGet("/schemas/guids/{guid}", GetByGuidAsync);
        api.MapGet("/schemas/ids/{id:int}/schema", GetTextAsync);
        api.MapGet("/schemas/ids/{id:int}/subjects", SubjectsAsync);
        api.MapGet("/schemas/ids/{id:int}/versions", VersionsAsync);
        api.MapGet("/schemas", ListAsync);
    }

    private static async Task<IResult> TypesAsync(IGrainFactory grains) =>
        RegistryHttp.Json(await grains.GetGrain<ISchemaRegistryGrain>(0).GetSchemaTypesAsync());

    private static async Task<IResult> GetByIdAsync(int id, HttpRequest request, SchemaCache cache, IGrainFactory grains)
    {
        if (await cache.GetAsync(id) is not { } schema)
        {
            return SchemaNotFound(id);
        }

        if (request.Query.ContainsKey("format"))
        {
            var formatted = await RegistryHttp.FormattedAsync(request, grains, schema.Definition);
            return RegistryHttp.From(formatted, definition => RegistryHttp.Json(RegistryHttp.SchemaBodyOf(definition)));
        }

        return RegistryHttp.Flag(request, "fetchMaxId")
            ? RegistryHttp.Json(RegistryHttp.SchemaBodyOf(schema.Definition, await grains.GetGrain<ISchemaRegistryGrain>(0).GetMaxIdAsync()))
            : Results.Bytes(schema.Body, RegistryHttp.ContentType);
    }

    private static async Task<IResult> GetByGuidAsync(string guid, SchemaCache cache, IGrainFactory grains) =>
        await grains.GetGrain<ISchemaGuidGrain>(guid.ToLowerInvariant()).GetIdAsync() is { } id && await cache.GetAsync(id) is { } schema
            ? Results.Bytes(schema.Body, RegistryHttp.ContentType)
            : RegistryHttp.Error(RegistryErrors.SchemaNotFound, $"Schema {guid} not found");

    private static async Task<IResult> GetTextAsync(int id, SchemaCache cache) =>
        await cache.GetAsync(id) is { } schema ? Results.Text(schema.Definition.Schema, RegistryHttp.ContentType) : SchemaNotFound(id);

    private static async Task<IResult> SubjectsAsync(int id, HttpRequest request, SchemaCache cache, IGrainFactory grains)
    {
        if (await cache.GetAsync(id) is null)
        {
            return SchemaNotFound(id);
        }

        var usages = await UsagesAsync(grains, id, request);
        return RegistryHttp.Json(RegistryHttp.Page(request, usages.Select(u => u.Subject).Distinct()));
    }

    private static async Task<IResult> VersionsAsync(int id, HttpRequest request, SchemaCache cache, IGrainFactory grains)
    {
        if (await cache.GetAsync(id) is null)
        {
            return SchemaNotFound(id);
        }

        var usages = await UsagesAsync(grains, id, request);
        return RegistryHttp.Json(RegistryHttp.Page(request, usages.Select(u => new UsageBody(u.Subject, u.Version))));
    }

    private static async Task<IResult> ListAsync(HttpRequest request, IGrainFactory grains)
    {
        var prefix = request.Query["subjectPrefix"].ToString();
        var deleted = RegistryHttp.Flag(request, "deleted");
        var latestOnly = RegistryHttp.Flag(request, "latestOnly");
        var schemas = new List<SubjectVersionBody>();
        foreach (var (subject, _) in await grains.GetGrain<ISchemaRegistryGrain>(0).GetSubjectsAsync())
        {
            if (!subject.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var subjectGrain = grains.GetGrain<ISchemaSubjectGrain>(subject);
            var versions = (await subjectGrain.GetVersionsAsync(deleted, deletedOnly: false)).Value ?? [];
            foreach (var version in latestOnly ? versions.TakeLast(1) : versions)
            {
                if ((await subjectGrain.GetVersionAsync(version.ToString(CultureInfo.InvariantCulture), deleted)).Value is { } found)
                {
                    schemas.Add(RegistryHttp.VersionBody(found));
                }
            }
        }

        return RegistryHttp.Json(RegistryHttp.Page(request, schemas));
    }

    /// <summary>
    /// Where an id is used; soft-deleted versions only with <c>deleted=true</c>, one subject with <c>subject=</c>. The
    /// id's list of usages may name a version a crash left unwritten: each is checked with its subject.
    /// </summary>
    private static async Task<IEnumerable<SchemaUsage>> UsagesAsync(IGrainFactory grains, int id, HttpRequest request)
    {
        var deleted = RegistryHttp.Flag(request, "deleted");
        var subject = request.Query["subject"].ToString();
        var usages = (await grains.GetGrain<ISchemaByIdGrain>(id).GetUsagesAsync()).Where(u => subject.Length == 0 || u.Subject == subject);
        var checkedUsages = await Task.WhenAll(usages.Select(async usage =>
        {
            var stored = await grains.GetGrain<ISchemaSubjectGrain>(usage.Subject)
                .GetVersionAsync(usage.Version.ToString(CultureInfo.InvariantCulture), includeDeleted: true);
            return stored.Value is { } version && version.Id == id && (deleted || !version.Deleted) ? usage : null;
        }));
        return checkedUsages.OfType<SchemaUsage>();
    }

    private static IResult SchemaNotFound(int id) => RegistryHttp.Error(RegistryErrors.SchemaNotFound, $"Schema {id} not found");
}
