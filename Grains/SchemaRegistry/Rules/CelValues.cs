using System.Text.Json;
using Avro.Generic;
using Avro.IO;
using Tributary.Grains.SchemaRegistry.Avro;
using Tributary.Grains.KafkaFormats.Avro;

namespace Tributary.Grains.SchemaRegistry.Rules;

/// <summary>
/// A record as CEL sees it: maps of field names to values, lists, 64-bit integers, doubles, strings, booleans, bytes
/// and null, built from a JSON value (a JSON Schema record as written; a Protobuf message with its .proto field names,
/// 64-bit integers and enums as numbers) or an Avro datum (as Confluent's serializers hand a GenericRecord to CEL: a
/// union's value is the value itself, an enum its symbol).
/// </summary>
public static class CelValues
{
    /// <summary>How deep a value may nest; a deeper one is not evaluated (the JSON readers stop far earlier).</summary>
    private const int MaxDepth = 512;

    /// <summary>
    /// A record's payload (Confluent's wire format without its first five bytes) as CEL sees it: an Avro datum, or the
    /// JSON the format's codec reads it as (JSON Schema as written, Protobuf in its JSON mapping).
    /// </summary>
    public static object? FromPayload(ParsedSchema schema, ISchemaValueCodec? codec, ReadOnlyMemory<byte> payload)
    {
        if (schema is AvroParsedSchema avro)
        {
            using var stream = new MemoryStream(payload.ToArray(), writable: false);
            return FromAvro(new GenericDatumReader<object>(avro.Schema, avro.Schema).Read(null!, new BoundedAvroDecoder(stream)));
        }

        var json = schema is Protobuf.ProtobufParsedSchema protobuf ? Protobuf.ProtobufValues.Decode(protobuf, payload, ruleForm: true)
            : codec?.Decode(schema, payload) ?? throw new InvalidOperationException($"{schema.Type} records are not read here");
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth });
        return FromJson(document.RootElement);
    }

    public static object? FromJson(JsonElement element, int depth = 0)
    {
        Deeper(depth);
        return element.ValueKind switch
        {
            JsonValueKind.Object => element.EnumerateObject().Aggregate(new Dictionary<string, object?>(StringComparer.Ordinal), (map, property) =>
            {
                map[property.Name] = FromJson(property.Value, depth + 1);
                return map;
            }),
            JsonValueKind.Array => element.EnumerateArray().Select(item => FromJson(item, depth + 1)).ToList(),
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.TryGetInt64(out var integer) ? integer : element.GetDouble(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        };
    }

    public static object? FromAvro(object? datum, int depth = 0)
    {
        Deeper(depth);
        return datum switch
        {
            GenericRecord record => record.Schema.Fields.ToDictionary(f => f.Name, f => FromAvro(record.GetValue(f.Pos), depth + 1), StringComparer.Ordinal),
            GenericEnum symbol => symbol.Value,
            GenericFixed fixedBytes => fixedBytes.Value,
            IDictionary<string, object> map => map.ToDictionary(e => e.Key, e => FromAvro(e.Value, depth + 1), StringComparer.Ordinal),
            byte[] bytes => bytes,
            string text => text,
            System.Collections.IEnumerable items => items.Cast<object?>().Select(item => FromAvro(item, depth + 1)).ToList(),
            int number => (long)number,
            float number => (double)number,
            _ => datum,
        };
    }

    private static void Deeper(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException($"The record nests deeper than {MaxDepth} levels.");
        }
    }
}
