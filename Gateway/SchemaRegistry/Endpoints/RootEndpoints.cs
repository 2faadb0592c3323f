using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Kafka;
using Tributary.Grains.KafkaFormats.SchemaRegistry;

namespace Tributary.Gateway.SchemaRegistry.Endpoints;

/// <summary>The root, the cluster's metadata, and schema associations (which are not kept).</summary>
internal static class RootEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/", Empty);
        api.MapPost("/", Empty);
        api.MapGet("/v1/metadata/id", ClusterId);
        api.MapGet("/v1/metadata/version", Version);

        // Schema associations (Confluent 8) are not kept; the .NET serializers ask for them first and fall back to
        // subject name strategies on this answer.
        api.MapMethods("/associations/{**rest}", ["GET", "POST", "PUT", "DELETE"], NoAssociations);
    }

    private static IResult Empty() => RegistryHttp.Json(new Dictionary<string, string>());

    private static IResult ClusterId(BrokerIdentity broker) => RegistryHttp.Json(new
    {
        scope = new { path = Array.Empty<string>(), clusters = new Dictionary<string, string> { ["kafka-cluster"] = broker.ClusterId, ["schema-registry-cluster"] = "schema-registry" } },
    });

    private static IResult Version() => RegistryHttp.Json(new
    {
        version = typeof(RootEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
        commitId = "",
    });

    private static IResult NoAssociations() => RegistryHttp.Error(RegistryErrors.SubjectNotFound, "No associations");
}
