using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Transforms;
using Tributary.Grains.Connect.Transforms.Util;

namespace Tributary.Grains.Connect.Transforms;

/// <summary>
/// Adds a header with a literal value to every record (Kafka's <c>InsertHeader</c>). The literal is typed as Kafka's
/// <c>Values.parseString</c> types it (see <see cref="LiteralValues"/>): <c>42</c> becomes an int8 header, <c>true</c>
/// a boolean, text a string.
/// </summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.InsertHeader")]
public sealed class InsertHeader<TRecord> : ITransformation<TRecord>, IVersioned
    where TRecord : ConnectRecord<TRecord>
{
    public const string HeaderConfig = "header";
    public const string ValueLiteralConfig = "value.literal";

    public static readonly ConfigDef Definition = new ConfigDef()
        .Define(HeaderConfig, ConfigType.String, Importance.High, "The name of the header.",
            required: true, validator: Validators.NonNull)
        .Define(ValueLiteralConfig, ConfigType.String, Importance.High,
            "The literal value that is to be set as the header value on all records.",
            required: true, validator: Validators.NonNull);

    private string _header = "";
    private SchemaAndValue _literalValue = SchemaAndValue.Null;

    public ConfigDef Config => Definition;

    public string Version => TransformVersion.Current;

    public void Configure(IReadOnlyDictionary<string, string> configs)
    {
        var config = Definition.Parse(configs);
        _header = config.GetString(HeaderConfig)!;
        _literalValue = LiteralValues.Parse(config.GetString(ValueLiteralConfig));
    }

    public TRecord? Apply(TRecord record)
    {
        var headers = record.Headers.Duplicate();
        headers.Add(_header, _literalValue);
        return record.NewRecord(record.Topic, record.KafkaPartition, record.KeySchema, record.Key, record.ValueSchema, record.Value,
            record.Timestamp, headers);
    }
}
