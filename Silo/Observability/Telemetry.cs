using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Tributary.Gateway.Kafka.Metrics;
using Tributary.Grains.Actors.Hosting;

namespace Tributary.Silo.Observability;

/// <summary>
/// The silo's metrics over OpenTelemetry: the broker's (Kafka's <c>kafka.server</c> and <c>kafka.network</c> names),
/// the HTTP services' (ASP.NET Core's request meters, one <c>server.port</c> per service), the Orleans runtime's and
/// .NET's, served in Prometheus' text format at <c>/metrics</c> on the health port. The meters are the host's own
/// (created by its <see cref="System.Diagnostics.Metrics.IMeterFactory"/>), so silos sharing a process keep apart.
/// </summary>
public static class Telemetry
{
    /// <summary>The meters the silo exports.</summary>
    public static readonly string[] Meters =
    [
        BrokerTopicMetrics.MeterName,
        RequestMetrics.MeterName,
        Grains.Actors.Metrics.LogMetrics.MeterName,
        Grains.Actors.Metrics.ConsumerLagMonitor.LagMeterName,
        Grains.Actors.Metrics.ConsumerLagMonitor.CoordinatorMeterName,
        Grains.Actors.Metrics.ReplicaMetrics.ControllerMeterName,
        "Microsoft.Orleans",
        "System.Runtime",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
    ];

    public static bool AddTributaryTelemetry(this WebApplicationBuilder builder, int brokerId)
    {
        var section = builder.Configuration.GetSection(MetricsOptions.Section);
        KnownSettings.Check(section, typeof(MetricsOptions));
        var options = section.Get<MetricsOptions>() ?? new();
        if (options.ConsumerLagInterval <= TimeSpan.Zero || options.PartitionStateInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException(
                $"Tributary:Metrics:ConsumerLagInterval and PartitionStateInterval must be positive, not {options.ConsumerLagInterval} and {options.PartitionStateInterval}.");
        }
        if (!options.Enabled)
        {
            return false;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("tributary", serviceInstanceId: brokerId.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .WithMetrics(metrics => metrics.AddMeter(Meters).AddPrometheusExporter());
        builder.Services.ConfigureOpenTelemetryMeterProvider((services, metrics) =>
            metrics.AddView(OnlyThisHosts(services.GetRequiredService<IMeterFactory>())));
        return true;
    }

    /// <summary>
    /// OpenTelemetry listens to every meter of a name in the process: an instrument of another host's meter factory
    /// (another silo in the same process: the broker's, ASP.NET Core's and the Orleans runtime's meters are each
    /// host's own) is dropped, so that each silo reports its own. Global meters (.NET's) are the process's and pass.
    /// </summary>
    private static Func<Instrument, MetricStreamConfiguration?> OnlyThisHosts(IMeterFactory own) =>
        instrument => instrument.Meter.Scope is IMeterFactory factory && !ReferenceEquals(factory, own) ? MetricStreamConfiguration.Drop : null;

    /// <summary>Serves the scrape endpoint, <c>/metrics</c>.</summary>
    public static void MapMetrics(this IEndpointRouteBuilder endpoints) => endpoints.MapPrometheusScrapingEndpoint();
}
