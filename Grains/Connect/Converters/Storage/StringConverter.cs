using System.Text;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Storage;
using Tributary.Grains.Connect.Converters.Text;

namespace Tributary.Grains.Connect.Converters.Storage;

/// <summary>
/// Kafka's <c>StringConverter</c> for keys, values and headers: writes any value as its Java <c>toString()</c> in the
/// configured charset, ignoring the schema; reads bytes back as an optional string. Null stays null.
/// </summary>
[ConnectPlugin("org.apache.kafka.connect.storage.StringConverter")]
public sealed class StringConverter : IConverter, IHeaderConverter, IVersioned
{
    private Encoding _serializerEncoding = new UTF8Encoding(false);
    private Encoding _deserializerEncoding = new UTF8Encoding(false);

    public string Version => PluginVersion.Kafka;

    public ConfigDef Config => StringConverterConfig.ConfigDef;

    public void Configure(IReadOnlyDictionary<string, string> configs, bool isKey) => Apply(ConverterConfig.WithType(configs, isKey));

    public void Configure(IReadOnlyDictionary<string, string> configs) => Apply(ConverterConfig.ForHeader(configs));

    public byte[]? FromConnectData(string topic, Schema? schema, object? value) =>
        value is null ? null : JavaCharsets.Encode(_serializerEncoding, JavaStrings.ToJavaString(value));

    public SchemaAndValue ToConnectData(string topic, byte[]? value) =>
        new(Schema.OptionalString, value is null ? null : JavaCharsets.Decode(_deserializerEncoding, value));

    public byte[]? FromConnectHeader(string topic, string headerKey, Schema? schema, object? value) => FromConnectData(topic, schema, value);

    public SchemaAndValue ToConnectHeader(string topic, string headerKey, byte[]? value) => ToConnectData(topic, value);

    public void Dispose()
    {
    }

    private void Apply(IReadOnlyDictionary<string, string> configs)
    {
        var config = new StringConverterConfig(configs);
        _serializerEncoding = JavaCharsets.ForName(config.SerializerEncoding);
        _deserializerEncoding = JavaCharsets.ForName(config.DeserializerEncoding);
    }
}
