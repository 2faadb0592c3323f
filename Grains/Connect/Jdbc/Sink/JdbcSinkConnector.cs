using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Sink;

namespace Tributary.Grains.Connect.Jdbc.Sink;

/// <summary>
/// Confluent's <c>JdbcSinkConnector</c>: writes the records of its topics into tables of a relational database, one
/// table per topic (<c>table.name.format</c>). The connector only hands its configuration to every task; all the work
/// is the tasks'. Besides each key's own checks, <see cref="Validate"/> checks the keys that only make sense together.
/// </summary>
[ConnectPlugin("io.confluent.connect.jdbc.JdbcSinkConnector")]
public sealed class JdbcSinkConnector : SinkConnector
{
    private IReadOnlyDictionary<string, string> _properties = new Dictionary<string, string>();

    public override string Version => JdbcConnectors.Version;

    public override Type TaskType => typeof(JdbcSinkTask);

    public override ConfigDef Config => JdbcSinkConfig.Definition;

    public override Task StartAsync(IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken)
    {
        // Fails the connector now on a configuration its tasks could not start with.
        JdbcSinkConfig.Parse(properties);
        _properties = new Dictionary<string, string>(properties, StringComparer.Ordinal);
        return Task.CompletedTask;
    }

    /// <summary>Every task gets the whole configuration: the runtime spreads the topics' partitions over them.</summary>
    public override IReadOnlyList<IReadOnlyDictionary<string, string>> TaskConfigs(int maxTasks) =>
        [.. Enumerable.Repeat(_properties, Math.Max(maxTasks, 0))];

    public override Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Kafka's per-key validation, then the checks across keys, reported on both keys and only when each key is valid
    /// on its own: deletes need <c>pk.mode=record_key</c> (Confluent's check), and <c>upsert</c>/<c>update</c> need
    /// a key to match rows by.
    /// </summary>
    public override IReadOnlyList<ConfigValue> Validate(IReadOnlyDictionary<string, string> connectorConfigs)
    {
        var values = base.Validate(connectorConfigs);
        var pkMode = Valid(values, JdbcSinkConfig.PkModeConfig);
        if (pkMode is null)
        {
            return values;
        }

        var mode = (string)pkMode.Value!;
        if (Valid(values, JdbcSinkConfig.DeleteEnabledConfig) is { Value: true } deleteEnabled &&
            !mode.Equals("record_key", StringComparison.OrdinalIgnoreCase))
        {
            const string conflict = "Deletes are only supported for pk.mode record_key";
            pkMode.AddErrorMessage(conflict);
            deleteEnabled.AddErrorMessage(conflict);
        }

        if (Valid(values, JdbcSinkConfig.InsertModeConfig) is { Value: string insertMode } insertValue &&
            !insertMode.Equals("insert", StringComparison.OrdinalIgnoreCase) && mode.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            var conflict = $"Insert mode {insertMode.ToLowerInvariant()} requires a pk.mode other than none, to match rows by their key";
            pkMode.AddErrorMessage(conflict);
            insertValue.AddErrorMessage(conflict);
        }

        return values;
    }

    private static ConfigValue? Valid(IReadOnlyList<ConfigValue> values, string name) =>
        values.FirstOrDefault(v => v.Name == name && v.ErrorMessages.Count == 0);

    /// <summary>Any offsets will do: the sink keeps its offsets in the consumer group, not in the database.</summary>
    public override bool AlterOffsets(IReadOnlyDictionary<string, string> connectorConfig, IReadOnlyDictionary<TopicPartition, long?> offsets) => true;
}
