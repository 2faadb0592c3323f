using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tributary.Grains.KafkaFormats.SchemaRegistry;
using Tributary.Gateway.Http;

namespace Tributary.Gateway.SchemaRegistry;

/// <summary>Confluent's Schema Registry API on its own port.</summary>
public static partial class SchemaRegistryEndpoints
{
    public static IServiceCollection AddSchemaRegistryApi(this IServiceCollection services)
    {
        services.AddSingleton<SchemaCache>();
        return services;
    }

    public static IApplicationBuilder UseSchemaRegistryApi(this IApplicationBuilder app, int port) =>
        app.MapPortApi(port, Errors, (api, logger) =>
        {
            MapRoot(api);
            MapSchemas(api);
            MapSubjects(api, logger);
            MapCompatibility(api, logger);
            MapConfig(api, logger);
            MapMode(api, logger);
        });

    private static readonly PortApiErrors Errors = new(
        "Tributary.Gateway.SchemaRegistry", RegistryHttp.ContentType, 50001, "Error in the backend data store", 50002);

    private static void MapRoot(RouteGroupBuilder api)
    {
        api.MapGet("/", () => RegistryHttp.Json(new Dictionary<string, string>()));
        api.MapPost("/", () => RegistryHttp.Json(new Dictionary<string, string>()));
        api.MapGet("/contexts", () => RegistryHttp.Json(new[] { "." }));
        api.MapGet("/v1/metadata/id", (Kafka.BrokerIdentity broker) => RegistryHttp.Json(new
        {
            scope = new { path = Array.Empty<string>(), clusters = new Dictionary<string, string> { ["kafka-cluster"] = broker.ClusterId, ["schema-registry-cluster"] = "schema-registry" } },
        }));
        api.MapGet("/v1/metadata/version", () => RegistryHttp.Json(new
        {
            version = typeof(SchemaRegistryEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
            commitId = "",
        }));

        // Schema associations (Confluent 8) are not kept; the .NET serializers ask for them first and fall back to
        // subject name strategies on this answer.
        api.MapMethods("/associations/{**rest}", ["GET", "POST", "PUT", "DELETE"], () =>
            RegistryHttp.Error(RegistryErrors.SubjectNotFound, "No associations"));
    }
}
