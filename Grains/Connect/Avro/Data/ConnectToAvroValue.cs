using System.Collections;
using global::Avro.Generic;
using Tributary.Grains.Connect.Api.Data;
using static Tributary.Grains.Connect.Avro.Data.AvroDataNames;
using ApacheSchema = global::Avro.Schema;
using ArraySchema = global::Avro.ArraySchema;
using EnumSchema = global::Avro.EnumSchema;
using FixedSchema = global::Avro.FixedSchema;
using MapSchema = global::Avro.MapSchema;
using NamedSchema = global::Avro.NamedSchema;
using RecordSchema = global::Avro.RecordSchema;
using UnionSchema = global::Avro.UnionSchema;

namespace Tributary.Grains.Connect.Avro.Data;

/// <summary>
/// A Connect value as the Apache.Avro generic value of the converted schema (Confluent's <c>fromConnectData</c>):
/// records as <see cref="GenericRecord"/>, arrays as object arrays, string-keyed maps as dictionaries, other maps as
/// arrays of MapEntry records, enums and fixed as Avro's generic types, logical types as their primitives (the
/// schema used for encoding has no logical types, as Confluent encodes without Avro's logical conversions).
/// </summary>
internal sealed class ConnectToAvroValue(AvroDataConfig config)
{
    public object? Convert(Schema schema, ApacheSchema avroSchema, object? logicalValue)
    {
        if (logicalValue is null)
        {
            return schema.IsOptional ? null : throw new DataException("Found null value for non-optional schema");
        }

        var value = ToAvroLogical(schema, logicalValue);
        try
        {
            switch (schema.Type)
            {
                case SchemaType.Int8: return (int)(sbyte)value;
                case SchemaType.Int16: return (int)(short)value;
                case SchemaType.Int32: return (int)value;
                case SchemaType.Int64: return (long)value;
                case SchemaType.Float32: return (float)value;
                case SchemaType.Float64: return (double)value;
                case SchemaType.Boolean: return (bool)value;
                case SchemaType.String: return String(schema, avroSchema, value);
                case SchemaType.Bytes: return Bytes(schema, avroSchema, (byte[])value);
                case SchemaType.Array: return Array(schema, avroSchema, (IList)value);
                case SchemaType.Map: return Map(schema, avroSchema, (IDictionary)value);
                default: return Struct(schema, avroSchema, (Struct)value);
            }
        }
        catch (InvalidCastException)
        {
            throw new DataException($"Invalid type for {schema.Type.Name().ToUpperInvariant()}: {value.GetType()}");
        }
    }

    /// <summary>A logical Connect value as its primitive (Kafka's <c>Decimal/Date/Time/Timestamp.fromLogical</c>).</summary>
    public static object ToAvroLogical(Schema schema, object value) => schema.Name switch
    {
        LogicalTypes.DecimalName => value is decimal d
            ? LogicalTypes.FromDecimal(schema, d)
            : throw new DataException("Invalid type for Decimal, expected BigDecimal but was " + value.GetType()),
        LogicalTypes.DateName => value is DateTime date
            ? LogicalTypes.FromDate(date)
            : throw new DataException("Invalid type for Date, expected Date but was " + value.GetType()),
        LogicalTypes.TimeName => value is DateTime time
            ? LogicalTypes.FromTime(time)
            : throw new DataException("Invalid type for Time, expected Date but was " + value.GetType()),
        LogicalTypes.TimestampName => value is DateTime timestamp
            ? LogicalTypes.FromTimestamp(timestamp)
            : throw new DataException("Invalid type for Timestamp, expected Date but was " + value.GetType()),
        _ => value,
    };

    private object String(Schema schema, ApacheSchema avroSchema, object value)
    {
        if (config.GeneralizedSumTypeSupport && ConnectSchemaKinds.Parameter(schema, GeneralizedTypeEnum) is { } generalized)
        {
            return EnumSymbol(avroSchema, (string)value, generalized);
        }

        if (config.EnhancedAvroSchemaSupport && ConnectSchemaKinds.Parameter(schema, AvroTypeEnum) is { } enumName)
        {
            return EnumSymbol(avroSchema, (string)value, enumName);
        }

        return (string)value;
    }

    private static GenericEnum EnumSymbol(ApacheSchema avroSchema, string value, string enumName)
    {
        var enumSchema = avroSchema is UnionSchema union
            ? union.Schemas.OfType<EnumSchema>().FirstOrDefault(e => e.Fullname == enumName) ?? throw new DataException("Enum " + enumName + " not in union " + avroSchema)
            : (EnumSchema)avroSchema;
        return new GenericEnum(enumSchema, value);
    }

    private object Bytes(Schema schema, ApacheSchema avroSchema, byte[] value)
    {
        if (!ConnectSchemaKinds.IsFixed(schema))
        {
            return value;
        }

        var size = int.Parse(schema.Parameters![ConnectFixedSizeProp], System.Globalization.CultureInfo.InvariantCulture);
        FixedSchema fixedSchema;
        if (avroSchema is UnionSchema union)
        {
            var memberName = UnionMembers.FieldName(schema, 0, config);
            fixedSchema = union.Schemas.OfType<FixedSchema>().LastOrDefault(f => f.Size == size && FixedMemberName(f) == memberName)
                ?? throw new DataException("Fixed size " + size + " not in union " + avroSchema);
        }
        else
        {
            fixedSchema = (FixedSchema)avroSchema;
        }

        var bytes = ConnectSchemaKinds.IsDecimal(schema) ? PadToFixedSize(value, size) : value;
        return new GenericFixed(fixedSchema, bytes);
    }

    private object?[] Array(Schema schema, ApacheSchema avroSchema, IList list)
    {
        var items = ((ArraySchema)UnderlyingIfOptional(schema, avroSchema)).ItemSchema;
        var converted = new object?[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            converted[i] = Convert(schema.ValueSchema!, items, list[i]);
        }

