using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.SchemaRegistry.Security;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.KafkaFormats.SchemaRegistry;

namespace Tributary.Gateway.SchemaRegistry.Endpoints;

/// <summary>Subjects: the list, a lookup of a schema in one, deleting one, and the newest version with given metadata.</summary>
internal static class SubjectsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/subjects", ListAsync);
        api.MapPost("/subjects/{subject}", LookupAsync).Requires(RegistryOperation.SubjectRead);
        api.MapDelete("/subjects/{subject}", DeleteAsync).Requires(RegistryOperation.SubjectDelete);
        api.MapGet("/subjects/{subject}/metadata", ByMetadataAsync).Requires(RegistryOperation.SubjectRead);
    }

    /// <summary>
    /// The subjects <c>subjectPrefix</c> names: every context's without one (Confluent's default is <c>:*:</c>); with
    /// the registry's authorizer on, those the caller may see (<see cref="RegistryAcls.ListableAsync"/>).
    /// </summary>
    private static async Task<IResult> ListAsync(HttpRequest request, IGrainFactory grains)
    {
        // The first, as Confluent's resource reads a repeated parameter.
        var prefix = request.Query.TryGetValue("subjectPrefix", out var given) && given.Count > 0 ? given[0] ?? "" : QualifiedSubject.AnyContext;
        var subjects = await RegistryContexts.SubjectsAsync(grains, prefix, RegistryHttp.Flag(request, "deleted"), RegistryHttp.Flag(request, "deletedOnly"));
        var listable = await RegistryAcls.ListableAsync(request.HttpContext);
        return RegistryHttp.Json(RegistryHttp.Page(request, subjects.Where(listable)));
    }

    /// <summary>An unqualified subject the default context does not have this schema under is looked for in the others.</summary>
    private static async Task<IResult> LookupAsync(string subject, HttpRequest request, IGrainFactory grains, RegistryRejections rejections)
    {
        var (submission, error) = await RegistryHttp.ReadSubmissionAsync(request, RegistryHttp.Flag(request, "normalize"), rejections.Logger);
        var deleted = RegistryHttp.Flag(request, "deleted");
        if (submission is not null && await RegistryAcls.UnreadableReferenceAsync(request.HttpContext, subject, submission) is { } refused)
        {
            return refused;
        }

        return submission is null
            ? error!
            : RegistryHttp.From(
                await RegistryContexts.InAnyContextAsync(grains, subject, await RegistryAcls.ReadableAsync(request.HttpContext), grain => grain.LookupAsync(submission, deleted)),
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
            var formatted = await RegistryHttp.FormattedAsync(request, grains, found.Definition, RegistryHttp.Qualified(subject).Context);
            return RegistryHttp.From(formatted, definition => RegistryHttp.Json(RegistryHttp.VersionBody(found with { Definition = definition })));
        }

        return RegistryHttp.From(result, version => RegistryHttp.Json(RegistryHttp.VersionBody(version)));
    }
}
