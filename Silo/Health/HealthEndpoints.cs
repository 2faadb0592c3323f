using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Gateway.Kafka.Brokers;

namespace Tributary.Silo.Health;

/// <summary>
/// Probes for orchestrators, on a port of their own (<c>Tributary:Health:Port</c>, default 8090):
/// <c>/health/live</c> answers while the process serves HTTP; <c>/health/ready</c> answers 200 once the silo is an
/// active member of its cluster and its broker endpoint is registered, 503 before that and while it shuts down.
/// </summary>
public static class HealthEndpoints
{
    public static IApplicationBuilder UseHealthEndpoints(this IApplicationBuilder app, int port) =>
        app.MapWhen(context => context.Connection.LocalPort == port, branch =>
        {
            branch.UseRouting();
            branch.UseEndpoints(endpoints =>
            {
                endpoints.MapGet("/health/live", () => Results.Text("live"));
                endpoints.MapGet("/health/ready", (IServiceProvider services) => IsReady(services)
                    ? Results.Text("ready")
                    : Results.Text("not ready", statusCode: StatusCodes.Status503ServiceUnavailable));
            });
        });

    private static bool IsReady(IServiceProvider services)
    {
        var membership = services.GetRequiredService<IClusterMembershipService>();
        var local = services.GetRequiredService<ILocalSiloDetails>();
        return membership.CurrentSnapshot.GetSiloStatus(local.SiloAddress) == SiloStatus.Active
            && services.GetRequiredService<BrokerRegistration>().Registered;
    }
}
