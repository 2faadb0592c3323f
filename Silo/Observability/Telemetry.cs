using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Tributary.Gateway.Kafka.Tracing;
using Tributary.Grains.Storage.Log;
using Tributary.Gateway.Kafka.Metrics;
using Tributary.Grains.Actors.Hosting;

namespace Tributary.Silo.Observability;

/// <summary>
/// The silo's metrics and traces over OpenTelemetry. Metrics: the broker's (Kafka's <c>kafka.server</c> and
/// <c>kafka.network</c> names), the HTTP services' (ASP.NET Core's request meters, one <c>server.port</c> per service),
/// the Orleans runtime's and .NET's, served in Prometheus' text format at <c>/metrics</c> on the health port and sent
/// over OTLP when an endpoint is set. Traces: a span per Kafka request, its grain calls and its log work, over OTLP. The meters are the host's own
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
        Grains.Connect.Runtime.Metrics.ConnectMetrics.MeterName,
        "Microsoft.Orleans",
        "System.Runtime",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
    ];

    /// <summary>OpenTelemetry's endpoint settings: the first turns the OTLP export on for every signal, each other for its own.</summary>
    private const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
    private const string OtlpTracesEndpoint = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    private const string OtlpMetricsEndpoint = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";
    private const string OtlpLogsEndpoint = "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT";

    /// <summary>The spans a trace is made of: Kafka requests, the grain calls they make, and the log's appends and reads.</summary>
    public static readonly string[] ActivitySources =
    [
        RequestTracing.SourceName,
        Orleans.Diagnostics.ActivitySources.ApplicationGrainActivitySourceName,
        LogTracing.SourceName,
    ];

    /// <summary>
    /// Sets up what the silo reports: metrics when they are on (<c>Tributary:Metrics:Enabled</c>) and go somewhere, to
    /// the health port's <c>/metrics</c> and/or over OTLP; traces and logs over OTLP when an OTLP endpoint is set
    /// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> and the rest of OpenTelemetry's variables, read from the environment or the
    /// configuration). <c>OTEL_SDK_DISABLED=true</c> turns all of it off.
    /// </summary>
    public static TelemetrySetup AddTributaryTelemetry(this WebApplicationBuilder builder, int brokerId, int healthPort)
    {
        var configuration = builder.Configuration;
        var section = configuration.GetSection(MetricsOptions.Section);
        KnownSettings.Check(section, typeof(MetricsOptions));
        var options = section.Get<MetricsOptions>() ?? new();
        if (options.ConsumerLagInterval <= TimeSpan.Zero || options.PartitionStateInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException(
                $"Tributary:Metrics:ConsumerLagInterval and PartitionStateInterval must be positive, not {options.ConsumerLagInterval} and {options.PartitionStateInterval}.");
        }

        if (configuration.GetValue("OTEL_SDK_DISABLED", false))
        {
            return TelemetrySetup.None;
        }

        bool Set(string key) => !string.IsNullOrWhiteSpace(configuration[key]);
        var everySignal = Set(OtlpEndpoint);
        var traced = everySignal || Set(OtlpTracesEndpoint);
        var metricsSent = options.Enabled && (everySignal || Set(OtlpMetricsEndpoint));
        var logsSent = everySignal || Set(OtlpLogsEndpoint);
        var scraped = options.Enabled && healthPort > 0;
        var metered = scraped || metricsSent;
        if (!metered && !traced && !logsSent)
        {
            return TelemetrySetup.None;
        }

        var serviceName = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } named ? named : "tributary";
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceInstanceId: brokerId.ToString(CultureInfo.InvariantCulture)));
        if (metered)
        {
            telemetry.WithMetrics(metrics =>
            {
                metrics.AddMeter(Meters);
                if (scraped)
                {
                    metrics.AddPrometheusExporter();
                }
            });
            builder.Services.ConfigureOpenTelemetryMeterProvider((services, metrics) =>
                metrics.AddView(OnlyThisHosts(services.GetRequiredService<IMeterFactory>())));
        }

        if (traced)
        {
            var sampler = TraceSampling.FromConfiguration(configuration);
            telemetry.WithTracing(tracing => tracing.AddSource(ActivitySources).SetSampler(sampler));
        }

        if (everySignal)
        {
            telemetry.UseOtlpExporter();
        }
        else
        {
            // Only the signals whose own endpoint is set: a metrics endpoint alone traces nothing and sends no logs.
            if (traced)
            {
                telemetry.WithTracing(tracing => tracing.AddOtlpExporter());
            }

            if (metricsSent)
            {
                telemetry.WithMetrics(metrics => metrics.AddOtlpExporter());
            }

            if (logsSent)
            {
                telemetry.WithLogging(logging => logging.AddOtlpExporter());
            }
        }

        return new TelemetrySetup(scraped, traced);
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
