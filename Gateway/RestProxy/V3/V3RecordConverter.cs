using System.Globalization;
using System.Text;
using System.Text.Json;
using Avro;
using Microsoft.AspNetCore.Http;
using Tributary.Gateway.RestProxy.V3.Json;

namespace Tributary.Gateway.RestProxy.V3;

/// <summary>
/// API v3 records into Kafka's bytes: keys and values typed BINARY (base64), JSON, STRING, AVRO, JSONSCHEMA or PROTOBUF
/// (by schema id, subject version, schema text, or the subject's latest schema; without a type, an Avro one), headers base64.
/// </summary>
internal sealed class V3RecordConverter(AvroJsonConverter avro, V2.SchemaValueConverter schemaValues, SchemaRuleChecks rules)
{
    /// <summary>
    /// The record to write, and what its key and value were, or the HTTP-style error code and message that rejects it
    /// (400 too for a key or value that fails a write rule of its schema, with the serializer's message).
    /// </summary>
    public async Task<(RestRecord? Record, ProduceResponseData? Key, ProduceResponseData? Value, int Code, string? Message)> ConvertAsync(
        string topic, int partitionCount, ProduceRequest record)
    {
        if (record.PartitionId is { } p && (p < 0 || p >= partitionCount))
        {
            return (null, null, null, StatusCodes.Status404NotFound, $"Partition {p} of topic {topic} not found.");
        }

        var (key, keyInfo, keyError) = await ConvertDataAsync(topic, isKey: true, record.Key);
        var (value, valueInfo, valueError) = await ConvertDataAsync(topic, isKey: false, record.Value);
        if ((keyError ?? valueError) is { } error)
        {
            return (null, null, null, StatusCodes.Status400BadRequest, error);
        }

        if ((keyInfo?.SchemaId ?? valueInfo?.SchemaId) is not null
            && await rules.FirstFailureAsync([(keyInfo?.SchemaId, key), (valueInfo?.SchemaId, value)]) is { } failure)
        {
            return (null, null, null, StatusCodes.Status400BadRequest, failure);
        }

        var headers = new List<KeyValuePair<string, byte[]?>>();
        foreach (var header in record.Headers ?? [])
        {
            if (header.Name is null)
            {
                return (null, null, null, StatusCodes.Status400BadRequest, "A header needs a name.");
            }

            byte[]? bytes = null;
            if (header.Value is { } encoded && !TryBase64(encoded, out bytes))
            {
                return (null, null, null, StatusCodes.Status400BadRequest, $"Header {header.Name}: the value must be base64.");
            }

            headers.Add(new(header.Name, bytes));
        }

        return (new RestRecord(record.PartitionId, key, value, headers, record.Timestamp?.ToUnixTimeMilliseconds()), keyInfo, valueInfo, StatusCodes.Status200OK, null);
    }

    private async Task<(byte[]? Bytes, ProduceResponseData? Info, string? Error)> ConvertDataAsync(string topic, bool isKey, ProduceRequestData? data)
    {
        if (data is null || data.DataKind is JsonValueKind.Undefined or JsonValueKind.Null && data.Type is null)
        {
            return (null, null, null);
        }

        switch (data.Type?.ToUpperInvariant())
        {
            case "BINARY":
                return data.Text is { } base64 && TryBase64(base64, out var binary)
                    ? (binary, new ProduceResponseData("BINARY", binary.Length), null)
                    : (null, null, "BINARY data must be a base64 string.");
            case "STRING":
                if (data.Text is not { } text)
                {
                    return (null, null, "STRING data must be a string.");
                }

                var bytes = Encoding.UTF8.GetBytes(text);
                return (bytes, new ProduceResponseData("STRING", bytes.Length), null);
            case "JSON":
                var raw = data.Raw ?? "null"u8.ToArray();
                return (raw, new ProduceResponseData("JSON", raw.Length), null);
            case "AVRO" or null:
                return await ConvertAvroAsync(topic, isKey, data);
            case "JSONSCHEMA":
                return await ConvertWithSchemaAsync(topic, isKey, data, "JSONSCHEMA", "JSON");
            case "PROTOBUF":
                return await ConvertWithSchemaAsync(topic, isKey, data, "PROTOBUF", "PROTOBUF");
            default:
                return (null, null, $"Data type {data.Type} is not supported: use BINARY, JSON, STRING, AVRO, JSONSCHEMA or PROTOBUF.");
        }
    }

