namespace Tributary.Grains.Connect.Runtime.Worker;

/// <summary>
/// The Connect cluster's own settings that connectors inherit (Kafka's <c>WorkerConfig</c>): the default converters and
/// their prefixed settings (<c>key.converter.schemas.enable</c> ...), how often offsets are committed, and the id a
/// worker shows in statuses (<c>host:port</c> of its REST API), and exactly-once delivery for sources
/// (<c>exactly.once.source.support=enabled</c>) with the offsets topic their transactions write to and the
/// <c>group.id</c> their transactional ids start with.
/// </summary>
public sealed record WorkerConfig(
    string WorkerId,
    string KeyConverter = "org.apache.kafka.connect.json.JsonConverter",
    string ValueConverter = "org.apache.kafka.connect.json.JsonConverter",
    string HeaderConverter = Config.ConnectorConfig.DefaultHeaderConverter,
    IReadOnlyDictionary<string, string>? ConverterSettings = null,
    long OffsetFlushIntervalMs = 60_000,
    bool ExactlyOnceSource = false,
    string OffsetsTopic = "connect-offsets",
    string GroupId = "connect-cluster")
{
    public IReadOnlyDictionary<string, string> Settings => ConverterSettings ?? new Dictionary<string, string>();
}
