using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tributary.Gateway.Http;
using Tributary.Gateway.Http.Authentication;
using Tributary.Gateway.SchemaRegistry.Endpoints;
using Tributary.Gateway.SchemaRegistry.Security;

namespace Tributary.Gateway.SchemaRegistry;

/// <summary>
/// Confluent's Schema Registry API on its own port: one endpoint class per resource (<c>Endpoints/</c>), each mapping
/// its routes to named handlers that turn requests into grain calls.
/// </summary>
public static class SchemaRegistryEndpoints
{
    private static readonly PortApiErrors Errors = new(
        "Tributary.Gateway.SchemaRegistry", RegistryHttp.ContentType, 50001, "Error in the backend data store", 50002);

    public static IServiceCollection AddSchemaRegistryApi(this IServiceCollection services)
    {
        services.AddOptions<RegistryLimits>().BindConfiguration(RegistryLimits.Section);
        services.AddSingleton<SchemaCache>();
        services.AddSingleton<RegistryRejections>();
        services.AddOptions<RegistryAuthorizerOptions>().BindConfiguration(RegistryAuthorizerOptions.Section);
        services.AddSingleton<RegistryAuthorizer>();
        return services;
    }

    public static IApplicationBuilder UseSchemaRegistryApi(this IApplicationBuilder app, int port) =>
        app.MapPortApi(port, "schema-registry", Errors, app.ApplicationServices.GetRequiredService<IOptions<RegistryLimits>>().Value.MaxRequestBodyBytes, (api, _) =>
        {
            RootEndpoints.Map(api);
            ContextsEndpoints.Map(api);
            SchemasEndpoints.Map(api);
            SubjectsEndpoints.Map(api);
            SubjectVersionsEndpoints.Map(api);
            CompatibilityEndpoints.Map(api);
            ConfigEndpoints.Map(api);
            ModeEndpoints.Map(api);
            AssociationsEndpoints.Map(api);
            AssociationBatchEndpoints.Map(api);
            if (app.ApplicationServices.GetRequiredService<RegistryAuthorizer>().Enabled)
            {
                AclsEndpoints.Map(api);
            }
        }, beforeRouting: branch => branch.Use(ContextPaths.RewriteAsync),
            authentication: app.ApplicationServices.GetService<HttpAuthentications>()?.For(HttpAuthentications.SchemaRegistry));
}
