using System.Globalization;
using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Storage.Hive;

/// <summary>
/// Hive's column type of a Connect schema, as the HDFS connector's <c>HiveSchemaConverter</c> maps them: integers to
/// TINYINT..BIGINT, floats to FLOAT/DOUBLE, bytes to BINARY, Decimal to DECIMAL(precision, scale), Date to DATE,
/// Timestamp to TIMESTAMP, arrays, maps and structs to their complex types.
/// </summary>
public static class HiveTypes
{
    private const int DefaultDecimalPrecision = 38;

    public static string Of(Schema schema) => schema.Name switch
    {
        LogicalTypes.DecimalName => string.Create(CultureInfo.InvariantCulture,
            $"DECIMAL({Parameter(schema, "connect.decimal.precision") ?? DefaultDecimalPrecision},{Parameter(schema, LogicalTypes.ScaleParameter) ?? 0})"),
        LogicalTypes.DateName => "DATE",
        LogicalTypes.TimestampName => "TIMESTAMP",
        _ => schema.Type switch
        {
            SchemaType.Int8 => "TINYINT",
            SchemaType.Int16 => "SMALLINT",
            SchemaType.Int32 => "INT",
            SchemaType.Int64 => "BIGINT",
            SchemaType.Float32 => "FLOAT",
            SchemaType.Float64 => "DOUBLE",
            SchemaType.Boolean => "BOOLEAN",
            SchemaType.String => "STRING",
            SchemaType.Bytes => "BINARY",
            SchemaType.Array => $"ARRAY<{Of(schema.ValueSchema!)}>",
            SchemaType.Map => $"MAP<{Of(schema.KeySchema!)},{Of(schema.ValueSchema!)}>",
            SchemaType.Struct => "STRUCT<" + string.Join(",", schema.Fields.Select(f => $"`{f.Name}`:{Of(f.Schema)}")) + ">",
            _ => throw new DataException($"No Hive type for {schema}"),
        },
    };

    private static int? Parameter(Schema schema, string name) =>
        schema.Parameters?.TryGetValue(name, out var text) == true && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
