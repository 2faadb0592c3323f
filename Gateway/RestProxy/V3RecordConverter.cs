using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Avro;
using Microsoft.AspNetCore.Http;

namespace Tributary.Gateway.RestProxy;

/// <summary>
/// API v3 records into Kafka's bytes: keys and values typed BINARY (base64), JSON, STRING or AVRO (by schema id,
/// subject version, schema text, or the subject's latest schema when no type is given), headers base64.
/// </summary>
internal sealed class V3RecordConverter(AvroJsonConverter avro)
{
    /// <summary>The record to write, and what its key and value were, or the HTTP-style error code and message that rejects it.</summary>
    public async Task<(RestRecord? Record, V3DataInfo? Key, V3DataInfo? Value, int Code, string? Message)> ConvertAsync(
        string topic, int partitionCount, V3ProduceRecord record)
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

    private async Task<(byte[]? Bytes, V3DataInfo? Info, string? Error)> ConvertDataAsync(string topic, bool isKey, V3Data? data)
    {
        if (data is null || data.DataKind is JsonValueKind.Undefined or JsonValueKind.Null && data.Type is null)
        {
            return (null, null, null);
        }

        switch (data.Type?.ToUpperInvariant())
        {
            case "BINARY":
                return data.Text is { } base64 && TryBase64(base64, out var binary)
                    ? (binary, new V3DataInfo("BINARY", binary.Length), null)
                    : (null, null, "BINARY data must be a base64 string.");
            case "STRING":
                if (data.Text is not { } text)
                {
                    return (null, null, "STRING data must be a string.");
                }

                var bytes = Encoding.UTF8.GetBytes(text);
                return (bytes, new V3DataInfo("STRING", bytes.Length), null);
            case "JSON":
                var raw = data.Raw ?? "null"u8.ToArray();
                return (raw, new V3DataInfo("JSON", raw.Length), null);
            case "AVRO" or null:
                return await ConvertAvroAsync(topic, isKey, data);
            default:
                return (null, null, $"Data type {data.Type} is not supported: use BINARY, JSON, STRING or AVRO.");
        }
    }

    private async Task<(byte[]? Bytes, V3DataInfo? Info, string? Error)> ConvertAvroAsync(string topic, bool isKey, V3Data data)
    {
        var subject = data.Subject ?? $"{topic}-{(isKey ? "key" : "value")}";
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
            return (bytes, new V3DataInfo("AVRO", bytes.Length, subject, resolved.Id), null);
        }
        catch (Exception e) when (e is AvroException or FormatException or InvalidCastException or ArgumentException or InvalidOperationException or KeyNotFoundException)
        {
            return (null, null, $"Conversion of JSON to Avro failed: {e.Message}");
        }
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

/// <summary>What a produced key or value was, as v3's delivery reports show it.</summary>
internal sealed record V3DataInfo(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("size")] int Size,
    [property: JsonPropertyName("subject"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Subject = null,
    [property: JsonPropertyName("schema_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? SchemaId = null);

/// <summary>A key or value of a v3 record: its type, its data (the JSON bytes, and the text of a string), its schema.</summary>
internal sealed record V3Data(
    string? Type, JsonValueKind DataKind, byte[]? Raw, string? Text, int? SchemaId, int? SchemaVersion, string? Subject, string? Schema);

internal sealed record V3Header(string? Name, string? Value);

internal sealed record V3ProduceRecord(int? PartitionId, List<V3Header>? Headers, V3Data? Key, V3Data? Value, DateTimeOffset? Timestamp);
