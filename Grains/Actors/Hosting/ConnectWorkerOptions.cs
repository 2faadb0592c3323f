namespace Tributary.Grains.Actors.Hosting;

/// <summary>The Connect cluster's worker settings (section <c>Tributary:Connect</c>), Kafka's worker config by other names.</summary>
public sealed class ConnectWorkerOptions
{
    /// <summary><c>key.converter</c> for connectors that name none. Default <c>org.apache.kafka.connect.json.JsonConverter</c>.</summary>
    public string KeyConverter { get; set; } = "org.apache.kafka.connect.json.JsonConverter";

    /// <summary><c>value.converter</c> for connectors that name none. Default <c>org.apache.kafka.connect.json.JsonConverter</c>.</summary>
    public string ValueConverter { get; set; } = "org.apache.kafka.connect.json.JsonConverter";

    /// <summary><c>header.converter</c> for connectors that name none. Default <c>org.apache.kafka.connect.storage.SimpleHeaderConverter</c>.</summary>
    public string HeaderConverter { get; set; } = "org.apache.kafka.connect.storage.SimpleHeaderConverter";

    /// <summary>
    /// The worker's converter settings by Kafka's prefixed names (<c>key.converter.schemas.enable</c>,
    /// <c>value.converter.schema.registry.url</c> ...), used with the worker's converters. Default none.
    /// </summary>
    public Dictionary<string, string> ConverterSettings { get; set; } = [];

    /// <summary><c>offset.flush.interval.ms</c>: how often tasks commit their offsets. Default 60000 (Kafka's).</summary>
    public long OffsetFlushIntervalMs { get; set; } = 60_000;

    /// <summary>How often each silo makes sure every connector and task runs somewhere (how soon a dead silo's tasks move). Default 2 s.</summary>
    public TimeSpan EnsureRunningInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Connector config files (<c>--connector-config FILE</c>, repeatable; Java <c>.properties</c> or JSON) created or
    /// updated when the silo starts, as Kafka's standalone worker takes them. Default none.
    /// </summary>
    public List<string> ConnectorConfigFiles { get; set; } = [];

    /// <summary>
    /// <c>exactly.once.source.support</c>: <c>enabled</c> makes every source task write its records and offsets in
    /// transactions (KIP-618), its older instances fenced when it starts; <c>disabled</c> or <c>preparing</c> keep
    /// at-least-once delivery. Default <c>disabled</c> (Kafka's).
    /// </summary>
    public string ExactlyOnceSourceSupport { get; set; } = "disabled";

    /// <summary><c>offset.storage.topic</c>: the topic exactly-once source tasks write their offsets to. Default <c>connect-offsets</c>.</summary>
    public string OffsetsTopic { get; set; } = "connect-offsets";

    /// <summary><c>group.id</c>: the Connect cluster's name, the start of its tasks' transactional ids. Default <c>connect-cluster</c>.</summary>
    public string GroupId { get; set; } = "connect-cluster";

    /// <summary>
    /// <c>connector.client.config.override.policy</c>: <c>All</c> lets connectors set the client overrides their tasks
    /// honour (<c>producer.override.compression.type</c>, <c>consumer.override.auto.offset.reset</c>,
    /// <c>consumer.override.max.poll.records</c>); <c>None</c> (or <c>Principal</c>, there being no client principals
    /// to set) refuses every override. Default <c>All</c> (Kafka's).
    /// </summary>
    public string ClientConfigOverridePolicy { get; set; } = "All";

    /// <summary>
    /// <c>plugin.path</c>: directories of plug-ins besides the built-in ones; each subdirectory (or assembly directly in
    /// a directory) is one plug-in, loaded in a load context of its own. Default none.
    /// </summary>
    public List<string> PluginPath { get; set; } = [];
}
