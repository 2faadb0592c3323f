using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Transforms;
using Tributary.Grains.Connect.Transforms.Util;

namespace Tributary.Grains.Connect.Transforms;

/// <summary>
/// Renames the topic from a format with <c>${topic}</c> and <c>${timestamp}</c> placeholders, the timestamp written in
/// UTC with a Java <c>SimpleDateFormat</c> pattern (Kafka's <c>TimestampRouter</c>; see <see cref="JavaDateFormat"/>
/// for the letters supported). Mostly for sinks, where the topic names a table or index, e.g. one per day.
/// </summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.TimestampRouter")]
public sealed class TimestampRouter<TRecord> : ITransformation<TRecord>, IVersioned
    where TRecord : ConnectRecord<TRecord>
{
    public const string TopicFormatConfig = "topic.format";
    public const string TimestampFormatConfig = "timestamp.format";

    public static readonly ConfigDef Definition = new ConfigDef()
        .Define(TopicFormatConfig, ConfigType.String, Importance.High,
            "Format string which can contain <code>${topic}</code> and <code>${timestamp}</code> as placeholders for the topic and timestamp, respectively.",
            "${topic}-${timestamp}")
        .Define(TimestampFormatConfig, ConfigType.String, Importance.High,
            "Format string for the timestamp that is compatible with <code>java.text.SimpleDateFormat</code>.",
            "yyyyMMdd");

    private string _topicFormat = "${topic}-${timestamp}";
    private JavaDateFormat _timestampFormat = JavaDateFormat.Compile("yyyyMMdd");

    public ConfigDef Config => Definition;

    public string Version => TransformVersion.Current;

    public void Configure(IReadOnlyDictionary<string, string> configs)
    {
        var config = Definition.Parse(configs);
        _topicFormat = config.GetString(TopicFormatConfig) ?? "";
        var pattern = config.GetString(TimestampFormatConfig) ?? "";
        try
        {
            // Kafka only finds a bad pattern on the first record; refusing it here fails the connector at start instead.
            _timestampFormat = JavaDateFormat.Compile(pattern);
        }
        catch (ArgumentException e)
        {
            throw new ConfigException(TimestampFormatConfig, pattern, e.Message);
        }
    }

    public TRecord? Apply(TRecord record)
    {
        var timestamp = record.Timestamp ?? throw new DataException("Timestamp missing on record: " + record);
        var formatted = _timestampFormat.Format(LogicalTypes.ToTimestamp(timestamp));
        var topic = _topicFormat
            .Replace("${topic}", record.Topic, StringComparison.Ordinal)
            .Replace("${timestamp}", formatted, StringComparison.Ordinal);
        return record.NewRecord(topic, record.KafkaPartition, record.KeySchema, record.Key, record.ValueSchema, record.Value, record.Timestamp);
    }
}
