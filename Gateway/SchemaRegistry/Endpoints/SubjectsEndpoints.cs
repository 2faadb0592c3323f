using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.KafkaFormats.SchemaRegistry;

namespace Tributary.Gateway.SchemaRegistry.Endpoints;

/// <summary>Subjects: the list, a lookup of a schema in one, deleting one, and the newest version with given metadata.</summary>
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

    /// <summary>
    /// The newest version whose metadata has every <c>key</c>/<c>value</c> pair asked for (in order, as Confluent pairs
    /// them), in the form <c>format</c> asks.
    /// </summary>
    private static async Task<IResult> ByMetadataAsync(string subject, HttpRequest request, IGrainFactory grains)
    {
        var keys = request.Query["key"];
        var values = request.Query["value"];
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < Math.Min(keys.Count, values.Count); i++)
        {
            properties[keys[i]!] = values[i]!;
        }

        var result = await RegistryHttp.SubjectGrain(grains, subject).GetLatestWithMetadataAsync(properties, RegistryHttp.Flag(request, "deleted"));
        if (result.Value is { } found && request.Query.ContainsKey("format"))
        {
            var formatted = await RegistryHttp.FormattedAsync(request, grains, found.Definition);
            return RegistryHttp.From(formatted, definition => RegistryHttp.Json(RegistryHttp.VersionBody(found with { Definition = definition })));
        }

        return RegistryHttp.From(result, version => RegistryHttp.Json(RegistryHttp.VersionBody(version)));
    }
}
