using System.Collections;
using System.Collections.Concurrent;
using global::Avro.Generic;
using Tributary.Grains.Connect.Api.Data;
using static Tributary.Grains.Connect.Avro.Data.AvroDataNames;

namespace Tributary.Grains.Connect.Avro.Data;

/// <summary>
/// An Apache.Avro generic value, as decoded without logical conversions, as the Connect value of the schema read from
/// its Avro schema (Confluent's <c>toConnectData</c>): records as structs, enums as their symbol, fixed as bytes, arrays
/// of MapEntry records as maps, a general union's value as a struct with the matching member set, and the primitives
/// of logical types as Connect's decimal and <see cref="DateTime"/> values.
/// </summary>
internal sealed class AvroToConnectValue(AvroDataConfig config)
{
    private const int MaxKnownSchemas = 1000;

    private readonly ConcurrentDictionary<Schema, (global::Avro.RecordSchema Avro, int[] Positions)> _positions = new(ReferenceEqualityComparer.Instance);

    public object? Convert(Schema schema, object? value)
    {
        if (value is null)
        {
            return schema.IsOptional ? null : throw new DataException("Found null value for non-optional schema");
        }

        object converted;
        try
        {
            // A primitive the decoder boxed is already the value Connect keeps: checked, not boxed again.
            converted = schema.Type switch
            {
                SchemaType.Int32 => value is int ? value : (int)value,
                SchemaType.Int64 => value is long ? value : (long)value,
                SchemaType.Float32 => value is float ? value : (float)value,
                SchemaType.Float64 => value is double ? value : (double)value,
                SchemaType.Boolean => value is bool ? value : (bool)value,
                SchemaType.Int8 => unchecked((sbyte)(int)value),
                SchemaType.Int16 => unchecked((short)(int)value),
                SchemaType.String => value switch
                {
                    string s => s,
                    GenericEnum symbol => symbol.Value,
                    _ => throw new DataException("Invalid class for string type, expecting String or CharSequence but found " + value.GetType()),
                },
                SchemaType.Bytes => value switch
                {
                    byte[] bytes => bytes,
                    GenericFixed fixedValue => fixedValue.Value,
                    _ => throw new DataException("Invalid class for bytes type, expecting byte[] or ByteBuffer but found " + value.GetType()),
                },
                SchemaType.Array => ((IList)value).Cast<object?>().Select(item => Convert(schema.ValueSchema!, item)).ToList(),
                SchemaType.Map => Map(schema, value),
                _ => Struct(schema, value),
            };
        }
        catch (InvalidCastException)
        {
            throw new DataException($"Invalid type for {schema.Type.Name().ToUpperInvariant()}: {value.GetType()}");
        }

        return ToConnectLogical(schema, converted);
    }

    /// <summary>A logical type's primitive as its Connect value (Kafka's <c>Decimal/Date/Time/Timestamp.toLogical</c>).</summary>
    public static object? ToConnectLogical(Schema schema, object? value) => value is null ? null : schema.Name switch
    {
        LogicalTypes.DecimalName => value is byte[] bytes
            ? LogicalTypes.ToDecimal(schema, bytes)
            : throw new DataException("Invalid type for Decimal, underlying representation should be bytes but was " + value.GetType()),
        LogicalTypes.DateName => value is int days
            ? LogicalTypes.ToDate(days)
            : throw new DataException("Invalid type for Date, underlying representation should be int32 but was " + value.GetType()),
        LogicalTypes.TimeName => value is int millis
            ? LogicalTypes.ToTime(millis)
            : throw new DataException("Invalid type for Time, underlying representation should be int32 but was " + value.GetType()),
        LogicalTypes.TimestampName => value is long timestamp
            ? LogicalTypes.ToTimestamp(timestamp)
            : throw new DataException("Invalid type for Timestamp, underlying representation should be int64 but was " + value.GetType()),
        _ => value,
    };

