using System.Text.Json;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Jdbc.Connection;
using Microsoft.Extensions.Logging;

namespace Tributary.Grains.Connect.Jdbc.Source;

/// <summary>
/// Confluent's JDBC source connector (<c>io.confluent.connect.jdbc.JdbcSourceConnector</c>): copies tables (or one
/// custom query) to topics named <c>topic.prefix</c> + table name, in bulk or incrementally. The tables are split
/// into at most <c>tasks.max</c> contiguous groups, one task each; a custom query is one task. A
/// <see cref="TableMonitor"/> lists the tables in the background, notices new and dropped ones and asks for the tasks
/// to be reconfigured; the connector has no tasks until the first listing is in, and fails when it cannot be made.
/// </summary>
[ConnectPlugin("io.confluent.connect.jdbc.JdbcSourceConnector")]
public sealed class JdbcSourceConnector : SourceConnector
{
    private IReadOnlyDictionary<string, string> _properties = new Dictionary<string, string>();
    private JdbcSourceConfig? _config;
    private TableMonitor? _monitor;

    public override string Version => JdbcConnectors.Version;

    public override Type TaskType => typeof(JdbcSourceTask);

    public override ConfigDef Config => JdbcSourceConfig.Definition;

    public override Task StartAsync(IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken)
    {
        _config = JdbcSourceConfig.Parse(properties);
        _properties = new Dictionary<string, string>(properties, StringComparer.Ordinal);
        if (_config.IsQueryMode)
        {
            return Task.CompletedTask;
        }

        var connector = new DatabaseConnector(_config.Connection, Context.Logger);
        _monitor = new TableMonitor(_config, connector, Context.RequestTaskReconfiguration, Context.RaiseError, Context.Logger);
        _monitor.Start();
        return Task.CompletedTask;
    }

    public override IReadOnlyList<IReadOnlyDictionary<string, string>> TaskConfigs(int maxTasks)
    {
        if (_config is null)
        {
            throw new InvalidOperationException("The connector has not been started.");
        }

        if (_config.IsQueryMode)
        {
            return [_properties];
        }

        var tables = _monitor!.Tables;
        if (tables is null)
        {
            // Asked again once the first listing is in (or the connector fails if it cannot be made).
            return [];
        }

        if (tables.Count == 0)
        {
            Context.Logger.LogWarning("No tables were found so there's no work to be done.");
            return [];
        }

        // Contiguous groups, sizes differing by at most one (Kafka's ConnectorUtils.groupPartitions).
        var groups = Math.Min(tables.Count, Math.Max(1, maxTasks));
        var configs = new List<IReadOnlyDictionary<string, string>>();
        var start = 0;
        for (var g = 0; g < groups; g++)
        {
            var size = tables.Count / groups + (g < tables.Count % groups ? 1 : 0);
            var config = new Dictionary<string, string>(_properties, StringComparer.Ordinal)
            {
                [JdbcSourceConfig.Tables] = JsonSerializer.Serialize(tables.Skip(start).Take(size).Select(t => t.QualifiedName)),
            };
            configs.Add(config);
            start += size;
        }

        return configs;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_monitor is not null)
        {
            await _monitor.DisposeAsync().ConfigureAwait(false);
            _monitor = null;
        }
    }

    /// <summary>Each key's own checks, then kafka-connect-jdbc's checks across keys, reported on the keys they concern.</summary>
    public override IReadOnlyList<ConfigValue> Validate(IReadOnlyDictionary<string, string> connectorConfigs)
    {
        var values = base.Validate(connectorConfigs);
        if (values.Any(v => v.ErrorMessages.Count > 0))
        {
            return values;
        }

        try
        {
            _ = JdbcSourceConfig.Parse(connectorConfigs);
        }
        catch (ConfigException e)
        {
            var key = e.Name is { } name && values.FirstOrDefault(v => v.Name == name) is { } value ? value : values.First(v => v.Name == JdbcSourceConfig.Mode);
            key.AddErrorMessage(e.Message);
        }

        return values;
    }

    /// <summary>
    /// Exactly once for the incremental modes, whose offsets say exactly which rows were written; not for bulk, which
    /// reads whole tables again on every poll and has no offsets.
    /// </summary>
    public override ExactlyOnceSupport? ExactlyOnceSupport(IReadOnlyDictionary<string, string> connectorConfig) =>
        connectorConfig.GetValueOrDefault(JdbcSourceConfig.Mode)?.Trim() is "incrementing" or "timestamp" or "timestamp+incrementing"
            ? Api.Source.ExactlyOnceSupport.Supported
            : Api.Source.ExactlyOnceSupport.Unsupported;
}
