using Avro;
using Newtonsoft.Json.Linq;
using AvroSchema = Avro.Schema;

namespace Tributary.Grains.SchemaRegistry.Avro;

/// <summary>
/// Field and enum defaults must be values of their schema, as Avro's Java parser (and so Confluent's registry) checks;
/// Apache.Avro for .NET takes any JSON. A union's default may match any of its branches.
/// </summary>
internal static class AvroDefaults
{
    /// <summary>The first invalid default found, as "path: reason", or null.</summary>
    public static string? FindInvalid(AvroSchema schema) => Walk(schema, "", []);

    private static string? Walk(AvroSchema schema, string path, HashSet<AvroSchema> seen)
    {
        if (!seen.Add(schema))
        {
            return null;
        }

        switch (schema)
        {
            case LogicalSchema logical:
                return Walk(logical.BaseSchema, path, seen);
            case RecordSchema record:
                for (var i = 0; i < record.Fields.Count; i++)
                {
                    var field = record.Fields[i];
                    if (field.DefaultValue is { } value && !IsValid(field.Schema, value))
                    {
                        return $"{path}/fields/{i}: invalid default for field '{field.Name}': {value.ToString(Newtonsoft.Json.Formatting.None)}";
                    }

                    if (Walk(field.Schema, $"{path}/fields/{i}/type", seen) is { } nested)
                    {
                        return nested;
                    }
                }

                return null;
            case EnumSchema @enum when @enum.Default is { } symbol && !@enum.Symbols.Contains(symbol):
                return $"{path}: enum default '{symbol}' is not one of its symbols";
            case ArraySchema array:
                return Walk(array.ItemSchema, path + "/items", seen);
            case MapSchema map:
                return Walk(map.ValueSchema, path + "/values", seen);
            case UnionSchema union:
                for (var i = 0; i < union.Count; i++)
                {
                    if (Walk(union[i], $"{path}/{i}", seen) is { } nested)
                    {
                        return nested;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static bool IsValid(AvroSchema schema, JToken value) => schema switch
    {
        LogicalSchema logical => IsValid(logical.BaseSchema, value),
        UnionSchema union => union.Schemas.Any(branch => IsValid(branch, value)),
        RecordSchema record => value is JObject fields && record.Fields.All(f =>
            fields.TryGetValue(f.Name, out var given) ? IsValid(f.Schema, given) : f.DefaultValue is not null),
        EnumSchema @enum => value.Type == JTokenType.String && @enum.Symbols.Contains(value.Value<string>()!),
        FixedSchema @fixed => value.Type == JTokenType.String && value.Value<string>()!.Length == @fixed.Size,
        ArraySchema array => value is JArray items && items.All(item => IsValid(array.ItemSchema, item)),
        MapSchema map => value is JObject entries && entries.Properties().All(p => IsValid(map.ValueSchema, p.Value)),
        _ => schema.Tag switch
        {
            AvroSchema.Type.Null => value.Type == JTokenType.Null,
            AvroSchema.Type.Boolean => value.Type == JTokenType.Boolean,
            AvroSchema.Type.Int => value.Type == JTokenType.Integer && value.Value<long>() is >= int.MinValue and <= int.MaxValue,
            AvroSchema.Type.Long => value.Type == JTokenType.Integer,
            AvroSchema.Type.Float or AvroSchema.Type.Double => value.Type is JTokenType.Integer or JTokenType.Float,
            AvroSchema.Type.String or AvroSchema.Type.Bytes => value.Type == JTokenType.String,
            _ => false,
        },
    };
}
