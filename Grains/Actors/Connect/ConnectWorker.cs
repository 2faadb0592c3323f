using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Connect.Runtime.Config;
using Tributary.Grains.Connect.Runtime.Plugins;
using Tributary.Grains.Connect.Runtime.Worker;

namespace Tributary.Grains.Actors.Connect;

/// <summary>
/// This silo as a Connect worker: the plug-ins it can run (the built-in connectors, converters and transforms), the
/// worker settings connectors inherit, and the id statuses show for instances running here (<c>host:port</c> of the
/// Connect REST API, as Kafka's <c>worker_id</c>).
/// </summary>
public sealed class ConnectWorker
{
    private static readonly string[] BuiltInAssemblies =
    [
        "Tributary.Grains.Connect.Converters",
        "Tributary.Grains.Connect.Transforms",
        "Tributary.Grains.Connect.File",
        "Tributary.Grains.Connect.Mirror",
        "Tributary.Grains.Connect.Jdbc",
        "Tributary.Grains.Connect.Avro",
        "Tributary.Grains.Connect.Storage",
    ];

    public ConnectWorker(IOptions<TributaryOptions> options, IConfiguration configuration)
    {
        var connect = options.Value.Connect;
        Plugins = new PluginRegistry(BuiltInAssemblies.Select(name => Assembly.Load(new AssemblyName(name))).Concat(PluginPath.Load(connect.PluginPath)));
        Validator = new ConnectorValidator(Plugins, ExactlyOnceEnabled(connect.ExactlyOnceSourceSupport), OverridePolicy(connect.ClientConfigOverridePolicy));
        var port = configuration.GetValue("Tributary:Connect:Port", 8083);
        Config = new WorkerConfig(
            $"{System.Net.Dns.GetHostName()}:{port}",
            connect.KeyConverter,
            connect.ValueConverter,
            connect.HeaderConverter,
            connect.ConverterSettings,
            connect.OffsetFlushIntervalMs,
            ExactlyOnceEnabled(connect.ExactlyOnceSourceSupport),
            connect.OffsetsTopic,
            connect.GroupId);
        EnsureRunningInterval = connect.EnsureRunningInterval;
    }

    public PluginRegistry Plugins { get; }

    private static string OverridePolicy(string policy) => policy.Trim() switch
    {
        "All" or "None" or "Principal" => policy.Trim(),
        _ => throw new InvalidOperationException(
            $"Tributary:Connect:ClientConfigOverridePolicy is '{policy}'; it must be All, None or Principal (Kafka's connector.client.config.override.policy)."),
    };

    private static bool ExactlyOnceEnabled(string support) => support.Trim().ToLowerInvariant() switch
    {
        "enabled" => true,
        "disabled" or "preparing" => false,
        _ => throw new InvalidOperationException(
            $"Tributary:Connect:ExactlyOnceSourceSupport is '{support}'; it must be one of disabled, preparing, enabled (Kafka's exactly.once.source.support)."),
    };

    public ConnectorValidator Validator { get; }

    public WorkerConfig Config { get; }

    public TimeSpan EnsureRunningInterval { get; }

    public string WorkerId => Config.WorkerId;
}
