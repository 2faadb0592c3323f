using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Api.Storage;

/// <summary>
/// Turns Connect data into the bytes of a Kafka record's key or value and back (Kafka's <c>Converter</c>). A converter
/// is configured once for keys or for values and may then be called from one task at a time. Null stays null both ways
/// (a tombstone has no value).
/// </summary>
public interface IConverter : IDisposable
{
    ConfigDef Config { get; }

    void Configure(IReadOnlyDictionary<string, string> configs, bool isKey);

    byte[]? FromConnectData(string topic, Schema? schema, object? value);

    SchemaAndValue ToConnectData(string topic, byte[]? value);

    void IDisposable.Dispose()
    {
    }
}

/// <summary>Turns Connect header values into header bytes and back (Kafka's <c>HeaderConverter</c>).</summary>
public interface IHeaderConverter : IDisposable
{
    ConfigDef Config { get; }

    void Configure(IReadOnlyDictionary<string, string> configs);

    byte[]? FromConnectHeader(string topic, string headerKey, Schema? schema, object? value);

    SchemaAndValue ToConnectHeader(string topic, string headerKey, byte[]? value);

    void IDisposable.Dispose()
    {
    }
}

/// <summary>What a converter is configured for (Kafka's <c>ConverterType</c>, the <c>converter.type</c> setting).</summary>
public enum ConverterType
{
    Key,
    Value,
    Header,
}

public static class ConverterTypes
{
    public const string ConfigName = "converter.type";

    public static string Name(this ConverterType type) => type switch
    {
        ConverterType.Key => "key",
        ConverterType.Value => "value",
        _ => "header",
    };
}
