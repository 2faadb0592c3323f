using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Tributary.Grains.KafkaFormats.SchemaRegistry;
using Tributary.Grains.Interfaces.Schemas;

namespace Tributary.Gateway.SchemaRegistry;

/// <summary>Compatibility levels and modes, global (the registry grain) and per subject (the subject's grain).</summary>
public static partial class SchemaRegistryEndpoints
{
    private static readonly string[] Modes = ["READWRITE", "READONLY", "READONLY_OVERRIDE", "IMPORT"];

    private static void MapConfig(RouteGroupBuilder api, ILogger logger)
    {
        api.MapGet("/config", async (IGrainFactory grains) =>
            ConfigGet(await Registry(grains).GetConfigAsync()));

        api.MapPut("/config", async (HttpRequest request, IGrainFactory grains) =>
        {
            var (config, error) = await ReadConfigAsync(request, logger);
            if (config is null)
            {
                return error!;
            }

            if (!await Registry(grains).SetConfigAsync(config))
            {
                return InvalidCompatibilityLevel(logger, request, config.Compatibility);
            }

            return RegistryHttp.Json(new ConfigPutBody(config.Compatibility, config.Normalize));
        });

        api.MapDelete("/config", async (IGrainFactory grains) =>
            ConfigGet(await Registry(grains).DeleteConfigAsync()));

        api.MapGet("/config/{subject}", async (string subject, HttpRequest request, IGrainFactory grains) =>
        {
            if (await SubjectGrain(grains, subject).GetConfigAsync() is { Compatibility: not null } own)
            {
                return ConfigGet(own);
            }

            return RegistryHttp.Flag(request, "defaultToGlobal")
                ? ConfigGet(await Registry(grains).GetConfigAsync())
                : RegistryHttp.Error(RegistryErrors.SubjectCompatibilityNotConfigured,
                    $"Subject '{RegistryHttp.Subject(subject)}' does not have subject-level compatibility configured");
        });

        api.MapPut("/config/{subject}", async (string subject, HttpRequest request, IGrainFactory grains) =>
        {
            var (config, error) = await ReadConfigAsync(request, logger);
            if (config is null)
            {
                return error!;
            }

            if (!await SubjectGrain(grains, subject).SetConfigAsync(config))
            {
                return InvalidCompatibilityLevel(logger, request, config.Compatibility);
            }

            return RegistryHttp.Json(new ConfigPutBody(config.Compatibility, config.Normalize));
        });

        api.MapDelete("/config/{subject}", async (string subject, IGrainFactory grains) =>
            await SubjectGrain(grains, subject).DeleteConfigAsync() is { } previous
                ? ConfigGet(previous)
                : RegistryHttp.Error(RegistryErrors.SubjectNotFound, $"Subject '{RegistryHttp.Subject(subject)}' not found."));
    }

    private static void MapMode(RouteGroupBuilder api, ILogger logger)
    {
        api.MapGet("/mode", async (IGrainFactory grains) =>
            RegistryHttp.Json(new ModeBody(await Registry(grains).GetModeAsync())));

        api.MapPut("/mode", async (HttpRequest request, IGrainFactory grains) =>
        {
            var (mode, error) = await ReadModeAsync(request, logger);
            if (mode is null)
            {
                return error!;
            }

            await Registry(grains).SetModeAsync(mode);
            return RegistryHttp.Json(new ModeBody(mode));
        });

        api.MapDelete("/mode", async (IGrainFactory grains) =>
        {
            var previous = await Registry(grains).GetModeAsync();
            await Registry(grains).SetModeAsync("READWRITE");
            return RegistryHttp.Json(new ModeBody(previous));
        });

        api.MapGet("/mode/{subject}", async (string subject, HttpRequest request, IGrainFactory grains) =>
        {
            if (await SubjectGrain(grains, subject).GetModeAsync() is { } own)
            {
                return RegistryHttp.Json(new ModeBody(own));
            }

            return RegistryHttp.Flag(request, "defaultToGlobal")
                ? RegistryHttp.Json(new ModeBody(await Registry(grains).GetModeAsync()))
                : RegistryHttp.Error(RegistryErrors.SubjectModeNotConfigured,
                    $"Subject '{RegistryHttp.Subject(subject)}' does not have subject-level mode configured");
        });

        api.MapPut("/mode/{subject}", async (string subject, HttpRequest request, IGrainFactory grains) =>
        {
            var (mode, error) = await ReadModeAsync(request, logger);
            if (mode is null)
            {
                return error!;
            }

            await SubjectGrain(grains, subject).SetModeAsync(mode);
            return RegistryHttp.Json(new ModeBody(mode));
        });

        api.MapDelete("/mode/{subject}", async (string subject, IGrainFactory grains) =>
        {
            var grain = SubjectGrain(grains, subject);
            if (await grain.GetModeAsync() is not { } previous)
            {
                return RegistryHttp.Error(RegistryErrors.SubjectNotFound, $"Subject '{RegistryHttp.Subject(subject)}' not found.");
            }

            await grain.SetModeAsync(null);
            return RegistryHttp.Json(new ModeBody(previous));
        });
    }

    /// <summary>A config body that sets something (the level upper-cased; the grain checks that it is one of Confluent's), or 42203.</summary>
    private static async Task<(RegistryConfig? Config, IResult? Error)> ReadConfigAsync(HttpRequest request, ILogger logger)
    {
        var (body, error) = await RegistryHttp.ReadAsync<ConfigRequestBody>(request, logger);
        if (body is null)
        {
            return (null, error);
        }

        var name = body.Compatibility ?? body.CompatibilityLevel;
        if (name is null && body.Normalize is null)
        {
            return (null, InvalidCompatibilityLevel(logger, request, name));
        }

        return (new RegistryConfig(name?.ToUpperInvariant(), body.Normalize), null);
    }

    private static IResult InvalidCompatibilityLevel(ILogger logger, HttpRequest request, string? name)
    {
        LogIfRejected(logger, request, RegistryErrors.InvalidCompatibilityLevel, name);
        return RegistryHttp.Error(RegistryErrors.InvalidCompatibilityLevel,
            "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive");
    }

    /// <summary>A mode body with a known mode, or 42204; IMPORT (explicit ids) is not served, 42205.</summary>
    private static async Task<(string? Mode, IResult? Error)> ReadModeAsync(HttpRequest request, ILogger logger)
    {
        var (body, error) = await RegistryHttp.ReadAsync<ModeBody>(request, logger);
        if (body is null)
        {
            return (null, error);
        }

        var mode = body.Mode?.ToUpperInvariant();
        if (mode is null || !Modes.Contains(mode))
        {
            LogIfRejected(logger, request, RegistryErrors.InvalidMode, body.Mode);
            return (null, RegistryHttp.Error(RegistryErrors.InvalidMode, "Invalid mode. Valid values are READWRITE, READONLY, READONLY_OVERRIDE, IMPORT"));
        }

        if (mode == "IMPORT")
        {
            LogIfRejected(logger, request, RegistryErrors.OperationNotPermitted, mode);
            return (null, RegistryHttp.Error(RegistryErrors.OperationNotPermitted, "IMPORT mode is not supported by this registry"));
        }

        return (mode, null);
    }

    private static IResult ConfigGet(RegistryConfig config) => RegistryHttp.Json(new ConfigGetBody(config.Compatibility, config.Normalize));

    private static ISchemaRegistryGrain Registry(IGrainFactory grains) => grains.GetGrain<ISchemaRegistryGrain>(0);
}
