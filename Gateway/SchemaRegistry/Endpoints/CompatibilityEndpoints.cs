using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.SchemaRegistry.Json;
using Tributary.Gateway.SchemaRegistry.Security;

namespace Tributary.Gateway.SchemaRegistry.Endpoints;

/// <summary>Compatibility checks of a schema against the versions a subject's level names, or against one version.</summary>
internal static class CompatibilityEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/compatibility/subjects/{subject}/versions", CheckAgainstLevelAsync).Requires(RegistryOperation.SubjectWrite);
        api.MapPost("/compatibility/subjects/{subject}/versions/{version}", CheckAgainstVersionAsync).Requires(RegistryOperation.SubjectWrite);
    }

    private static Task<IResult> CheckAgainstLevelAsync(string subject, HttpRequest request, IGrainFactory grains, RegistryRejections rejections) =>
        CheckAsync(subject, null, request, grains, rejections);

    private static Task<IResult> CheckAgainstVersionAsync(string subject, string version, HttpRequest request, IGrainFactory grains, RegistryRejections rejections) =>
        CheckAsync(subject, version, request, grains, rejections);

    private static async Task<IResult> CheckAsync(string subject, string? version, HttpRequest request, IGrainFactory grains, RegistryRejections rejections)
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

        var verbose = RegistryHttp.Flag(request, "verbose");
        return RegistryHttp.From(
            await RegistryHttp.SubjectGrain(grains, subject).CheckCompatibilityAsync(submission, version),
            verdict => RegistryHttp.Json(new CompatibilityBody(verdict.IsCompatible, verbose ? verdict.Messages : null)));
    }
}
