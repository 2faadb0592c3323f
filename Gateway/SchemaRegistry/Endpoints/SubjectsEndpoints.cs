using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.KafkaFormats.SchemaRegistry;

namespace Tributary.Gateway.SchemaRegistry.Endpoints;

/// <summary>Subjects: the list, a lookup of a schema in one, deleting one, and (not kept) metadata filters.</summary>
internal static class SubjectsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/subjects", ListAsync);
        api.MapPost("/subjects/{subject}", LookupAsync);
        api.MapDelete("/subjects/{subject}", DeleteAsync);
        api.MapGet("/subjects/{subject}/metadata", ByMetadataAsync);
    }

    private static async Task<IResult> ListAsync(HttpRequest request, IGrainFactory grains)
    {
        var prefix = request.Query["subjectPrefix"].ToString();
        var deleted = RegistryHttp.Flag(request, "deleted");
        var deletedOnly = RegistryHttp.Flag(request, "deletedOnly");

        // The registry's list may name a subject a crash left without versions: each is checked with its grain.
        var candidates = (await grains.GetGrain<ISchemaRegistryGrain>(0).GetSubjectsAsync())
            .Where(s => s.Subject.StartsWith(prefix, StringComparison.Ordinal))
            .Select(async s =>
            {
                var grain = grains.GetGrain<ISchemaSubjectGrain>(s.Subject);
                var live = (await grain.GetVersionsAsync(includeDeleted: false, deletedOnly: false)).ErrorCode == RegistryErrors.None;
                var any = live || (await grain.GetVersionsAsync(includeDeleted: true, deletedOnly: false)).Value is { Count: > 0 };
                return (s.Subject, Listed: deletedOnly ? any && !live : deleted ? any : live);
            });
        var subjects = (await Task.WhenAll(candidates)).Where(s => s.Listed).Select(s => s.Subject);
        return RegistryHttp.Json(RegistryHttp.Page(request, subjects));
    }

    private static async Task<IResult> LookupAsync(string subject, HttpRequest request, IGrainFactory grains, RegistryRejections rejections)
    {
        var (submission, error) = await RegistryHttp.ReadSubmissionAsync(request, RegistryHttp.Flag(request, "normalize"), rejections.Logger);
        return submission is null
            ? error!
            : RegistryHttp.From(
                await RegistryHttp.SubjectGrain(grains, subject).LookupAsync(submission, RegistryHttp.Flag(request, "deleted")),
                found => RegistryHttp.Json(RegistryHttp.VersionBody(found)));
    }

    private static async Task<IResult> DeleteAsync(string subject, HttpRequest request, IGrainFactory grains, RegistryRejections rejections)
    {
        var result = await RegistryHttp.SubjectGrain(grains, subject).DeleteAsync(RegistryHttp.Flag(request, "permanent"));
        rejections.IfRejected(request, result.ErrorCode, result.Message);
        return RegistryHttp.From(result, versions => RegistryHttp.Json(versions));
    }

    /// <summary>Data contracts (metadata on versions) are not kept: only an empty filter matches, with the latest version.</summary>
    private static async Task<IResult> ByMetadataAsync(string subject, HttpRequest request, IGrainFactory grains)
    {
        var result = await RegistryHttp.SubjectGrain(grains, subject).GetVersionAsync("latest", RegistryHttp.Flag(request, "deleted"));
        if (result.ErrorCode == RegistryErrors.None && (request.Query.ContainsKey("key") || request.Query.ContainsKey("value")))
        {
            return RegistryHttp.Error(RegistryErrors.SchemaNotFound, "No version of the subject has that metadata");
        }

        return RegistryHttp.From(result, found => RegistryHttp.Json(RegistryHttp.VersionBody(found)));
    }
}
