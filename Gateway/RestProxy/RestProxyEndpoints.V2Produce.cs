using System.Text;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Avro;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Gateway.RestProxy;

/// <summary>
/// API v2 produce: records in an embedded format (the Content-Type names it) turned into Kafka's bytes, all of them
/// before any is written, so a request with one bad record writes nothing.
/// </summary>
public static partial class RestProxyEndpoints
{
    private static readonly string[] Formats = ["binary", "json", "avro", "jsonschema", "protobuf"];

    private static void MapV2Produce(RouteGroupBuilder api, ILogger logger)
    {
        api.MapPost("/topics/{topic}", (string topic, HttpRequest request, TopicCache topics, AvroJsonConverter avro, RestRecordWriter writer) =>
            ProduceV2Async(topic, null, request, topics, avro, writer, logger));
        api.MapPost("/topics/{topic}/partitions/{partition:int}", (string topic, int partition, HttpRequest request, TopicCache topics, AvroJsonConverter avro, RestRecordWriter writer) =>
            ProduceV2Async(topic, partition, request, topics, avro, writer, logger));
    }

    private static async Task<IResult> ProduceV2Async(
        string topic, int? partition, HttpRequest request, TopicCache topics, AvroJsonConverter avro, RestRecordWriter writer, ILogger logger)
    {
        var format = V2Format(RestHttp.MediaType(request));
        if (format is null or "jsonschema" or "protobuf")
        {
            var message = format is null
                ? $"Unsupported content type {request.ContentType}: produce with application/vnd.kafka.{{binary,json,avro}}.v2+json"
                : $"The {format} embedded format is not supported yet: produce binary, json or avro";
            LogRejected(logger, request.Method, request.Path, StatusCodes.Status415UnsupportedMediaType, message);
            return RestHttp.Error(StatusCodes.Status415UnsupportedMediaType, message);
        }

        // One document for the whole request: records' keys and values are read from it in place, not copied out.
        using var document = await ParseAsync(request);
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return RestHttp.Error(StatusCodes.Status400BadRequest, "The request body must be a JSON object.");
        }

        var body = ReadProduceRequest(document.RootElement);

        if (await topics.DescribeAsync(topic) is not { } description)
        {
            return TopicNotFound(topic);
        }

        var (records, keySchemaId, valueSchemaId, rejection) = await ToRecordsAsync(format, topic, partition, body, description, avro);
        if (rejection is not null)
        {
            LogRejected(logger, request.Method, request.Path, rejection.Value.Code, rejection.Value.Message);
            return RestHttp.Error(rejection.Value.Code, rejection.Value.Message);
        }

        var results = await writer.WriteAsync(description, records!);
        return RestHttp.Json(new V2ProduceResponse(keySchemaId, valueSchemaId, results.Select(r => r.Error == ErrorCode.None
            ? new V2OffsetBody(r.Partition, r.Offset, null, null)
            : new V2OffsetBody(null, null, IsRetriable(r.Error) ? RestErrors.KafkaRetriableError : RestErrors.KafkaError, r.Message ?? r.Error.ToString())).ToList()));
    }

    /// <summary>The records in Kafka's bytes, or the error that rejects the whole request.</summary>
    private static async Task<(List<RestRecord>? Records, int? KeySchemaId, int? ValueSchemaId, (int Code, string Message)? Rejection)> ToRecordsAsync(
        string format, string topic, int? partition, V2ProduceRequest body, TopicDescription description, AvroJsonConverter avro)
    {
        var entries = body.Records ?? [];
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

    private static async Task<JsonDocument?> ParseAsync(HttpRequest request)
    {
        try
        {
            return await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static V2ProduceRequest ReadProduceRequest(JsonElement root)
    {
        string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String ? property.GetString() : null;
        int? Number(JsonElement element, string name) =>
            element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.Number && property.TryGetInt32(out var n) ? n : null;
        JsonElement? Value(JsonElement element, string name) => element.TryGetProperty(name, out var property) ? property : null;

        var records = root.TryGetProperty("records", out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(r => r.ValueKind == JsonValueKind.Object
                ? new V2ProduceRecord(Value(r, "key"), Value(r, "value"), Number(r, "partition"))
                : new V2ProduceRecord(null, r, null)).ToList()
            : null;
        return new V2ProduceRequest(Text(root, "key_schema"), Number(root, "key_schema_id"), Text(root, "value_schema"), Number(root, "value_schema_id"), records);
    }

    private static string? V2Format(string? mediaType)
    {
        foreach (var format in Formats)
        {
            if (mediaType == $"application/vnd.kafka.{format}.v2+json")
            {
                return format;
            }
        }

        return null;
    }

    private static bool IsRetriable(ErrorCode error) =>
        error is ErrorCode.NotLeaderOrFollower or ErrorCode.LeaderNotAvailable or ErrorCode.RequestTimedOut or ErrorCode.UnknownTopicOrPartition;
}

internal sealed record V2ProduceRecord(JsonElement? Key, JsonElement? Value, int? Partition);

internal sealed record V2ProduceRequest(string? KeySchema, int? KeySchemaId, string? ValueSchema, int? ValueSchemaId, List<V2ProduceRecord>? Records);

internal sealed record V2OffsetBody(
    [property: JsonPropertyName("partition")] int? Partition,
    [property: JsonPropertyName("offset")] long? Offset,
    [property: JsonPropertyName("error_code")] int? ErrorCode,
    [property: JsonPropertyName("error")] string? Error);

internal sealed record V2ProduceResponse(
    [property: JsonPropertyName("key_schema_id")] int? KeySchemaId,
    [property: JsonPropertyName("value_schema_id")] int? ValueSchemaId,
    [property: JsonPropertyName("offsets")] List<V2OffsetBody> Offsets);
