using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Grains.Interfaces.RestProxy;

namespace Tributary.Gateway.RestProxy;

/// <summary>
/// API v2 consumer instances: each is a grain (any gateway node serves it), a member of its Kafka group beside native
/// consumers; records come back in the instance's embedded format.
/// </summary>
public static partial class RestProxyEndpoints
{
    private static readonly string[] ConsumerFormats = ["binary", "json", "avro"];

    private static void MapV2Consumers(RouteGroupBuilder api)
    {
        api.MapPost("/consumers/{group}", async (string group, HttpRequest request, IGrainFactory grains) =>
        {
            var (body, error) = await RestHttp.ReadAsync<V2CreateConsumerRequest>(request);
            if (body is null)
            {
                return error!;
            }

            var format = (body.Format ?? "binary").ToLowerInvariant();
            var reset = (body.AutoOffsetReset ?? "latest").ToLowerInvariant();
            if (!ConsumerFormats.Contains(format) || reset is not ("earliest" or "latest" or "none")
                || body.AutoCommitEnable is { } commit && !bool.TryParse(commit, out _))
            {
                return RestHttp.Error(RestErrors.InvalidConsumerConfig,
                    $"Invalid consumer configuration: format must be binary, json or avro (jsonschema and protobuf are not supported yet), auto.offset.reset earliest, latest or none");
            }

            var name = body.Name ?? body.Id ?? $"rest-consumer-{Guid.NewGuid():N}";
            var timeout = int.TryParse(body.RequestTimeoutMs, out var ms) && ms > 0 ? ms : 1000;
            var created = await Instance(grains, group, name).CreateAsync(new RestConsumerConfig(format, reset, body.AutoCommitEnable is null || bool.Parse(body.AutoCommitEnable), timeout));
            return created == RestConsumerErrors.InstanceExists
                ? RestHttp.Error(RestErrors.ConsumerAlreadyExists, $"Consumer with specified consumer ID already exists in the specified consumer group.")
                : RestHttp.Json(new V2ConsumerCreated(name, $"{request.Scheme}://{request.Host}/consumers/{group}/instances/{name}"));
        });

        var instance = api.MapGroup("/consumers/{group}/instances/{instance}");
        instance.MapDelete("", async (string group, string instance, IGrainFactory grains) =>
            Status(await Instance(grains, group, instance).DeleteAsync()));

        instance.MapPost("/subscription", async (string group, string instance, HttpRequest request, IGrainFactory grains) =>
        {
            var (body, error) = await RestHttp.ReadAsync<V2Subscription>(request);
            return body is null ? error! : Status(await Instance(grains, group, instance).SubscribeAsync(body.Topics, body.TopicPattern));
        });
        instance.MapGet("/subscription", async (string group, string instance, IGrainFactory grains) =>
            Answer(await Instance(grains, group, instance).GetSubscriptionAsync(), topics => RestHttp.Json(new V2Subscription(topics.ToList(), null))));
        instance.MapDelete("/subscription", async (string group, string instance, IGrainFactory grains) =>
            Status(await Instance(grains, group, instance).UnsubscribeAsync()));

        instance.MapPost("/assignments", async (string group, string instance, HttpRequest request, IGrainFactory grains) =>
        {
            var (body, error) = await RestHttp.ReadAsync<V2Partitions>(request);
            return body is null ? error! : Status(await Instance(grains, group, instance).AssignAsync(Partitions(body)));
        });
        instance.MapGet("/assignments", async (string group, string instance, IGrainFactory grains) =>
            Answer(await Instance(grains, group, instance).GetAssignmentsAsync(), partitions =>
                RestHttp.Json(new V2Partitions(partitions.Select(p => new V2Partition(p.Topic, p.Partition)).ToList()))));

        instance.MapPost("/positions", async (string group, string instance, HttpRequest request, IGrainFactory grains) =>
        {
            var (body, error) = await RestHttp.ReadAsync<V2Offsets>(request);
            return body is null ? error! : Status(await Instance(grains, group, instance).SeekAsync(Positions(body)));
        });
        instance.MapPost("/positions/beginning", (string group, string instance, HttpRequest request, IGrainFactory grains) =>
            SeekToAsync(grains, group, instance, request, beginning: true));
        instance.MapPost("/positions/end", (string group, string instance, HttpRequest request, IGrainFactory grains) =>
            SeekToAsync(grains, group, instance, request, beginning: false));

        instance.MapGet("/records", GetRecordsAsync);

        instance.MapPost("/offsets", async (string group, string instance, HttpRequest request, IGrainFactory grains) =>
        {
            IReadOnlyList<RestPosition>? offsets = null;
            if (request.ContentLength is not 0)
            {
                var (body, error) = await RestHttp.ReadAsync<V2Offsets>(request);
                if (body is null && request.ContentLength is > 0)
                {
                    return error!;
                }

                offsets = body?.Offsets is { Count: > 0 } ? Positions(body) : null;
            }

            return Answer(await Instance(grains, group, instance).CommitAsync(offsets), committed =>
                RestHttp.Json(committed.Select(c => new V2Committed(c.Topic, c.Partition, c.Consumed, c.Committed)).ToList()));
        });
        instance.MapGet("/offsets", async (string group, string instance, HttpRequest request, IGrainFactory grains) =>
        {
            var (body, error) = await RestHttp.ReadAsync<V2Partitions>(request);
            return body is null
                ? error!
                : Answer(await Instance(grains, group, instance).GetCommittedAsync(Partitions(body)), offsets =>
                    RestHttp.Json(new { offsets = offsets.Select(o => new { topic = o.Topic, partition = o.Partition, offset = o.Offset, metadata = "" }) }));
        });
    }

