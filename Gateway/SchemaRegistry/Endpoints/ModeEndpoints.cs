using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.SchemaRegistry.Json;
using Tributary.Gateway.SchemaRegistry.Security;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.KafkaFormats.SchemaRegistry;

namespace Tributary.Gateway.SchemaRegistry.Endpoints;

/// <summary>
/// Modes (READWRITE, READONLY, READONLY_OVERRIDE, IMPORT), global, per context (<c>/mode/:.ctx:</c>) and per subject.
/// IMPORT is set only where there are no schemas yet (the registry, the context or the subject), unless
/// <c>force=true</c>, as Confluent has it.
/// </summary>
internal static class ModeEndpoints
{
    private static readonly string[] Modes = ["READWRITE", "READONLY", "READONLY_OVERRIDE", "IMPORT"];

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/mode", GetGlobalAsync).Requires(RegistryOperation.GlobalCompatibilityRead);
        api.MapPut("/mode", SetGlobalAsync).Requires(RegistryOperation.GlobalCompatibilityWrite);
        api.MapDelete("/mode", DeleteGlobalAsync).Requires(RegistryOperation.GlobalCompatibilityWrite);
        api.MapGet("/mode/{subject}", GetSubjectAsync).Requires(RegistryOperation.SubjectCompatibilityRead);
        api.MapPut("/mode/{subject}", SetSubjectAsync).Requires(RegistryOperation.SubjectCompatibilityWrite);
        api.MapDelete("/mode/{subject}", DeleteSubjectAsync).Requires(RegistryOperation.SubjectCompatibilityWrite);
    }

    private static async Task<IResult> GetGlobalAsync(IGrainFactory grains) =>
        RegistryHttp.Json(new ModeBody(await RegistryHttp.Registry(grains).GetModeAsync()));

    private static async Task<IResult> SetGlobalAsync(HttpRequest request, IGrainFactory grains, RegistryRejections rejections)
    {
        var (mode, error) = await ReadModeAsync(request, rejections);
        if (mode is null)
        {
            return error!;
        }

        return await SetContextModeAsync(QualifiedSubject.DefaultContext, mode, request, grains, rejections);
    }

    private static async Task<IResult> SetContextModeAsync(string context, string mode, HttpRequest request, IGrainFactory grains, RegistryRejections rejections)
    {
        var registry = RegistryHttp.Registry(grains, context);
        if (mode == "IMPORT" && await registry.GetModeAsync() != "IMPORT" && !RegistryHttp.Flag(request, "force")
            && (await registry.GetSubjectsAsync()).Count > 0)
        {
            return CannotImport(request, rejections);
        }

        await registry.SetModeAsync(mode);
        return RegistryHttp.Json(new ModeBody(mode));
    }

    private static IResult CannotImport(HttpRequest request, RegistryRejections rejections)
    {
        rejections.IfRejected(request, RegistryErrors.OperationNotPermitted, "IMPORT");
        return RegistryHttp.Error(RegistryErrors.OperationNotPermitted, "Cannot import since found existing subjects");
    }

    private static async Task<IResult> DeleteGlobalAsync(IGrainFactory grains)
    {
        var previous = await RegistryHttp.Registry(grains).GetModeAsync();
        await RegistryHttp.Registry(grains).SetModeAsync("READWRITE");
        return RegistryHttp.Json(new ModeBody(previous));
    }

    private static async Task<IResult> GetSubjectAsync(string subject, HttpRequest request, IGrainFactory grains)
    {
        var qualified = RegistryHttp.Qualified(subject);
        var own = qualified.Name.Length == 0
            ? await RegistryHttp.Registry(grains, qualified.Context).GetOwnModeAsync()
            : await RegistryHttp.SubjectGrain(grains, subject).GetModeAsync();
        if (own is not null)
        {
            return RegistryHttp.Json(new ModeBody(own));
        }

        return RegistryHttp.Flag(request, "defaultToGlobal")
            ? RegistryHttp.Json(new ModeBody(await RegistryHttp.Registry(grains, qualified.Context).GetModeAsync()))
            : RegistryHttp.Error(RegistryErrors.SubjectModeNotConfigured,
                $"Subject '{RegistryHttp.Subject(subject)}' does not have subject-level mode configured");
    }

    private static async Task<IResult> SetSubjectAsync(string subject, HttpRequest request, IGrainFactory grains, RegistryRejections rejections)
    {
        var (mode, error) = await ReadModeAsync(request, rejections);
        if (mode is null)
        {
            return error!;
        }

        if (RegistryHttp.InvalidSubject(request, rejections, subject, configOrMode: true) is { } invalid)
        {
            return invalid;
        }

        var qualified = RegistryHttp.Qualified(subject);
        if (qualified.Name.Length == 0)
        {
            return await SetContextModeAsync(qualified.Context, mode, request, grains, rejections);
        }

        var grain = RegistryHttp.SubjectGrain(grains, subject);
        if (mode == "IMPORT" && await grain.GetModeAsync() != "IMPORT" && !RegistryHttp.Flag(request, "force")
            && (await grain.GetVersionsAsync(includeDeleted: true, deletedOnly: false)).Value is { Count: > 0 })
        {
            return CannotImport(request, rejections);
        }

        await grain.SetModeAsync(mode);
        return RegistryHttp.Json(new ModeBody(mode));
    }

    private static async Task<IResult> DeleteSubjectAsync(string subject, IGrainFactory grains)
    {
        var qualified = RegistryHttp.Qualified(subject);
        if (qualified.Name.Length == 0)
        {
            var registry = RegistryHttp.Registry(grains, qualified.Context);
            if (await registry.GetOwnModeAsync() is not { } set)
            {
                return RegistryHttp.Error(RegistryErrors.SubjectNotFound, $"Subject '{RegistryHttp.Subject(subject)}' not found.");
            }

            await registry.SetModeAsync(null);
            return RegistryHttp.Json(new ModeBody(set));
        }

        var grain = RegistryHttp.SubjectGrain(grains, subject);
        if (await grain.GetModeAsync() is not { } previous)
        {
            return RegistryHttp.Error(RegistryErrors.SubjectNotFound, $"Subject '{RegistryHttp.Subject(subject)}' not found.");
        }

        await grain.SetModeAsync(null);
        return RegistryHttp.Json(new ModeBody(previous));
    }

    /// <summary>A mode body with a known mode, or 42204.</summary>
    private static async Task<(string? Mode, IResult? Error)> ReadModeAsync(HttpRequest request, RegistryRejections rejections)
    {
        var (body, error) = await RegistryHttp.ReadAsync<ModeBody>(request, rejections.Logger);
        if (body is null)
        {
            return (null, error);
        }

        var mode = body.Mode?.ToUpperInvariant();
        if (mode is null || !Modes.Contains(mode))
        {
            rejections.IfRejected(request, RegistryErrors.InvalidMode, body.Mode);
            return (null, RegistryHttp.Error(RegistryErrors.InvalidMode, "Invalid mode. Valid values are READWRITE, READONLY, READONLY_OVERRIDE, IMPORT"));
        }

        return (mode, null);
    }
}
