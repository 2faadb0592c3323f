using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.SchemaRegistry.Json;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.KafkaFormats.SchemaRegistry;

namespace Tributary.Gateway.SchemaRegistry.Endpoints;

/// <summary>
/// Schemas by id and GUID (served from the cache), where an id is used, the schema types, and the list of all schemas.
/// Ids are numbered per context: the <c>subject</c> parameter names the one to look in (<see cref="RegistryContexts.ForIdAsync"/>).
/// </summary>
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
        RegistryHttp.Json(await RegistryHttp.Registry(grains).GetSchemaTypesAsync());

    private static async Task<IResult> GetByIdAsync(int id, HttpRequest request, SchemaCache cache, IGrainFactory grains)
    {
        var context = await RegistryContexts.ForIdAsync(grains, id, request.Query["subject"]);
        if (await cache.GetAsync(id, context) is not { } schema)
        {
            return SchemaNotFound(id);
        }

        if (request.Query.ContainsKey("format"))
        {
            var formatted = await RegistryHttp.FormattedAsync(request, grains, schema.Definition, context);
            return RegistryHttp.From(formatted, definition => RegistryHttp.Json(RegistryHttp.SchemaBodyOf(definition)));
        }

        return RegistryHttp.Flag(request, "fetchMaxId")
            ? RegistryHttp.Json(RegistryHttp.SchemaBodyOf(schema.Definition, await RegistryHttp.Registry(grains, context).GetMaxIdAsync()))
            : Results.Bytes(schema.Body, RegistryHttp.ContentType);
    }

    /// <summary>A GUID is looked up in the default context, then in each other one.</summary>
    private static async Task<IResult> GetByGuidAsync(string guid, SchemaCache cache, IGrainFactory grains)
    {
        foreach (var context in await RegistryContexts.AllAsync(grains))
        {
            if (await grains.SchemaGuid(guid.ToLowerInvariant(), context).GetIdAsync() is { } id && await cache.GetAsync(id, context) is { } schema)
            {
                return Results.Bytes(schema.Body, RegistryHttp.ContentType);
            }
        }

        return RegistryHttp.Error(RegistryErrors.SchemaNotFound, $"Schema {guid} not found");
    }

    private static async Task<IResult> GetTextAsync(int id, HttpRequest request, SchemaCache cache, IGrainFactory grains) =>
        await cache.GetAsync(id, await RegistryContexts.ForIdAsync(grains, id, request.Query["subject"])) is { } schema
            ? Results.Text(schema.Definition.Schema, RegistryHttp.ContentType)
            : SchemaNotFound(id);

    private static async Task<IResult> SubjectsAsync(int id, HttpRequest request, SchemaCache cache, IGrainFactory grains)
    {
        var context = await RegistryContexts.ForIdAsync(grains, id, request.Query["subject"]);
        if (await cache.GetAsync(id, context) is null)
        {
            return SchemaNotFound(id);
        }

        var usages = await UsagesAsync(grains, id, context, request);
        return RegistryHttp.Json(RegistryHttp.Page(request, usages.Select(u => u.Subject).Distinct()));
    }

    private static async Task<IResult> VersionsAsync(int id, HttpRequest request, SchemaCache cache, IGrainFactory grains)
    {
        var context = await RegistryContexts.ForIdAsync(grains, id, request.Query["subject"]);
        if (await cache.GetAsync(id, context) is null)
        {
            return SchemaNotFound(id);
        }

        var usages = await UsagesAsync(grains, id, context, request);
        return RegistryHttp.Json(RegistryHttp.Page(request, usages.Select(u => new UsageBody(u.Subject, u.Version))));
    }

    /// <summary>Every version of the subjects <c>subjectPrefix</c> names (the default context's without one; <c>:*:</c> every context's).</summary>
    private static async Task<IResult> ListAsync(HttpRequest request, IGrainFactory grains)
    {
        // The first, as Confluent's resource reads a repeated parameter.
        var prefix = request.Query["subjectPrefix"] is { Count: > 0 } given ? given[0] ?? "" : "";
        var deleted = RegistryHttp.Flag(request, "deleted");
        var latestOnly = RegistryHttp.Flag(request, "latestOnly");
        var schemas = new List<SubjectVersionBody>();
        foreach (var subject in await RegistryContexts.SubjectsAsync(grains, prefix, deleted, deletedOnly: false))
        {
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
    private static async Task<IEnumerable<SchemaUsage>> UsagesAsync(IGrainFactory grains, int id, string context, HttpRequest request)
    {
        var deleted = RegistryHttp.Flag(request, "deleted");
        var name = QualifiedSubject.Parse(request.Query["subject"].ToString()).Name;
        var subject = name.Length == 0 ? null : new QualifiedSubject(context, name).Qualified;
        var usages = (await grains.SchemaById(id, context).GetUsagesAsync()).Where(u => subject is null || u.Subject == subject);
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
