using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Storage;

namespace Tributary.Grains.Connect.Converters.Primitives;

/// <summary>
/// The base of Kafka's number converters (<c>NumberConverter</c>): one fixed-width big-endian value, as Kafka's
/// number serializers write it, read back under an optional schema of that type. The schema given when writing is
/// ignored, as in Kafka; a value of another type fails.
/// </summary>
public abstract class NumberConverter<T> : IConverter, IHeaderConverter, IVersioned
    where T : struct
{
    private static readonly ConfigDef ConfigDefinition = ConverterConfig.NewConfigDef();
    private readonly string _typeName;
    private readonly Schema _schema;
    private readonly int _size;
    private readonly string _deserializerName;

    /// <param name="typeName">How messages name the type ("integer").</param>
    /// <param name="schema">The optional schema values are read under.</param>
    /// <param name="size">The number of bytes a value takes.</param>
    /// <param name="deserializerName">The Kafka deserializer whose size message a wrong length reports.</param>
    private protected NumberConverter(string typeName, Schema schema, int size, string deserializerName)
    {
        _typeName = typeName;
        _schema = schema;
        _size = size;
        _deserializerName = deserializerName;
    }

    public string Version => PluginVersion.Kafka;

    public ConfigDef Config => ConfigDefinition;

    public void Configure(IReadOnlyDictionary<string, string> configs, bool isKey) => ConfigDefinition.Parse(ConverterConfig.WithType(configs, isKey));

    public void Configure(IReadOnlyDictionary<string, string> configs) => ConfigDefinition.Parse(ConverterConfig.ForHeader(configs));

    public byte[]? FromConnectData(string topic, Schema? schema, object? value)
    {
        if (value is null)
        {
            return null;
        }

        if (value is not T number)
        {
            throw new DataException($"Failed to serialize to {_typeName} (was {value.GetType()}): ");
        }

        var bytes = new byte[_size];
        Write(number, bytes);
        return bytes;
    }

    public SchemaAndValue ToConnectData(string topic, byte[]? value)
    {
        if (value is null)
        {
            return new SchemaAndValue(_schema, null);
        }

        if (value.Length != _size)
        {
            throw new DataException(
                $"Failed to deserialize {_typeName}: ",
                new FormatException($"Size of data received by {_deserializerName} is not {_size}"));
        }

        return new SchemaAndValue(_schema, Read(value));
    }

    public byte[]? FromConnectHeader(string topic, string headerKey, Schema? schema, object? value) => FromConnectData(topic, schema, value);

    public SchemaAndValue ToConnectHeader(string topic, string headerKey, byte[]? value) => ToConnectData(topic, value);

    public void Dispose()
    {
    }

    /// <summary>Writes the value big-endian into exactly <c>size</c> bytes.</summary>
    private protected abstract void Write(T value, Span<byte> destination);

    private protected abstract T Read(ReadOnlySpan<byte> source);
}
