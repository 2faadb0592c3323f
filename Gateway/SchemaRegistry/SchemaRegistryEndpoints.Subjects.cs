using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Tributary.Grains.KafkaFormats.SchemaRegistry;
using Tributary.Grains.Interfaces.Schemas;

namespace Tributary.Gateway.SchemaRegistry;

/// <summary>Subjects and their versions: list, register, look up, read, delete; and compatibility checks.</summary>
public static partial class SchemaRegistryEndpoints
{
    private static void MapSubjects(RouteGroupBuilder api, ILogger logger)
    {
        api.MapGet("/subjects", async (HttpRequest request, IGrainFactory grains) =>
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
        });

        api.MapGet("/subjects/{subject}/versions", async (string subject, HttpRequest request, IGrainFactory grains) =>
            RegistryHttp.From(
                await SubjectGrain(grains, subject).GetVersionsAsync(RegistryHttp.Flag(request, "deleted"), RegistryHttp.Flag(request, "deletedOnly")),
                versions => RegistryHttp.Json(RegistryHttp.Page(request, versions))));

        api.MapPost("/subjects/{subject}/versions", async (string subject, HttpRequest request, IGrainFactory grains, SchemaCache cache) =>
        {
            var (submission, error) = await RegistryHttp.ReadSubmissionAsync(request, RegistryHttp.Flag(request, "normalize"), logger);
            if (submission is null)
            {
                return error!;
            }

            var result = await SubjectGrain(grains, subject).RegisterAsync(submission);
            LogIfRejected(logger, request, result.ErrorCode, result.Message);
            if (result.ErrorCode != RegistryErrors.None)
            {
                return RegistryHttp.Error(result.ErrorCode, result.Message ?? "");
            }

            // Confluent 8 answers with the schema's GUID too; older clients ignore it.
            return RegistryHttp.Json(new IdBody(result.Value, (await cache.GetAsync(result.Value))?.Guid));
        });

        api.MapGet("/subjects/{subject}/versions/{version}", async (string subject, string version, HttpRequest request, IGrainFactory grains) =>
            RegistryHttp.From(
                await SubjectGrain(grains, subject).GetVersionAsync(version, RegistryHttp.Flag(request, "deleted")),
                found => RegistryHttp.Json(RegistryHttp.VersionBody(found))));

        api.MapGet("/subjects/{subject}/versions/{version}/schema", async (string subject, string version, HttpRequest request, IGrainFactory grains) =>
            RegistryHttp.From(
                await SubjectGrain(grains, subject).GetVersionAsync(version, RegistryHttp.Flag(request, "deleted")),
                found => Results.Text(found.Definition.Schema, RegistryHttp.ContentType)));

        api.MapGet("/subjects/{subject}/versions/{version}/referencedby", async (string subject, string version, HttpRequest request, IGrainFactory grains) =>
            RegistryHttp.From(
                await SubjectGrain(grains, subject).GetReferencedByAsync(version),
                ids => RegistryHttp.Json(RegistryHttp.Page(request, ids))));

        api.MapDelete("/subjects/{subject}/versions/{version}", async (string subject, string version, HttpRequest request, IGrainFactory grains) =>
        {
            var result = await SubjectGrain(grains, subject).DeleteVersionAsync(version, RegistryHttp.Flag(request, "permanent"));
            LogIfRejected(logger, request, result.ErrorCode, result.Message);
            return RegistryHttp.From(result, deleted => RegistryHttp.Json(deleted));
        });

        api.MapPost("/subjects/{subject}", async (string subject, HttpRequest request, IGrainFactory grains) =>
        {
            var (submission, error) = await RegistryHttp.ReadSubmissionAsync(request, RegistryHttp.Flag(request, "normalize"), logger);
            return submission is null
                ? error!
                : RegistryHttp.From(
                    await SubjectGrain(grains, subject).LookupAsync(submission, RegistryHttp.Flag(request, "deleted")),
                    found => RegistryHttp.Json(RegistryHttp.VersionBody(found)));
        });

        api.MapDelete("/subjects/{subject}", async (string subject, HttpRequest request, IGrainFactory grains) =>
        {
            var result = await SubjectGrain(grains, subject).DeleteAsync(RegistryHttp.Flag(request, "permanent"));
            LogIfRejected(logger, request, result.ErrorCode, result.Message);
            return RegistryHttp.From(result, versions => RegistryHttp.Json(versions));
        });

        // Data contracts (metadata on versions) are not kept: only an empty filter matches, with the latest version.
        api.MapGet("/subjects/{subject}/metadata", async (string subject, HttpRequest request, IGrainFactory grains) =>
        {
            var result = await SubjectGrain(grains, subject).GetVersionAsync("latest", RegistryHttp.Flag(request, "deleted"));
            if (result.ErrorCode == RegistryErrors.None && (request.Query.ContainsKey("key") || request.Query.ContainsKey("value")))
            {
                return RegistryHttp.Error(RegistryErrors.SchemaNotFound, "No version of the subject has that metadata");
            }

            return RegistryHttp.From(result, found => RegistryHttp.Json(RegistryHttp.VersionBody(found)));
        });
    }

    private static void MapCompatibility(RouteGroupBuilder api, ILogger logger)
    {
        async Task<IResult> CheckAsync(string subject, string? version, HttpRequest request, IGrainFactory grains)
        {
            var (submission, error) = await RegistryHttp.ReadSubmissionAsync(request, RegistryHttp.Flag(request, "normalize"), logger);
            if (submission is null)
            {
                return error!;
            }

            var verbose = RegistryHttp.Flag(request, "verbose");
            return RegistryHttp.From(
                await SubjectGrain(grains, subject).CheckCompatibilityAsync(submission, version),
                verdict => RegistryHttp.Json(new CompatibilityBody(verdict.IsCompatible, verbose ? verdict.Messages : null)));
        }

        api.MapPost("/compatibility/subjects/{subject}/versions", (string subject, HttpRequest request, IGrainFactory grains) =>
            CheckAsync(subject, null, request, grains));
        api.MapPost("/compatibility/subjects/{subject}/versions/{version}", (string subject, string version, HttpRequest request, IGrainFactory grains) =>
            CheckAsync(subject, version, request, grains));
    }

    private static ISchemaSubjectGrain SubjectGrain(IGrainFactory grains, string subject) =>
        grains.GetGrain<ISchemaSubjectGrain>(RegistryHttp.Subject(subject));

    private static void LogIfRejected(ILogger logger, HttpRequest request, int code, string? message)
    {
        if (code != RegistryErrors.None)
        {
            LogRejected(logger, request.Method, request.Path, code, message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema registry {Method} {Path} answered {ErrorCode}: {Message}")]
    private static partial void LogRejected(ILogger logger, string method, string path, int errorCode, string? message);
}
