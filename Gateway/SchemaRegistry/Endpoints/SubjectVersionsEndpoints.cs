using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.SchemaRegistry.Json;
using Tributary.Gateway.SchemaRegistry.Security;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.KafkaFormats.SchemaRegistry;

namespace Tributary.Gateway.SchemaRegistry.Endpoints;

/// <summary>A subject's versions: list, register, read (whole or the schema alone), what references one, delete.</summary>
internal static class SubjectVersionsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/subjects/{subject}/versions", ListAsync).Requires(RegistryOperation.SubjectRead);
        api.MapPost("/subjects/{subject}/versions", RegisterAsync).Requires(RegistryOperation.SubjectWrite);
        api.MapGet("/subjects/{subject}/versions/{version}", GetAsync).Requires(RegistryOperation.SubjectRead);
        api.MapGet("/subjects/{subject}/versions/{version}/schema", GetSchemaAsync).Requires(RegistryOperation.SubjectRead);
        api.MapGet("/subjects/{subject}/versions/{version}/referencedby", ReferencedByAsync).Requires(RegistryOperation.SubjectRead);
        api.MapDelete("/subjects/{subject}/versions/{version}", DeleteAsync).Requires(RegistryOperation.SubjectDelete);
    }

    private static async Task<IResult> ListAsync(string subject, HttpRequest request, IGrainFactory grains) =>
        RegistryHttp.From(
            await RegistryHttp.SubjectGrain(grains, subject).GetVersionsAsync(RegistryHttp.Flag(request, "deleted"), RegistryHttp.Flag(request, "deletedOnly")),
            versions => RegistryHttp.Json(RegistryHttp.Page(request, versions)));

    private static async Task<IResult> RegisterAsync(string subject, HttpRequest request, IGrainFactory grains, SchemaCache cache, RegistryRejections rejections)
    {
        var (submission, error) = await RegistryHttp.ReadSubmissionAsync(request, RegistryHttp.Flag(request, "normalize"), rejections.Logger);
        if (submission is null)
        {
            return error!;
        }

        if (await RegistryAcls.UnreadableReferenceAsync(request.HttpContext, subject, submission) is { } refused)
        {
            return refused;
        }

        var result = await RegistryHttp.SubjectGrain(grains, subject).RegisterAsync(submission);
        rejections.IfRejected(request, result.ErrorCode, result.Message);
        if (result.ErrorCode != RegistryErrors.None)
        {
            return RegistryHttp.Error(result.ErrorCode, result.Message ?? "");
        }

        var version = result.Value!;
        return RegistryHttp.Json(new RegisterSchemaResponseBody(
            version.Id, version.Version, (await cache.GetAsync(version.Id, RegistryHttp.Qualified(subject).Context))?.Guid, RegistryHttp.TypeForResponse(version.Definition.SchemaType),
            RegistryHttp.ReferencesForResponse(version.Definition.References), version.Definition.Schema,
            MetadataBody.Of(version.Definition.Metadata), RuleSetBody.Of(version.Definition.RuleSet)));
    }

    /// <summary>An unqualified subject the default context does not have is looked for in the others, as Confluent does.</summary>
    private static async Task<IResult> GetAsync(string subject, string version, HttpRequest request, IGrainFactory grains)
    {
        var deleted = RegistryHttp.Flag(request, "deleted");
        var result = await RegistryContexts.InAnyContextAsync(grains, subject, await RegistryAcls.ReadableAsync(request.HttpContext), grain => grain.GetVersionAsync(version, deleted));
        if (result.Value is { } found && request.Query.ContainsKey("format"))
        {
            var formatted = await RegistryHttp.FormattedAsync(request, grains, found.Definition, QualifiedSubject.Parse(found.Subject).Context);
            return RegistryHttp.From(formatted, definition => RegistryHttp.Json(RegistryHttp.VersionBody(found with { Definition = definition })));
        }

        return RegistryHttp.From(result, found => RegistryHttp.Json(RegistryHttp.VersionBody(found)));
    }

    private static async Task<IResult> GetSchemaAsync(string subject, string version, HttpRequest request, IGrainFactory grains) =>
        RegistryHttp.From(
            await RegistryContexts.InAnyContextAsync(grains, subject, await RegistryAcls.ReadableAsync(request.HttpContext), grain => grain.GetVersionAsync(version, RegistryHttp.Flag(request, "deleted"))),
            found => Results.Text(found.Definition.Schema, RegistryHttp.ContentType));

    private static async Task<IResult> ReferencedByAsync(string subject, string version, HttpRequest request, IGrainFactory grains) =>
        RegistryHttp.From(
            await RegistryHttp.SubjectGrain(grains, subject).GetReferencedByAsync(version),
            ids => RegistryHttp.Json(RegistryHttp.Page(request, ids)));

    private static async Task<IResult> DeleteAsync(string subject, string version, HttpRequest request, IGrainFactory grains, RegistryRejections rejections)
    {
        var result = await RegistryHttp.SubjectGrain(grains, subject).DeleteVersionAsync(version, RegistryHttp.Flag(request, "permanent"));
        rejections.IfRejected(request, result.ErrorCode, result.Message);
        return RegistryHttp.From(result, deleted => RegistryHttp.Json(deleted));
    }
}
