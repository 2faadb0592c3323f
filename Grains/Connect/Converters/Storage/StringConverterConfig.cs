using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Storage;

namespace Tributary.Grains.Connect.Converters.Storage;

/// <summary>
/// The string converter's settings (Kafka's <c>StringConverterConfig</c>): <c>converter.encoding</c>, a Java charset
/// name defaulting to UTF-8. As in Kafka, <c>key.serializer.encoding</c> / <c>value.serializer.encoding</c> and the
/// <c>deserializer</c> forms override it for one direction, because Kafka passes the configs on to its string serdes.
/// </summary>
public sealed class StringConverterConfig
{
    public const string EncodingConfig = "converter.encoding";
    public const string EncodingDefault = "UTF-8";

    public static ConfigDef ConfigDef { get; } = ConverterConfig.NewConfigDef().Define(
        EncodingConfig, ConfigType.String, Importance.High, "The name of the Java character set to use for encoding strings as byte arrays.",
        defaultValue: EncodingDefault, width: Width.Medium, displayName: "Encoding");

    public StringConverterConfig(IReadOnlyDictionary<string, string> properties)
    {
        var parsed = ConfigDef.Parse(properties);
        Type = ConverterConfig.TypeOf(parsed);
        Encoding = parsed.GetString(EncodingConfig)!;
        var prefix = Type == ConverterType.Key ? "key." : "value.";
        SerializerEncoding = properties.GetValueOrDefault(prefix + "serializer.encoding") ?? Encoding;
        DeserializerEncoding = properties.GetValueOrDefault(prefix + "deserializer.encoding") ?? Encoding;
    }

    public ConverterType Type { get; }

    public string Encoding { get; }

    /// <summary>The charset written with: <c>key.</c>/<c>value.serializer.encoding</c> if set, else <see cref="Encoding"/>.</summary>
    public string SerializerEncoding { get; }

    /// <summary>The charset read with: <c>key.</c>/<c>value.deserializer.encoding</c> if set, else <see cref="Encoding"/>.</summary>
    public string DeserializerEncoding { get; }
}
