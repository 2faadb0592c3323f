using System.Runtime.InteropServices;
using System.Text.Json;
using Avro;
using Tributary.Gateway.RestProxy.V2.Json;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Gateway.RestProxy.V2;

/// <summary>
/// API v2 records into Kafka's bytes in the request's embedded format: binary (base64), json (the document's bytes),
/// avro (Avro's JSON encoding, its schemas by text or id through the registry, written in Confluent's wire format), or
/// jsonschema and protobuf (<see cref="SchemaValueConverter"/>).
/// Every record of a request is converted before any is written: the first that cannot be rejects them all.
/// </summary>
internal sealed class V2RecordConverter(AvroJsonConverter avro, SchemaValueConverter schemaValues, SchemaRuleChecks rules)
{
    /// <summary>
    /// The records in Kafka's bytes and the schema ids used, or the Confluent error code and message that reject the
    /// request: a record that does not convert, or that fails a write rule of its schema (42203, the serializer's message).
    /// </summary>
    public async Task<(List<RestRecord>? Records, int? KeySchemaId, int? ValueSchemaId, (int Code, string Message)? Rejection)> ConvertAsync(
        string format, string topic, int? partition, ProduceRequest body, TopicDescription description)
    {
        var converted = await ConvertRecordsAsync(format, topic, partition, body, description);
        if (converted.Records is { } records && (converted.KeySchemaId ?? converted.ValueSchemaId) is not null
            && await rules.FirstFailureAsync(records.SelectMany(r => new[] { (converted.KeySchemaId, r.Key), (converted.ValueSchemaId, r.Value) })) is { } failure)
        {
            return (null, null, null, (RestErrors.JsonConversion, failure));
        }

        return converted;
    }

    private async Task<(List<RestRecord>? Records, int? KeySchemaId, int? ValueSchemaId, (int Code, string Message)? Rejection)> ConvertRecordsAsync(
        string format, string topic, int? partition, ProduceRequest body, TopicDescription description)
    {
        if (format is "jsonschema" or "protobuf")
        {
            return await schemaValues.ConvertAsync(format == "protobuf" ? "PROTOBUF" : "JSON", topic, partition, body, description);
        }

        var entries = body.Records;
        (int Id, Schema? Schema)? keySchema = null, valueSchema = null;
        if (format == "avro")
        {
            if (body.ValueSchema is null && body.ValueSchemaId is null)
            {
                return (null, null, null, (RestErrors.ValueSchemaMissing, "Request includes values but does not include value schema"));
            }

            if (entries.Any(r => r.Key is { ValueKind: not JsonValueKind.Null }) && body.KeySchema is null && body.KeySchemaId is null)
            {
                return (null, null, null, (RestErrors.KeySchemaMissing, "Request includes keys but does not include key schema"));
            }

            foreach (var (isKey, text, id) in new[] { (true, body.KeySchema, body.KeySchemaId), (false, body.ValueSchema, body.ValueSchemaId) })
            {
                if (text is null && id is null)
                {
                    continue;
                }

                var resolved = await avro.ResolveAsync($"{topic}-{(isKey ? "key" : "value")}", text, id);
                if (resolved.Schema is null)
                {
                    return (null, null, null, (resolved.ErrorCode, resolved.Message ?? "Invalid schema"));
                }

                if (isKey)
                {
                    keySchema = (resolved.Id, resolved.Schema);
                }
                else
                {
                    valueSchema = (resolved.Id, resolved.Schema);
                }
            }
        }

        var records = new List<RestRecord>(entries.Count);
        foreach (var entry in entries)
        {
            var target = partition ?? entry.Partition;
            if (target is { } p && (p < 0 || p >= description.PartitionCount))
            {
                return (null, null, null, (RestErrors.PartitionNotFound, $"Partition {p} of topic {topic} not found."));
            }

            var (key, keyError) = Convert(format, entry.Key, keySchema);
            var (value, valueError) = Convert(format, entry.Value, valueSchema);
            if ((keyError ?? valueError) is { } conversion)
            {
                return (null, null, null, conversion);
            }

            records.Add(new RestRecord(target, key, value));
        }

        return (records, keySchema?.Id, valueSchema?.Id, null);
    }

    /// <summary>One key or value in Kafka's bytes; JSON null stays a null key or value.</summary>
    private static (byte[]? Bytes, (int, string)? Error) Convert(string format, JsonElement? element, (int Id, Schema? Schema)? schema)
    {
        if (element is not { } json || json.ValueKind == JsonValueKind.Null)
        {
            return (null, null);
        }

        switch (format)
        {
            case "binary":
                if (json.ValueKind != JsonValueKind.String || !json.TryGetBytesFromBase64(out var bytes))
                {
                    return (null, (RestErrors.InvalidPayload, "Binary keys and values must be base64 strings"));
                }

                return (bytes, null);
            case "json":
                return (JsonMarshal.GetRawUtf8Value(json).ToArray(), null);
            default:
                try
                {
                    return (AvroJsonConverter.Encode(schema!.Value.Id, schema.Value.Schema!, json.GetRawText()), null);
                }
                catch (Exception e) when (e is AvroException or FormatException or InvalidCastException or JsonException or ArgumentException or InvalidOperationException or KeyNotFoundException)
                {
                    return (null, (RestErrors.JsonConversion, $"Conversion of JSON to Avro failed: {e.Message}"));
                }
        }
    }
}