        return converted;
    }

    private object Map(Schema schema, ApacheSchema avroSchema, IDictionary map)
    {
        if (schema.KeySchema!.Type == SchemaType.String && (!schema.KeySchema.IsOptional || config.AllowOptionalMapKeys))
        {
            var values = ((MapSchema)UnderlyingIfOptional(schema, avroSchema)).ValueSchema;
            var converted = new Dictionary<string, object?>(map.Count, StringComparer.Ordinal);
            foreach (DictionaryEntry entry in map)
            {
                converted[(string)entry.Key] = Convert(schema.ValueSchema!, values, entry.Value);
            }

            return converted;
        }

        var entrySchema = (RecordSchema)((ArraySchema)UnderlyingMapEntryType(schema, avroSchema)).ItemSchema;
        var keySchema = entrySchema[KeyField].Schema;
        var valueSchema = entrySchema[ValueField].Schema;
        var entries = new object?[map.Count];
        var i = 0;
        foreach (DictionaryEntry entry in map)
        {
            var record = new GenericRecord(entrySchema);
            record.Add(KeyField, Convert(schema.KeySchema, keySchema, entry.Key));
            record.Add(ValueField, Convert(schema.ValueSchema!, valueSchema, entry.Value));
            entries[i++] = record;
        }

        return entries;
    }

    private object? Struct(Schema schema, ApacheSchema avroSchema, Struct value)
    {
        if (!value.Schema.Equals(schema))
        {
            throw new DataException("Mismatching struct schema");
        }

        if (ConnectSchemaKinds.IsUnion(schema))
        {
            // A union travels as a struct with one field set, the member's; Avro picks the branch by the value.
            foreach (var field in schema.Fields)
            {
                var member = config.IgnoreDefaultForNullables ? value.GetWithoutDefault(field.Name) : value.Get(field);
                if (member is not null)
                {
                    return Convert(field.Schema, avroSchema, member);
                }
            }

            return schema.IsOptional ? null : throw new DataException("Found null value for non-optional schema");
        }

        var recordSchema = (RecordSchema)UnderlyingIfOptional(schema, avroSchema);
        var record = new GenericRecord(recordSchema);
        foreach (var field in schema.Fields)
        {
            var fieldName = AvroNames.Scrub(field.Name, config.ScrubInvalidNames)!;
            if (!recordSchema.TryGetField(fieldName, out var avroField))
            {
                throw new DataException($"Field {fieldName} is not in the Avro schema {recordSchema.Fullname}");
            }

            var fieldValue = config.IgnoreDefaultForNullables ? value.GetWithoutDefault(field.Name) : value.Get(field);
            record.Add(fieldName, Convert(field.Schema, avroField.Schema, fieldValue));
        }

        return record;
    }

    /// <summary>An optional schema's Avro union member that carries the value (Confluent's <c>avroSchemaForUnderlyingTypeIfOptional</c>).</summary>
    private ApacheSchema UnderlyingIfOptional(Schema schema, ApacheSchema avroSchema)
    {
        if (!schema.IsOptional)
        {
            return avroSchema;
        }

        if (avroSchema is not UnionSchema union)
        {
            throw new DataException("An optional schema should have an Avro Union type, not " + schema.Type.Name().ToUpperInvariant());
        }

        var fullName = AvroNames.ScrubFullName(schema.Name, config.ScrubInvalidNames);
        foreach (var member in union.Schemas)
        {
            if (member.Tag != ApacheSchema.Type.Null &&
                (FullName(member) == fullName || TypeName(member) == schema.Type.Name() ||
                 (schema.Name is null && FullName(member).StartsWith(DefaultSchemaFullName, StringComparison.Ordinal))))
            {
                return member;
            }
        }

        return avroSchema;
    }

    private static ApacheSchema UnderlyingMapEntryType(Schema schema, ApacheSchema avroSchema)
    {
        if (!schema.IsOptional)
        {
            return avroSchema;
        }

        return avroSchema is UnionSchema union
            ? union.Schemas.FirstOrDefault(s => s.Tag == ApacheSchema.Type.Array) ?? avroSchema
            : throw new DataException("An optional schema should have an Avro Union type, not " + schema.Type.Name().ToUpperInvariant());
    }

    private string FixedMemberName(FixedSchema schema) => config.EnhancedAvroSchemaSupport ? schema.Fullname : schema.Name;

    private static string FullName(ApacheSchema schema) => schema is NamedSchema named ? named.Fullname : TypeName(schema);

    private static string TypeName(ApacheSchema schema) => schema.Tag switch
    {
        ApacheSchema.Type.Record => "record",
        ApacheSchema.Type.Enumeration => "enum",
        ApacheSchema.Type.Array => "array",
        ApacheSchema.Type.Map => "map",
        ApacheSchema.Type.Fixed => "fixed",
        ApacheSchema.Type.Union => "union",
        _ => schema.Name,
    };

    /// <summary>Sign-extends a minimal two's-complement decimal to the fixed size Avro requires.</summary>
    private static byte[] PadToFixedSize(byte[] unscaled, int size)
    {
        if (unscaled.Length == size)
        {
            return unscaled;
        }

        if (unscaled.Length > size)
        {
            throw new DataException($"Unscaled value byte array length {unscaled.Length} is greater than fixed size {size}");
        }

        var padded = new byte[size];
        var fill = unscaled.Length > 0 && (sbyte)unscaled[0] < 0 ? (byte)0xFF : (byte)0;
        padded.AsSpan(0, size - unscaled.Length).Fill(fill);
        unscaled.CopyTo(padded.AsSpan(size - unscaled.Length));
        return padded;
    }
}
