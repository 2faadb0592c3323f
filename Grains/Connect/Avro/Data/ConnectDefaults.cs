using System.Collections;
using System.Text.Json.Nodes;
using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Avro.Data;

/// <summary>
/// Connect default values as the JSON Avro schemas carry them (Confluent's <c>defaultValueFromConnect</c>): logical
/// values as their primitives, bytes as ISO-8859-1 strings, maps with string keys as objects and others as arrays of
/// [key, value] pairs, structs as objects (a union struct as its first member's value).
/// </summary>
internal static class ConnectDefaults
{
    public static JsonNode? ToJson(Schema schema, object? value, AvroDataConfig config)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            var primitive = ConnectToAvroValue.ToAvroLogical(schema, value);
            switch (schema.Type)
            {
                case SchemaType.Int8: return JsonValue.Create((int)(sbyte)primitive);
                case SchemaType.Int16: return JsonValue.Create((int)(short)primitive);
                case SchemaType.Int32: return JsonValue.Create((int)primitive);
                case SchemaType.Int64: return JsonValue.Create((long)primitive);
                case SchemaType.Float32: return JsonValue.Create((float)primitive);
                case SchemaType.Float64: return JsonValue.Create((double)primitive);
                case SchemaType.Boolean: return JsonValue.Create((bool)primitive);
                case SchemaType.String: return JsonValue.Create((string)primitive);
                case SchemaType.Bytes: return JsonValue.Create(System.Text.Encoding.Latin1.GetString((byte[])primitive));
                case SchemaType.Array:
                    var array = new JsonArray();
                    foreach (var item in (IList)primitive)
                    {
                        array.Add(ToJson(schema.ValueSchema!, item, config));
                    }

                    return array;
                case SchemaType.Map:
                    var map = (IDictionary)primitive;
                    if (schema.KeySchema!.Type == SchemaType.String && (!schema.KeySchema.IsOptional || config.AllowOptionalMapKeys))
                    {
                        var obj = new JsonObject();
                        foreach (DictionaryEntry entry in map)
                        {
                            obj[(string)entry.Key] = ToJson(schema.ValueSchema!, entry.Value, config);
                        }

                        return obj;
                    }

                    var pairs = new JsonArray();
                    foreach (DictionaryEntry entry in map)
                    {
                        pairs.Add(new JsonArray(ToJson(schema.KeySchema, entry.Key, config), ToJson(schema.ValueSchema!, entry.Value, config)));
                    }

                    return pairs;
                default:
                    var structValue = (Struct)primitive;
                    var isUnion = ConnectSchemaKinds.IsUnion(schema);
                    var fields = new JsonObject();
                    foreach (var field in schema.Fields)
                    {
                        var fieldDefault = ToJson(field.Schema, structValue.Get(field), config);
                        if (isUnion)
                        {
                            return fieldDefault;
                        }

                        fields[AvroNames.Scrub(field.Name, config.ScrubInvalidNames)!] = fieldDefault;
                    }

                    return fields;
            }
        }
        catch (InvalidCastException)
        {
            throw new DataException($"Invalid type used for default value of {schema.Type.Name().ToUpperInvariant()} field: {schema.DefaultValue?.GetType()}");
        }
    }
}