    private static async Task<IResult> GetRecordsAsync(string group, string instance, HttpRequest request, IGrainFactory grains, AvroJsonConverter avro)
    {
        var consumer = Instance(grains, group, instance);
        if (await consumer.GetConfigAsync() is not { } config)
        {
            return Status(RestConsumerErrors.InstanceNotFound);
        }

        var accepted = $"application/vnd.kafka.{config.Format}.v2+json";
        var accept = request.Headers.Accept.ToString();
        if (accept.Length > 0 && !accept.Contains(accepted, StringComparison.OrdinalIgnoreCase) && !accept.Contains("*/*", StringComparison.Ordinal)
            && !accept.Contains("application/vnd.kafka.v2+json", StringComparison.OrdinalIgnoreCase))
        {
            return RestHttp.Error(RestErrors.UnsupportedFormat, $"The requested embedded data format does not match the deserializer for this consumer instance ({config.Format}).");
        }

        var timeout = int.TryParse(request.Query["timeout"], out var ms) && ms >= 0 ? ms : config.RequestTimeoutMs;
        var maxBytes = int.TryParse(request.Query["max_bytes"], out var max) && max > 0 ? max : 64 << 20;
        var polled = await consumer.PollAsync(maxBytes, TimeSpan.FromMilliseconds(timeout));
        if (polled.ErrorCode != RestConsumerErrors.None)
        {
            return RestHttp.Error(polled.ErrorCode, polled.Message ?? "");
        }

        var records = new JsonArray();
        foreach (var record in polled.Value!)
        {
            records.Add(new JsonObject
            {
                ["topic"] = record.Topic,
                ["key"] = await RenderAsync(config.Format, record.Key, avro),
                ["value"] = await RenderAsync(config.Format, record.Value, avro),
                ["partition"] = record.Partition,
                ["offset"] = record.Offset,
            });
        }

        return Results.Text(records.ToJsonString(RestHttp.Options), accepted, System.Text.Encoding.UTF8);
    }

    /// <summary>A key or value in the instance's format: base64, the JSON document, or Avro's JSON encoding.</summary>
    private static async Task<JsonNode?> RenderAsync(string format, byte[]? bytes, AvroJsonConverter avro)
    {
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return format switch
            {
                "binary" => JsonValue.Create(System.Convert.ToBase64String(bytes)),
                "json" => JsonNode.Parse(bytes),
                _ => await avro.DecodeAsync(bytes) is { } json ? JsonNode.Parse(json) : JsonValue.Create(System.Convert.ToBase64String(bytes)),
            };
        }
        catch (JsonException)
        {
            // Not JSON (or not Avro in Confluent's format): the bytes, as a binary consumer would see them.
            return JsonValue.Create(System.Convert.ToBase64String(bytes));
        }
    }

    private static async Task<IResult> SeekToAsync(IGrainFactory grains, string group, string instance, HttpRequest request, bool beginning)
    {
        var (body, error) = await RestHttp.ReadAsync<V2Partitions>(request);
        return body is null ? error! : Status(await Instance(grains, group, instance).SeekToAsync(Partitions(body), beginning));
    }

    private static IRestConsumerGrain Instance(IGrainFactory grains, string group, string instance) =>
        grains.GetGrain<IRestConsumerGrain>(RestConsumerKeys.Of(group, instance));

    private static IResult Status(int code) => code switch
    {
        RestConsumerErrors.None => Results.NoContent(),
        RestConsumerErrors.InstanceNotFound => RestHttp.Error(code, "Consumer instance not found."),
        RestConsumerErrors.IllegalState => RestHttp.Error(code, "Illegal state: subscribe and assign exclude each other, and a position needs an assigned partition."),
        _ => RestHttp.Error(code, "Kafka error"),
    };

    private static IResult Answer<T>(RestResult<T> result, Func<T, IResult> ok) =>
        result.ErrorCode == RestConsumerErrors.None ? ok(result.Value!) : RestHttp.Error(result.ErrorCode, result.Message ?? "");

    private static List<RestTopicPartition> Partitions(V2Partitions body) =>
        (body.Partitions ?? []).Select(p => new RestTopicPartition(p.Topic, p.Partition)).ToList();

    private static List<RestPosition> Positions(V2Offsets body) =>
        (body.Offsets ?? []).Select(o => new RestPosition(o.Topic, o.Partition, o.Offset)).ToList();
}

internal sealed record V2CreateConsumerRequest(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("format")] string? Format,
    [property: JsonPropertyName("auto.offset.reset")] string? AutoOffsetReset,
    [property: JsonPropertyName("auto.commit.enable")] string? AutoCommitEnable,
    [property: JsonPropertyName("consumer.request.timeout.ms")] string? RequestTimeoutMs);

internal sealed record V2ConsumerCreated(
    [property: JsonPropertyName("instance_id")] string InstanceId,
    [property: JsonPropertyName("base_uri")] string BaseUri);

internal sealed record V2Subscription(
    [property: JsonPropertyName("topics")] List<string>? Topics,
    [property: JsonPropertyName("topic_pattern")] string? TopicPattern);

internal sealed record V2Partition(
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("partition")] int Partition);

internal sealed record V2Partitions([property: JsonPropertyName("partitions")] List<V2Partition>? Partitions);

internal sealed record V2Offset(
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("partition")] int Partition,
    [property: JsonPropertyName("offset")] long Offset);

internal sealed record V2Offsets([property: JsonPropertyName("offsets")] List<V2Offset>? Offsets);

internal sealed record V2Committed(
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("partition")] int Partition,
    [property: JsonPropertyName("consumed")] long Consumed,
    [property: JsonPropertyName("committed")] long Committed);
