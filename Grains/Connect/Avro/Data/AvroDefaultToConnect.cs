using System.Text.Json;
using System.Text.Json.Nodes;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Avro.Schemas;

namespace Tributary.Grains.Connect.Avro.Data;

/// <summary>
/// A default from an Avro schema (a field's <c>default</c> or a <c>connect.default</c>) as a Connect value of the
/// schema read so far (Confluent's <c>defaultValueFromAvro</c>): numbers narrowed to the Connect type, bytes from their
/// ISO-8859-1 string, records as structs, then logical types converted. A default of the wrong shape yields a value
/// the schema refuses, and the caller drops the default, as Confluent does.
/// </summary>
internal static class AvroDefaultToConnect
{
    public static object? Convert(Schema schema, AvroType avro, JsonNode? json, AvroDataConfig config) =>
        AvroToConnectValue.ToConnectLogical(schema, WithoutLogical(schema, avro, json, config));

    private static object? WithoutLogical(Schema schema, AvroType avro, JsonNode? json, AvroDataConfig config)
    {
        if (json is null)
        {
            return null;
        }

        switch (avro.Kind)
        {
            case AvroKind.Int:
                var number = Element(json);
                return schema.Type switch
                {
                    SchemaType.Int8 => (sbyte)number.GetDouble(),
                    SchemaType.Int16 => (short)number.GetDouble(),
                    SchemaType.Int32 => (int)number.GetDouble(),
                    _ => null,
                };
            case AvroKind.Long:
                return Element(json).TryGetInt64(out var l) ? l : (long)Element(json).GetDouble();
            case AvroKind.Float:
                return (float)Element(json).GetDouble();
            case AvroKind.Double:
                return Element(json).GetDouble();
            case AvroKind.Boolean:
                return Element(json).ValueKind == JsonValueKind.True;
            case AvroKind.Null:
                return null;
            case AvroKind.String:
            case AvroKind.Enum:
                var text = Element(json);
                return text.ValueKind == JsonValueKind.String ? text.GetString() : text.GetRawText();
            case AvroKind.Bytes:
            case AvroKind.Fixed:
                return System.Text.Encoding.Latin1.GetBytes(Element(json).GetString()!);
            case AvroKind.Array:
                if (json is not JsonArray items)
                {
                    throw new DataException("Invalid JSON for array default value");
                }

                var itemSchema = schema.ValueSchema ?? schema.KeySchema ?? schema;
                return items.Select(item => Convert(itemSchema, ((AvroArray)avro).Items, item, config)).ToList();
            case AvroKind.Map:
                if (json is not JsonObject entries)
                {
                    throw new DataException("Invalid JSON for map default value");
                }

                return entries.ToDictionary(e => (object)e.Key, e => Convert(schema.ValueSchema!, ((AvroMap)avro).Values, e.Value, config));
            case AvroKind.Record:
                if (json is not JsonObject obj)
                {
                    throw new DataException("Invalid JSON for record default value");
                }

                var result = new Struct(schema);
                foreach (var avroField in ((AvroRecord)avro).Fields)
                {
                    var field = schema.Field(avroField.Name) ?? throw new DataException("Unknown field in record default: " + avroField.Name);
                    result.Put(avroField.Name, Convert(field.Schema, avroField.Type, obj[field.Name], config));
                }

                return result;
            case AvroKind.Union:
                // Avro requires a union's default to match its first member.
                var first = ((AvroUnion)avro).Types[0];
                if (first.Kind == AvroKind.Null)
                {
                    return null;
                }

                var member = schema.Field(UnionMembers.FieldName(first, 0, config)) ?? throw new DataException("No union member for default");
                return Convert(member.Schema, first, json, config);
            default:
                return null;
        }
    }

    private static JsonElement Element(JsonNode json) => AvroDefaults.Element(json);
}
