using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Transforms;
using Tributary.Grains.Connect.Transforms.Util;

namespace Tributary.Grains.Connect.Transforms;

/// <summary>Removes every header whose key is one of the configured names (Kafka's <c>DropHeaders</c>).</summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.DropHeaders")]
public sealed class DropHeaders<TRecord> : ITransformation<TRecord>, IVersioned
    where TRecord : ConnectRecord<TRecord>
{
    public const string HeadersConfig = "headers";

    public static readonly ConfigDef Definition = new ConfigDef()
        .Define(HeadersConfig, ConfigType.List, Importance.High, "The name of the headers to be removed.",
            required: true, validator: TransformValidators.NonEmptyList);

    private HashSet<string> _headers = [];

    public ConfigDef Config => Definition;

    public string Version => TransformVersion.Current;

    public void Configure(IReadOnlyDictionary<string, string> configs) =>
        _headers = new HashSet<string>(Definition.Parse(configs).GetList(HeadersConfig), StringComparer.Ordinal);

    public TRecord? Apply(TRecord record) =>
        record.NewRecord(record.Topic, record.KafkaPartition, record.KeySchema, record.Key, record.ValueSchema, record.Value,
            record.Timestamp, record.Headers.Where(h => !_headers.Contains(h.Key)).ToList());
}
