using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.SchemaRegistry.Json;
using Tributary.Gateway.SchemaRegistry.Security;
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
        api.MapGet("/schemas/ids/{id:int}", GetByIdAsync).RequiresSchemaRead();
        api.MapGet("/schemas/guids/{guid}", GetByGuidAsync).RequiresSchemaRead();
        api.MapGet("/schemas/ids/{id:int}/schema", GetTextAsync).RequiresSchemaRead();
        api.MapGet("/schemas/ids/{id:int}/subjects", SubjectsAsync).RequiresSchemaRead();
        api.MapGet("/schemas/ids/{id:int}/versions", VersionsAsync).RequiresSchemaRead();
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

    /// <summary>Every version of the subjects <c>subjectPrefix</c> names (the default context's without one; <c>:*:</c> every context's) that the caller may read.</summary>
    private static async Task<IResult> ListAsync(HttpRequest request, IGrainFactory grains)
    {
        // The first, as Confluent's resource reads a repeated parameter.
        var prefix = request.Query["subjectPrefix"] is { Count: > 0 } given ? given[0] ?? "" : "";
        var deleted = RegistryHttp.Flag(request, "deleted");
        var latestOnly = RegistryHttp.Flag(request, "latestOnly");
        var ruleType = request.Query["ruleType"].ToString();
        var byAssociation = AssociationFilter.Of(request);
        var schemas = new List<SubjectVersionBody>();
        var readable = await RegistryAcls.ReadableAsync(request.HttpContext);
        foreach (var subject in (await RegistryContexts.SubjectsAsync(grains, prefix, deleted, deletedOnly: false)).Where(readable))
        {
            var associations = byAssociation is null ? null : await byAssociation.MatchAsync(grains, subject);
            if (byAssociation is not null && associations is null)
            {
                continue;
            }

            var subjectGrain = grains.GetGrain<ISchemaSubjectGrain>(subject);
            var versions = (await subjectGrain.GetVersionsAsync(deleted, deletedOnly: false)).Value ?? [];
            foreach (var version in latestOnly ? versions.TakeLast(1) : versions)
            {
                if ((await subjectGrain.GetVersionAsync(version.ToString(CultureInfo.InvariantCulture), deleted)).Value is { } found
                    && (ruleType.Length == 0 || HasRuleOfType(found.Definition.RuleSet, ruleType)))
                {
                    schemas.Add(RegistryHttp.VersionBody(found) with { Associations = associations is { Count: > 0 } ? associations : null });
                }
            }
        }

        return RegistryHttp.Json(RegistryHttp.Page(request, schemas));
    }

    /// <summary>Whether a rule of the rule set (migration, domain or encoding) has the type, as <c>ruleType</c> filters.</summary>
    private static bool HasRuleOfType(SchemaRuleSet? ruleSet, string type) =>
        (ruleSet?.DomainRules ?? []).Concat(ruleSet?.MigrationRules ?? []).Concat(ruleSet?.EncodingRules ?? []).Any(r => r.Type == type);

    /// <summary>
    /// <c>GET /schemas</c>'s association filters, as Confluent's: <c>resourceType</c>, <c>associationType</c> (repeated)
    /// and <c>lifecycle</c> (repeated: STRONG, WEAK, or NONE for subjects without an association). A subject passes
    /// with its matching associations, or, unassociated, when NONE is asked.
    /// </summary>
    private sealed record AssociationFilter(string? ResourceType, List<string> AssociationTypes, List<string> Lifecycles)
    {
        public static AssociationFilter? Of(HttpRequest request)
        {
            var types = request.Query["associationType"].Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToList();
            var lifecycles = request.Query["lifecycle"].Where(l => !string.IsNullOrEmpty(l)).Select(l => l!).ToList();
            var resourceType = request.Query.ContainsKey("resourceType") ? request.Query["resourceType"].ToString() : null;
            return types.Count == 0 && lifecycles.Count == 0 && resourceType is null ? null : new AssociationFilter(resourceType, types, lifecycles);
        }

        /// <summary>The subject's associations that pass (empty for an unassociated subject that does), or null when it does not pass.</summary>
        public async Task<List<AssociationBody>?> MatchAsync(IGrainFactory grains, string subject)
        {
            var found = await grains.GetGrain<ISchemaAssociationsGrain>(0).FindAsync(
                new AssociationLookup(subject, null, null, null, string.IsNullOrEmpty(ResourceType) ? "topic" : ResourceType, AssociationTypes, null));
            if (found.Count == 0)
            {
                return Lifecycles.Contains("NONE") ? [] : null;
            }

            var wanted = Lifecycles.Where(l => l != "NONE").ToHashSet(StringComparer.Ordinal);
            if (wanted.Count == 0)
            {
                return Lifecycles.Count == 0 ? found.Select(AssociationBody.Of).ToList() : null;
            }

            var matching = found.Where(a => wanted.Contains(a.Lifecycle)).Select(AssociationBody.Of).ToList();
            return matching.Count == 0 ? null : matching;
        }
    }

    /// <summary>
    /// Where an id is used, in the subjects the caller may read; soft-deleted versions only with <c>deleted=true</c>, one subject with <c>subject=</c>. The
    /// id's list of usages may name a version a crash left unwritten: each is checked with its subject.
    /// </summary>
    private static async Task<IEnumerable<SchemaUsage>> UsagesAsync(IGrainFactory grains, int id, string context, HttpRequest request)
    {
        var deleted = RegistryHttp.Flag(request, "deleted");
        var name = QualifiedSubject.Parse(request.Query["subject"].ToString()).Name;
        var subject = name.Length == 0 ? null : new QualifiedSubject(context, name).Qualified;
        var readable = await RegistryAcls.ReadableAsync(request.HttpContext);
        var usages = (await grains.SchemaById(id, context).GetUsagesAsync()).Where(u => (subject is null || u.Subject == subject) && readable(u.Subject));
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
