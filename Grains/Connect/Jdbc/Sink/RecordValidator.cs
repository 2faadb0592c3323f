using System.Globalization;
using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Sink;
using ConnectSchema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Grains.Connect.Jdbc.Sink;

/// <summary>
/// Checks, before anything else, that a record has what the configuration needs (kafka-connect-jdbc's
/// <c>RecordValidator</c>): a struct value unless it is a tombstone that <c>delete.enabled</c> turns into a delete,
/// and a key when the key makes the row's identity (<c>pk.mode=record_key</c>, deletes). Messages are Confluent's.
/// </summary>
public sealed class RecordValidator(JdbcSinkConfig config)
{
    private readonly bool _requiresKey = config.PrimaryKeyMode == PrimaryKeyMode.RecordKey || config.DeleteEnabled;

    private readonly bool _requiresValue = !config.DeleteEnabled ||
                                           config.PrimaryKeyMode is PrimaryKeyMode.RecordValue or PrimaryKeyMode.None;

    public void Validate(SinkRecord record)
    {
        if (_requiresKey && (record.Key is null || record.KeySchema is null ||
                             !(record.KeySchema.Type == SchemaType.Struct || record.KeySchema.Type.IsPrimitive())))
        {
            throw new ConnectException(
                $"{Preamble()} requires records with a non-null key and non-null Struct or primitive key schema, but found record at " +
                $"{Coordinates(record)} with a {JavaTypeName(record.Key)} key and {SchemaTypeName(record.KeySchema)} key schema.");
        }

        if (_requiresValue && (record.Value is null || record.ValueSchema is not { Type: SchemaType.Struct }))
        {
            throw new ConnectException(
                $"{Preamble()} requires records with a non-null Struct value and non-null Struct schema, but found record at " +
                $"{Coordinates(record)} with a {JavaTypeName(record.Value)} value and {SchemaTypeName(record.ValueSchema)} value schema.");
        }
    }

    private string Preamble() =>
        $"Sink connector '{config.ConnectorName ?? "null"}' is configured with '{JdbcSinkConfig.DeleteEnabledConfig}=" +
        $"{config.DeleteEnabled.ToString().ToLowerInvariant()}' and '{JdbcSinkConfig.PkModeConfig}=" +
        $"{JdbcSinkConfig.PkModeName(config.PrimaryKeyMode)}' and therefore";

    private static string Coordinates(SinkRecord record) => string.Create(
        CultureInfo.InvariantCulture,
        $"(topic='{record.Topic}',partition={record.KafkaPartition},offset={record.KafkaOffset},timestamp={record.Timestamp?.ToString(CultureInfo.InvariantCulture) ?? "null"})");

    private static string SchemaTypeName(ConnectSchema? schema) => schema?.Type.Name().ToUpperInvariant() ?? "null";

    // The Java class a converter would have produced for the value, as Confluent's message names it.
    private static string JavaTypeName(object? value) => value switch
    {
        null => "null",
        string => "String",
        int => "Integer",
        long => "Long",
        short => "Short",
        sbyte => "Byte",
        bool => "Boolean",
        float => "Float",
        double => "Double",
        byte[] => "byte[]",
        decimal => "BigDecimal",
        DateTime => "Date",
        System.Collections.IDictionary => "HashMap",
        System.Collections.IList => "ArrayList",
        _ => value.GetType().Name,
    };
}
