using System.Text;
using Avro;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.RestProxy.V2.Json;
using Tributary.Grains.Interfaces.RestProxy;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.KafkaFormats.Avro;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.RestProxy.V2;

/// <summary>API v2: the records a consumer instance reads, in its embedded format (long-polled up to its timeout).</summary>
internal static class ConsumerRecordsEndpoints
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet(ConsumerInstances.Route + "/records", GetRecordsAsync).RequireKafkaAcl(AclOperation.Read, AclResourceType.Group, "group");

    private static async Task<IResult> GetRecordsAsync(
        string group, string instance, HttpRequest request, IGrainFactory grains, AvroJsonConverter avro, SchemaRuleChecks rules, BrokerAuthorizer authorizer)
    {
        var consumer = ConsumerInstances.Get(grains, group, instance);
        if (await consumer.GetConfigAsync() is not { } config)
        {
            return ConsumerInstances.Status(RestConsumerErrors.InstanceNotFound);
        }

        var accepted = $"application/vnd.kafka.{config.Format}.v2+json";
        var accept = request.Headers.Accept.ToString();
        if (accept.Length > 0 && !accept.Contains(accepted, StringComparison.OrdinalIgnoreCase) && !accept.Contains("*/*", StringComparison.Ordinal)
            && !accept.Contains("application/vnd.kafka.v2+json", StringComparison.OrdinalIgnoreCase))
        {
            return RestHttp.Error(RestErrors.UnsupportedFormat, $"The requested embedded data format does not match the deserializer for this consumer instance ({config.Format}).");
        }

        // As a Kafka consumer's poll fails while it is assigned a topic it may not read, whether or not records wait there.
        if (authorizer.Enabled
            && await RestAcls.RefusedAsync(request.HttpContext, authorizer, AclOperation.Read, AclResourceType.Topic, (await consumer.GetAssignmentsAsync()).Value?.Select(p => p.Topic) ?? [])
                is { Count: > 0 } unreadable)
        {
            return RestAcls.Forbidden(request.HttpContext, AclResourceType.Topic, [.. unreadable]);
        }

        var timeout = int.TryParse(request.Query["timeout"], out var ms) && ms >= 0 ? ms : config.RequestTimeoutMs;
        var maxBytes = int.TryParse(request.Query["max_bytes"], out var max) && max > 0 ? max : 64 << 20;
        var polled = await consumer.PollAsync(maxBytes, TimeSpan.FromMilliseconds(timeout));
        if (polled.ErrorCode != RestConsumerErrors.None)
        {
            return RestHttp.Error(polled.ErrorCode, polled.Message ?? "");
        }

        var consumed = polled.Value!;

        try
        {
            // A topic assigned while the poll ran: its records are not answered, and the positions go back.
            if (authorizer.Enabled
                && await RestAcls.RefusedAsync(request.HttpContext, authorizer, AclOperation.Read, AclResourceType.Topic, consumed.Select(r => r.Topic)) is { Count: > 0 } refused)
            {
                await TryRewindAsync(consumer, consumed);
                return RestAcls.Forbidden(request.HttpContext, AclResourceType.Topic, [.. refused]);
            }

            return await AnswerAsync(consumer, config.Format, accepted, consumed, grains, avro, rules);
        }
        catch (Exception)
        {
            await TryRewindAsync(consumer, consumed);
            throw;
        }
        finally
        {
            // Answered, or moved back to what was not: the instance's commits may take the poll's positions now.
            if (consumed.Count > 0)
            {
                consumer.AnsweredAsync().Ignore();
            }
        }
    }

    /// <summary>
    /// The polled records in the instance's format, up to the first one that cannot be read or fails a read rule; the
    /// instance is rewound to that one.
    /// </summary>
    private static async Task<IResult> AnswerAsync(
        IRestConsumerGrain consumer, string format, string accepted, IReadOnlyList<RestConsumedRecord> consumed, IGrainFactory grains,
        AvroJsonConverter avro, SchemaRuleChecks rules)
    {
        var records = new List<ConsumerRecord>(consumed.Count);
        (int Record, string Message)? failed = null;
        if (format is "jsonschema" or "protobuf")
        {
            // Keys and values of the whole poll are read by the registry's codec at once.
            var codec = grains.GetGrain<ISchemaCodecGrain>(0);
            var keys = await codec.DecodeAsync(consumed.Select(r => r.Key).ToList());
            var values = await codec.DecodeAsync(consumed.Select(r => r.Value).ToList());
            if (Enumerable.Range(0, consumed.Count).FirstOrDefault(i => (keys[i].Error ?? values[i].Error) is not null, -1) is var undecodable and >= 0)
            {
                failed = (undecodable, (keys[undecodable].Error ?? values[undecodable].Error)!);
            }

            records.AddRange(consumed.Select((record, i) => new ConsumerRecord(
                record.Topic, Node(keys[i].Json), Node(values[i].Json), record.Partition, record.Offset)));
        }
        else
        {
            // One item budget for the whole poll: what its records may expand to is bounded by their bytes together.
            var items = new AvroItemBudget();
            for (var i = 0; i < consumed.Count && failed is null; i++)
            {
                var record = consumed[i];
                try
                {
                    records.Add(new ConsumerRecord(
                        record.Topic, await RenderAsync(format, record.Key, avro, items), await RenderAsync(format, record.Value, avro, items),
                        record.Partition, record.Offset));
                }
                catch (AvroException e)
                {
                    failed = (i, $"Error deserializing Avro message: {e.Message}");
                }
            }
        }

        // The read rules of the schemas (a data contract's READ and WRITEREAD rules), on each key, then its value.
        if (format is "avro" or "jsonschema" or "protobuf"
            && await rules.FirstReadFailureAsync(consumed.SelectMany(r => new[] { r.Key, r.Value }).ToList()) is { } broken
            && (failed is null || broken.Index / 2 < failed.Value.Record))
        {
            failed = (broken.Index / 2, broken.Message);
        }

        if (failed is { } failure)
        {
            // As a Kafka consumer stops at a record it cannot deserialize: the records before it are answered, and the
            // next poll starts at it again (and fails again), until the application seeks past it.
            await RewindAsync(consumer, consumed, failure.Record);
            if (failure.Record == 0)
            {
                return RestHttp.Error(RestErrors.KafkaError, failure.Message);
            }

            records.RemoveRange(failure.Record, records.Count - failure.Record);
        }

        // Written as text: the content type is the instance's format, with its charset.
        return Results.Text(JsonSerializer.Serialize(records, RestHttp.Options), accepted, Encoding.UTF8);
    }

    /// <summary>
    /// Whatever went wrong after a poll, its records were not answered: the instance is moved back to them so that the
    /// next poll reads them again; a rewind that fails too leaves the first failure the answer.
    /// </summary>
    private static async Task TryRewindAsync(IRestConsumerGrain consumer, IReadOnlyList<RestConsumedRecord> consumed)
    {
        try
        {
            await RewindAsync(consumer, consumed, 0);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            // The original failure is the answer; the instance keeps its positions.
        }
    }

    /// <summary>
    /// Moves each partition with records from <paramref name="first"/> on back to its first such record. Should one have
    /// been revoked meanwhile (the seek of all is refused then), the others are moved one by one.
    /// </summary>
    private static async Task RewindAsync(IRestConsumerGrain consumer, IReadOnlyList<RestConsumedRecord> consumed, int first)
    {
        var positions = consumed.Skip(first).GroupBy(r => (r.Topic, r.Partition))
            .Select(g => new RestPosition(g.Key.Topic, g.Key.Partition, g.Min(r => r.Offset))).ToList();
        if (positions.Count > 0 && await consumer.SeekAsync(positions) != RestConsumerErrors.None)
        {
            foreach (var position in positions)
            {
                await consumer.SeekAsync([position]);
            }
        }
    }

    private static JsonNode? Node(string? json) => json is null ? null : JsonNode.Parse(json);

    /// <summary>A key or value in the instance's format: base64, the JSON document, or Avro's JSON encoding.</summary>
    private static async Task<JsonNode?> RenderAsync(string format, byte[]? bytes, AvroJsonConverter avro, AvroItemBudget items)
    {
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return format switch
            {
                "binary" => JsonValue.Create(Convert.ToBase64String(bytes)),
                "json" => JsonNode.Parse(bytes),
                _ => await avro.DecodeAsync(bytes, items) is { } json ? JsonNode.Parse(json) : JsonValue.Create(Convert.ToBase64String(bytes)),
            };
        }
        catch (JsonException)
        {
            // Not JSON (or not Avro in Confluent's format): the bytes, as a binary consumer would see them.
            return JsonValue.Create(Convert.ToBase64String(bytes));
        }
    }
}
