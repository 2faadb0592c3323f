using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Connect.Runtime.Config;
using Tributary.Grains.Interfaces.Connect;

namespace Tributary.Grains.Actors.Connect;

/// <summary>
/// The connector configs given as files at start (<c>--connector-config FILE</c>): each is created, or updated when
/// it differs from the stored one, once the silo runs, as Kafka's standalone worker starts its connectors. A file that
/// cannot be read or a config that is invalid stops the start with the reason, as Kafka's worker exits. In a cluster
/// every silo given the same files finds them already applied.
/// </summary>
internal sealed partial class ConnectorConfigFiles(
    IGrainFactory grains, IOptions<TributaryOptions> options, ILogger<ConnectorConfigFiles> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var path in options.Value.Connect.ConnectorConfigFiles)
        {
            var (name, config) = ConnectorConfigFile.Read(path);
            var connector = grains.GetGrain<IConnectorGrain>(name);
            var current = await connector.GetInfoAsync();
            if (current.IsSuccess && SameConfig(current.Value!.Config, config))
            {
                continue;
            }

            var put = await connector.PutAsync(config, ConnectorTargetState.Started, createOnly: false);
            if (!put.IsSuccess)
            {
                throw new InvalidOperationException($"The connector config file {path} was refused: {put.Message}");
            }

            LogApplied(logger, name, path, put.Value!.Created ? "created" : "updated");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static bool SameConfig(IReadOnlyDictionary<string, string> stored, IReadOnlyDictionary<string, string> given) =>
        stored.Count == given.Count && given.All(p => stored.TryGetValue(p.Key, out var v) && v == p.Value);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connector {Connector} {What} from {Path}")]
    private static partial void LogApplied(ILogger logger, string connector, string path, string what);
}
