using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Storage;

namespace Tributary.Grains.Connect.Converters.Primitives;

/// <summary>
/// Kafka's <c>ByteArrayConverter</c>: passes bytes through untouched both ways, reading them as optional bytes. Only
/// a bytes schema (or none) and a byte array (or null) are accepted.
/// </summary>
[ConnectPlugin("org.apache.kafka.connect.converters.ByteArrayConverter")]
public sealed class ByteArrayConverter : IConverter, IHeaderConverter, IVersioned
{
    private static readonly ConfigDef ConfigDefinition = ConverterConfig.NewConfigDef();

    public string Version => PluginVersion.Kafka;

    public ConfigDef Config => ConfigDefinition;

    public void Configure(IReadOnlyDictionary<string, string> configs, bool isKey)
    {
    }

    public void Configure(IReadOnlyDictionary<string, string> configs)
    {
    }

    public byte[]? FromConnectData(string topic, Schema? schema, object? value)
    {
        if (schema is not null && schema.Type != SchemaType.Bytes)
        {
            throw new DataException("Invalid schema type for ByteArrayConverter: " + schema.Type.Name().ToUpperInvariant());
        }

        return value switch
        {
            null => null,
            byte[] bytes => bytes,
            _ => throw new DataException("ByteArrayConverter is not compatible with objects of type " + value.GetType()),
        };
    }

    public SchemaAndValue ToConnectData(string topic, byte[]? value) => new(Schema.OptionalBytes, value);

    public byte[]? FromConnectHeader(string topic, string headerKey, Schema? schema, object? value) => FromConnectData(topic, schema, value);

    public SchemaAndValue ToConnectHeader(string topic, string headerKey, byte[]? value) => ToConnectData(topic, value);

    public void Dispose()
    {
    }
}
