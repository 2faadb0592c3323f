using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.SchemaRegistry.Json;
using Tributary.Gateway.SchemaRegistry.Security;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.KafkaFormats.SchemaRegistry;

namespace Tributary.Gateway.SchemaRegistry.Endpoints;

/// <summary>
/// Compatibility levels, the normalize flag and data-contract defaults: global (the default context's registry grain),
/// per context (<c>/config/:.ctx:</c>, that context's registry grain; a subject in it falls back to them, not to the
/// global ones, as in Confluent) and per subject (the subject's grain).
/// </summary>
internal static class ConfigEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/config", GetGlobalAsync).Requires(RegistryOperation.GlobalCompatibilityRead);
        api.MapPut("/config", SetGlobalAsync).Requires(RegistryOperation.GlobalCompatibilityWrite);
        api.MapDelete("/config", DeleteGlobalAsync).Requires(RegistryOperation.GlobalCompatibilityWrite);
        api.MapGet("/config/{subject}", GetSubjectAsync).Requires(RegistryOperation.SubjectCompatibilityRead);
        api.MapPut("/config/{subject}", SetSubjectAsync).Requires(RegistryOperation.SubjectCompatibilityWrite);
        api.MapDelete("/config/{subject}", DeleteSubjectAsync).Requires(RegistryOperation.SubjectCompatibilityWrite);
    }

    private static async Task<IResult> GetGlobalAsync(IGrainFactory grains) => ConfigGet(await RegistryHttp.Registry(grains).GetConfigAsync());

    private static async Task<IResult> SetGlobalAsync(HttpRequest request, IGrainFactory grains, RegistryRejections rejections)
    {
        var (config, error) = await ReadConfigAsync(request, rejections);
        if (config is null)
        {
            return error!;
        }

        return await RegistryHttp.Registry(grains).SetConfigAsync(config)
            ? RegistryHttp.Json(new ConfigPutBody(config.Compatibility, config.Normalize, MetadataBody.Of(config.DefaultMetadata),
                MetadataBody.Of(config.OverrideMetadata), RuleSetBody.Of(config.DefaultRuleSet), RuleSetBody.Of(config.OverrideRuleSet)))
            : InvalidCompatibilityLevel(request, rejections, config.Compatibility);
    }

    private static async Task<IResult> DeleteGlobalAsync(IGrainFactory grains) => ConfigGet(await RegistryHttp.Registry(grains).DeleteConfigAsync());

    private static async Task<IResult> GetSubjectAsync(string subject, HttpRequest request, IGrainFactory grains)
    {
        var qualified = RegistryHttp.Qualified(subject);
        if (qualified.Name.Length == 0)
        {
            // The default and global contexts always have a config: their own, or the one they fall back to.
            var registry = RegistryHttp.Registry(grains, qualified.Context);
            return await registry.GetOwnConfigAsync() is { } context ? ConfigGet(context)
                : qualified.Context is QualifiedSubject.DefaultContext or QualifiedSubject.GlobalContext ? ConfigGet(await registry.GetConfigAsync())
                : await FallBackAsync(subject, request, grains, qualified);
        }

        if (await RegistryHttp.SubjectGrain(grains, subject).GetConfigAsync() is { } own
            && (own.Compatibility is not null || own.DefaultMetadata is not null || own.OverrideMetadata is not null || own.DefaultRuleSet is not null || own.OverrideRuleSet is not null))
        {
            return ConfigGet(own);
        }

        return await FallBackAsync(subject, request, grains, qualified);
    }

    /// <summary>With <c>defaultToGlobal</c>, the config of the subject's context (with the server's defaults); else 40408.</summary>
    private static async Task<IResult> FallBackAsync(string subject, HttpRequest request, IGrainFactory grains, QualifiedSubject qualified) =>
        RegistryHttp.Flag(request, "defaultToGlobal")
            ? ConfigGet(await RegistryHttp.Registry(grains, qualified.Context).GetConfigAsync())
            : RegistryHttp.Error(RegistryErrors.SubjectCompatibilityNotConfigured,
                $"Subject '{RegistryHttp.Subject(subject)}' does not have subject-level compatibility configured");

    private static async Task<IResult> SetSubjectAsync(string subject, HttpRequest request, IGrainFactory grains, RegistryRejections rejections)
    {
        var (config, error) = await ReadConfigAsync(request, rejections);
        if (config is null)
        {
            return error!;
        }

        if (RegistryHttp.InvalidSubject(request, rejections, subject, configOrMode: true) is { } invalid)
        {
            return invalid;
        }

        var qualified = RegistryHttp.Qualified(subject);
        var set = qualified.Name.Length == 0
            ? await RegistryHttp.Registry(grains, qualified.Context).SetConfigAsync(config)
            : await RegistryHttp.SubjectGrain(grains, subject).SetConfigAsync(config);
        return set
            ? RegistryHttp.Json(new ConfigPutBody(config.Compatibility, config.Normalize, MetadataBody.Of(config.DefaultMetadata),
                MetadataBody.Of(config.OverrideMetadata), RuleSetBody.Of(config.DefaultRuleSet), RuleSetBody.Of(config.OverrideRuleSet)))
            : InvalidCompatibilityLevel(request, rejections, config.Compatibility);
    }

    private static async Task<IResult> DeleteSubjectAsync(string subject, IGrainFactory grains)
    {
        var qualified = RegistryHttp.Qualified(subject);
        var previous = qualified.Name.Length > 0
            ? await RegistryHttp.SubjectGrain(grains, subject).DeleteConfigAsync()
            : await RegistryHttp.Registry(grains, qualified.Context).GetOwnConfigAsync() is null
                ? null
                : await RegistryHttp.Registry(grains, qualified.Context).DeleteConfigAsync();
        return previous is not null
            ? ConfigGet(previous)
            : RegistryHttp.Error(RegistryErrors.SubjectNotFound, $"Subject '{RegistryHttp.Subject(subject)}' not found.");
    }

    /// <summary>A config body that sets something (the level upper-cased; the grain checks that it is one of Confluent's), or 42203.</summary>
    private static async Task<(RegistryConfig? Config, IResult? Error)> ReadConfigAsync(HttpRequest request, RegistryRejections rejections)
    {
        var (body, error) = await RegistryHttp.ReadAsync<ConfigRequestBody>(request, rejections.Logger);
        if (body is null)
        {
            return (null, error);
        }

        var name = body.Compatibility ?? body.CompatibilityLevel;
        var contracts = body.DefaultMetadata is not null || body.OverrideMetadata is not null || body.DefaultRuleSet is not null || body.OverrideRuleSet is not null;
        return name is null && body.Normalize is null && !contracts
            ? (null, InvalidCompatibilityLevel(request, rejections, name))
            : (new RegistryConfig(name?.ToUpperInvariant(), body.Normalize, body.DefaultMetadata?.ToData(), body.OverrideMetadata?.ToData(),
                body.DefaultRuleSet?.ToData(), body.OverrideRuleSet?.ToData()), null);
    }

    private static IResult InvalidCompatibilityLevel(HttpRequest request, RegistryRejections rejections, string? name)
    {
        rejections.IfRejected(request, RegistryErrors.InvalidCompatibilityLevel, name);
        return RegistryHttp.Error(RegistryErrors.InvalidCompatibilityLevel,
            "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive");
    }

    private static IResult ConfigGet(RegistryConfig config) => RegistryHttp.Json(new ConfigGetBody(config.Compatibility, config.Normalize,
        MetadataBody.Of(config.DefaultMetadata), MetadataBody.Of(config.OverrideMetadata), RuleSetBody.Of(config.DefaultRuleSet), RuleSetBody.Of(config.OverrideRuleSet)));
}
