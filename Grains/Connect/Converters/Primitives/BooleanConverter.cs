using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Storage;

namespace Tributary.Grains.Connect.Converters.Primitives;

/// <summary>
/// Kafka's <c>BooleanConverter</c> (since 3.0): one byte, 0x01 for true and 0x00 for false, read back as an optional
/// boolean; any other byte or length fails.
/// </summary>
[ConnectPlugin("org.apache.kafka.connect.converters.BooleanConverter")]
public sealed class BooleanConverter : IConverter, IHeaderConverter, IVersioned
{
    private static readonly ConfigDef ConfigDefinition = ConverterConfig.NewConfigDef();

    public string Version => PluginVersion.Kafka;

    public ConfigDef Config => ConfigDefinition;

    public void Configure(IReadOnlyDictionary<string, string> configs, bool isKey) => ConfigDefinition.Parse(ConverterConfig.WithType(configs, isKey));

    public void Configure(IReadOnlyDictionary<string, string> configs) => ConfigDefinition.Parse(ConverterConfig.ForHeader(configs));

    public byte[]? FromConnectData(string topic, Schema? schema, object? value)
    {
        if (schema is not null && schema.Type != SchemaType.Boolean)
        {
            throw new DataException("Invalid schema type for BooleanConverter: " + schema.Type.Name().ToUpperInvariant());
        }

        return value switch
        {
            null => null,
            bool b => [b ? (byte)1 : (byte)0],
            _ => throw new DataException("BooleanConverter is not compatible with objects of type " + value.GetType()),
        };
    }

    public SchemaAndValue ToConnectData(string topic, byte[]? value)
    {
        if (value is null)
        {
            return new SchemaAndValue(Schema.OptionalBoolean, null);
        }

        if (value.Length != 1)
        {
            throw Failed("Size of data received by BooleanDeserializer is not 1");
        }

        return value[0] switch
        {
            1 => new SchemaAndValue(Schema.OptionalBoolean, true),
            0 => new SchemaAndValue(Schema.OptionalBoolean, false),
            _ => throw Failed("Unexpected byte received by BooleanDeserializer: " + (sbyte)value[0]),
        };
    }

    public byte[]? FromConnectHeader(string topic, string headerKey, Schema? schema, object? value) => FromConnectData(topic, schema, value);

    public SchemaAndValue ToConnectHeader(string topic, string headerKey, byte[]? value) => ToConnectData(topic, value);

    public void Dispose()
    {
    }

    private static DataException Failed(string reason) => new("Failed to deserialize boolean: ", new FormatException(reason));
}
