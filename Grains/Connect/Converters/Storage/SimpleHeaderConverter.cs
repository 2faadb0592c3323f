using System.Text;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Storage;
using Tributary.Grains.Connect.Converters.Text;

namespace Tributary.Grains.Connect.Converters.Storage;

/// <summary>
/// Kafka's <c>SimpleHeaderConverter</c>, the default header converter: writes a header value as UTF-8 text (see
/// <see cref="Values.ConvertToString"/>) without its schema, and reads text back into the most fitting boolean,
/// number, date, list, map or string (see <see cref="Values.ParseString"/>). Text it cannot parse comes back as the
/// raw bytes rather than failing the record.
/// </summary>
[ConnectPlugin("org.apache.kafka.connect.storage.SimpleHeaderConverter")]
public sealed class SimpleHeaderConverter : IHeaderConverter, IVersioned
{
    private static readonly ConfigDef ConfigDefinition = new();

    public string Version => PluginVersion.Kafka;

    public ConfigDef Config => ConfigDefinition;

    public void Configure(IReadOnlyDictionary<string, string> configs)
    {
    }

    public byte[]? FromConnectHeader(string topic, string headerKey, Schema? schema, object? value) =>
        value is null ? null : Encoding.UTF8.GetBytes(Values.ConvertToString(schema, value)!);

    public SchemaAndValue ToConnectHeader(string topic, string headerKey, byte[]? value)
    {
        if (value is null)
        {
            return SchemaAndValue.Null;
        }

        try
        {
            return Values.ParseString(Encoding.UTF8.GetString(value)) ?? SchemaAndValue.Null;
        }
        catch (Exception e) when (e is DataException or FormatException or OverflowException or ArgumentException)
        {
            // Kafka logs and keeps the bytes: a header it cannot read should not fail the record.
            return new SchemaAndValue(Schema.Bytes, value);
        }
    }
}
