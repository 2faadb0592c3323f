using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Connect.Json;
using Tributary.Gateway.Kafka;
using Tributary.Gateway.Kafka.Brokers;
using Tributary.Grains.Interfaces.Connect;

namespace Tributary.Gateway.Connect.Endpoints;

/// <summary>The worker: its version and cluster (<c>GET /</c>), and its health (<c>GET /health</c>, KIP-1017).</summary>
internal static class RootEndpoints
{
    /// <summary>The Kafka version whose Connect API this one is.</summary>
    public const string KafkaVersion = "3.9.0";

    /// <summary>How long the health check waits for the Connect grains, Kafka's own health check timeout.</summary>
    private static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The commit this build was made from, as the SDK appends it to the informational version (<c>1.0.0+sha</c>).</summary>
    private static readonly string Commit =
        typeof(RootEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion is { } version
        && version.IndexOf('+', StringComparison.Ordinal) is var plus and >= 0
            ? version[(plus + 1)..]
            : "";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/", (BrokerIdentity broker) => ConnectHttp.Json(new ServerInfo(KafkaVersion, Commit, broker.ClusterId)));
        api.MapGet("/health", HealthAsync);
    }

    /// <summary>
    /// 503 while the silo starts (its broker is not registered yet), 500 when the Connect grains do not answer in time,
    /// else 200: Kafka's probe runs a request through its herder likewise.
    /// </summary>
    private static async Task<IResult> HealthAsync(BrokerRegistration registration, IGrainFactory grains, CancellationToken aborted)
    {
        if (!registration.Registered)
        {
            return ConnectHttp.Json(new WorkerStatus("starting", "Worker is still starting up."), StatusCodes.Status503ServiceUnavailable);
        }

        try
        {
            await grains.GetGrain<IConnectClusterGrain>(0).ListAsync().WaitAsync(HealthCheckTimeout, aborted);
        }
        catch (Exception e) when (!aborted.IsCancellationRequested)
        {
            // Whatever keeps the grains from answering (a timeout, a silo going away, no Connect grains in this build)
            // makes the worker unhealthy rather than the probe fail.
            return ConnectHttp.Json(
                new WorkerStatus("unhealthy", $"Worker was unable to handle this request and may be unable to handle other requests: {e.Message}"),
                StatusCodes.Status500InternalServerError);
        }

        return ConnectHttp.Json(new WorkerStatus("healthy", "Worker has completed startup and is ready to handle requests."));
    }
}