    /// <summary>
    /// The subject a key or value is registered under: the one given (in the default schema context: ids of another
    /// context would not be found by the default context's deserializers), or the topic's.
    /// </summary>
    private static string? SubjectOf(string topic, bool isKey, ProduceRequestData data)
    {
        if (data.Subject is not { } given)
        {
            return $"{topic}-{(isKey ? "key" : "value")}";
        }

        var subject = Grains.Interfaces.Schemas.QualifiedSubject.Parse(given);
        return subject.IsDefaultContext ? subject.Qualified : null;
    }

    private async Task<(byte[]? Bytes, ProduceResponseData? Info, string? Error)> ConvertAvroAsync(string topic, bool isKey, ProduceRequestData data)
    {
        if (SubjectOf(topic, isKey, data) is not { } subject)
        {
            return (null, null, $"Subject {data.Subject} is in a schema context of its own: the REST Proxy serves the default context's subjects.");
        }

        var resolved = data.SchemaId is not null || data.Schema is not null
            ? await avro.ResolveAsync(subject, data.Schema, data.SchemaId)
            : await avro.ResolveVersionAsync(subject, data.SchemaVersion?.ToString(CultureInfo.InvariantCulture) ?? "latest");
        if (resolved.Schema is null)
        {
            return (null, null, data.Type is null
                ? $"No type given and no schema found for subject {subject}: {resolved.Message}"
                : $"Schema not found for subject {subject}: {resolved.Message}");
        }

        try
        {
            var bytes = AvroJsonConverter.Encode(resolved.Id, resolved.Schema, data.Raw is { } json ? Encoding.UTF8.GetString(json) : "null");
            return (bytes, new ProduceResponseData("AVRO", bytes.Length, subject, resolved.Id), null);
        }
        catch (Exception e) when (e is AvroException or FormatException or InvalidCastException or ArgumentException or InvalidOperationException or KeyNotFoundException)
        {
            return (null, null, $"Conversion of JSON to Avro failed: {e.Message}");
        }
    }

    /// <summary>A JSONSCHEMA or PROTOBUF key or value, converted by the registry's codec.</summary>
    private async Task<(byte[]? Bytes, ProduceResponseData? Info, string? Error)> ConvertWithSchemaAsync(
        string topic, bool isKey, ProduceRequestData data, string dataType, string schemaType)
    {
        if (SubjectOf(topic, isKey, data) is not { } subject)
        {
            return (null, null, $"Subject {data.Subject} is in a schema context of its own: the REST Proxy serves the default context's subjects.");
        }

        var (id, error) = data.SchemaId is not null || data.Schema is not null
            ? await schemaValues.SchemaIdAsync(schemaType, subject, data.Schema, data.SchemaId)
            : await schemaValues.VersionIdAsync(schemaType, subject, data.SchemaVersion?.ToString(CultureInfo.InvariantCulture) ?? "latest");
        if (id is null)
        {
            return (null, null, $"Schema not found for subject {subject}: {error?.Item2}");
        }

        var (bytes, failure) = await schemaValues.EncodeAsync(id.Value, data.Raw is { } json ? Encoding.UTF8.GetString(json) : "null");
        return bytes is null
            ? (null, null, failure)
            : (bytes, new ProduceResponseData(dataType, bytes.Length, subject, id), null);
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        bytes = new byte[text.Length * 3 / 4 + 3];
        if (Convert.TryFromBase64String(text, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        return false;
    }
}
