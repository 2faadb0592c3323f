namespace Tributary.Grains.Connect.Runtime.Worker;

/// <summary>
/// The Connect cluster's own settings that connectors inherit (Kafka's <c>WorkerConfig</c>): the default converters and
/// their prefixed settings (<c>key.converter.schemas.enable</c> ...), how often offsets are committed, and the id a
/// worker shows in statuses (<c>host:port</c> of its REST API).
/// </summary>
public sealed record WorkerConfig(
    string WorkerId,
    string KeyConverter = "org.apache.kafka.connect.json.JsonConverter",
    string ValueConverter = "org.apache.kafka.connect.json.JsonConverter",
    string HeaderConverter = Config.ConnectorConfig.DefaultHeaderConverter,
    IReadOnlyDictionary<string, string>? ConverterSettings = null,
    long OffsetFlushIntervalMs = 60_000)
{
    public IReadOnlyDictionary<string, string> Settings => ConverterSettings ?? new Dictionary<string, string>();
}
