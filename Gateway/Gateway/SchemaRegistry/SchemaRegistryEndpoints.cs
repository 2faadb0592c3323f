using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tributary.Gateway.SchemaRegistry;

/// <summary>
/// Confluent's Schema Registry API on its own port. The API is served in a branch of the pipeline taken only by
/// connections to that port, so the REST Proxy and Connect can later have their own root and paths beside it.
/// </summary>
public static partial class SchemaRegistryEndpoints
{
    public static IServiceCollection AddSchemaRegistryApi(this IServiceCollection services)
    {
        services.AddSingleton<SchemaCache>();
        return services;
    }

    public static IApplicationBuilder UseSchemaRegistryApi(this IApplicationBuilder app, int port) =>
        app.MapWhen(context => context.Connection.LocalPort == port, registry =>
        {
            var logger = registry.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Tributary.Gateway.SchemaRegistry");
            registry.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = context => AnswerFailureAsync(context, logger) });
            registry.UseStatusCodePages(context => AnswerStatusAsync(context.HttpContext));
            registry.UseRouting();
            registry.UseEndpoints(endpoints =>
            {
                var api = endpoints.MapGroup("");
                MapRoot(api);
                MapSchemas(api);
                MapSubjects(api, logger);
                MapCompatibility(api, logger);
                MapConfig(api, logger);
                MapMode(api, logger);
            });
        });

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
            RegistryHttp.Error(Grains.Interfaces.Schemas.RegistryErrors.SubjectNotFound, "No associations"));
    }

    /// <summary>Failures that are not the client's: the store (or a grain call) failed, answered 50001 or 50002.</summary>
    private static Task AnswerFailureAsync(HttpContext context, ILogger logger)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (error is BadHttpRequestException bad)
        {
            return WriteErrorAsync(context, bad.StatusCode, bad.Message);
        }

        LogFailure(logger, context.Request.Method, context.Request.Path, error);
        return error is TimeoutException
            ? WriteErrorAsync(context, 50002, "Operation timed out")
            : WriteErrorAsync(context, 50001, "Error in the backend data store");
    }

    /// <summary>Unknown paths and methods get Confluent's envelope with the HTTP status as their code.</summary>
    private static Task AnswerStatusAsync(HttpContext context) =>
        WriteErrorAsync(context, context.Response.StatusCode, $"HTTP {context.Response.StatusCode} {ReasonPhrase(context.Response.StatusCode)}");

    private static Task WriteErrorAsync(HttpContext context, int code, string message)
    {
        context.Response.StatusCode = code >= 1000 ? code / 100 : code;
        context.Response.ContentType = RegistryHttp.ContentType;
        return context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(new ErrorBody(code, message), RegistryJson.Options)).AsTask();
    }

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Schema registry request {Method} {Path} failed")]
    private static partial void LogFailure(ILogger logger, string method, string path, Exception? error);
}
