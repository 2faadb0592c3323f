using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Gateway.Kafka.Brokers;
using Tributary.Grains.Actors.Replication;
using Tributary.Silo.Kubernetes;
using Tributary.Silo.Observability;
using Tributary.Silo.Support;

namespace Tributary.Silo.Health;

/// <summary>
/// Probes for orchestrators, on a port of their own (<c>Tributary:Health:Port</c>, default 8090):
/// <c>/health/live</c> answers while the process serves HTTP; <c>/health/ready</c> answers 200 once the silo is an
/// active member of its cluster and its broker endpoint is registered, 503 before that and while it shuts down;
/// <c>/health/in-sync</c> answers 200 once it is ready and every replica it holds is in sync (in the ISR, and, as a
/// follower, at its leader's high watermark), 503 with the partitions that are not: the gate of a rolling restart
/// (the StatefulSet's startup probe, <c>infra/local/cluster.sh restart-rolling</c>), since a broker stopped while
/// another has not caught up takes a copy of some partitions with it. The StatefulSet's preStop hook,
/// <c>/lifecycle/pre-stop</c>, is served here too (<see cref="PreStopEndpoint"/>), and so are the silo's metrics for
/// Prometheus, <c>/metrics</c> (<see cref="Telemetry"/>), and the silo's support bundle, <c>/support/bundle</c>
/// (<see cref="SupportBundleEndpoint"/>).
/// </summary>
public static class HealthEndpoints
{
    public static IApplicationBuilder UseHealthEndpoints(this IApplicationBuilder app, int port, bool metrics) =>
        app.MapWhen(context => context.Connection.LocalPort == port, branch =>
        {
            branch.UseRouting();
            branch.UseEndpoints(endpoints =>
            {
                endpoints.MapGet("/health/live", () => Results.Text("live"));
                endpoints.MapGet("/health/ready", (IServiceProvider services) => IsReady(services)
                    ? Results.Text("ready")
                    : Results.Text("not ready", statusCode: StatusCodes.Status503ServiceUnavailable));
                endpoints.MapGet("/health/in-sync", InSyncAsync);
                endpoints.MapPreStop();
                endpoints.MapSupportBundle(port);
                if (metrics)
                {
                    endpoints.MapMetrics();
                }
            });
        });

    private static async Task<IResult> InSyncAsync(IServiceProvider services)
    {
        if (!IsReady(services))
        {
            return Results.Text("not ready", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        ReplicaSyncReport report;
        try
        {
            report = await services.GetRequiredService<ReplicaSyncCheck>().CheckAsync();
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            return Results.Text($"not known: {e.Message}", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return report.InSync
            ? Results.Text($"in sync: {report.Replicas} replicas")
            : Results.Text(
                $"{report.NotInSync.Count} of {report.Replicas} replicas not in sync: {string.Join(", ", report.NotInSync.Take(20))}"
                    + (report.NotInSync.Count > 20 ? ", ..." : ""),
                statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static bool IsReady(IServiceProvider services)
    {
        var membership = services.GetRequiredService<IClusterMembershipService>();
        var local = services.GetRequiredService<ILocalSiloDetails>();
        return membership.CurrentSnapshot.GetSiloStatus(local.SiloAddress) == SiloStatus.Active
            && services.GetRequiredService<BrokerRegistration>().Registered;
    }
}