    private Dictionary<object, object?> Map(Schema schema, object value)
    {
        var result = new Dictionary<object, object?>();
        if (schema.KeySchema is { Type: SchemaType.String, IsOptional: false })
        {
            foreach (var (key, item) in (IDictionary<string, object?>)value)
            {
                result[key] = Convert(schema.ValueSchema!, item);
            }

            return result;
        }

        // Other keys travel as an array of MapEntry records.
        foreach (var entry in ((IList)value).Cast<GenericRecord>())
        {
            var key = Convert(schema.KeySchema!, entry.GetValue(entry.Schema[KeyField].Pos))
                ?? throw new DataException("Connect maps cannot have null keys");
            result[key] = Convert(schema.ValueSchema!, entry.GetValue(entry.Schema[ValueField].Pos));
        }

        return result;
    }

    private Struct Struct(Schema schema, object value)
    {
        if (ConnectSchemaKinds.IsUnion(schema))
        {
            foreach (var field in schema.Fields)
            {
                if (IsMember(field, value))
                {
                    return new Struct(schema).Put(field, Convert(field.Schema, value));
                }
            }

            throw new DataException("Did not find matching union field for data");
        }

        var record = (GenericRecord)value;
        var positions = PositionsOf(schema, record.Schema);
        var result = new Struct(schema);
        var fields = schema.Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            result.Put(fields[i], Convert(fields[i].Schema, record.GetValue(positions[i])));
        }

        return result;
    }

    /// <summary>
    /// Where each field of a struct schema is in the Avro records read into it, looked up by name once per pair of
    /// schemas rather than per record: a topic's records share their schemas.
    /// </summary>
    private int[] PositionsOf(Schema schema, global::Avro.RecordSchema avro)
    {
        if (_positions.TryGetValue(schema, out var known) && ReferenceEquals(known.Avro, avro))
        {
            return known.Positions;
        }

        var positions = new int[schema.Fields.Count];
        for (var i = 0; i < positions.Length; i++)
        {
            var fieldName = AvroNames.Scrub(schema.Fields[i].Name, config.ScrubInvalidNames)!;
            if (!avro.TryGetField(fieldName, out var avroField))
            {
                throw new DataException($"Field {fieldName} is not in the Avro record {avro.Fullname}");
            }

            positions[i] = avroField.Pos;
        }

        if (_positions.Count >= MaxKnownSchemas)
        {
            _positions.Clear();
        }

        _positions[schema] = (avro, positions);
        return positions;
    }

    /// <summary>Whether a union's value belongs to the member <paramref name="field"/> stands for (Java matches by the value's class).</summary>
    private bool IsMember(Field field, object value)
    {
        var schema = field.Schema;
        if (ConnectSchemaKinds.IsEnum(schema))
        {
            var paramName = config.GeneralizedSumTypeSupport ? GeneralizedTypeEnum : AvroTypeEnum;
            return value is GenericEnum symbol && symbol.Schema.Fullname == ConnectSchemaKinds.Parameter(schema, paramName);
        }

        return schema.Type switch
        {
            SchemaType.Int32 => value is int,
            SchemaType.Int64 => value is long,
            SchemaType.Float32 => value is float,
            SchemaType.Float64 => value is double,
            SchemaType.Boolean => value is bool,
            SchemaType.String => value is string,
            SchemaType.Bytes when ConnectSchemaKinds.IsFixed(schema) => value is GenericFixed fixedValue && Named(fixedValue.Schema, field),
            SchemaType.Bytes => value is byte[] || value is GenericFixed,
            SchemaType.Array => value is IList and not byte[],
            SchemaType.Map => value is IDictionary,
            SchemaType.Struct => value is GenericRecord record && Named(record.Schema, field),
            _ => false,
        };
    }

    /// <summary>Whether a named Avro value is the member's: by the member field's name, or by the member schema's name.</summary>
    private bool Named(global::Avro.NamedSchema schema, Field field) =>
        (config.EnhancedAvroSchemaSupport ? schema.Fullname : schema.Name) == field.Name || schema.Fullname == field.Schema.Name;
}
