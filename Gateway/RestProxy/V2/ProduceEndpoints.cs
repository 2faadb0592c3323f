using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.RestProxy.V2.Json;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.RestProxy.V2;

/// <summary>
/// API v2 produce, to a topic or to one of its partitions: records in an embedded format (the Content-Type names it)
/// turned into Kafka's bytes, all of them before any is written, so a request with one bad record writes nothing. A topic
/// that does not exist is created when <c>auto.create.topics.enable</c> allows it, as Confluent's producer has it created.
/// </summary>
internal static class ProduceEndpoints
{
    private static readonly string[] Formats = ["binary", "json", "avro", "jsonschema", "protobuf"];

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/topics/{topic}", ProduceToTopicAsync);
        api.MapPost("/topics/{topic}/partitions/{partition:int}", ProduceToPartitionAsync);
    }

    private static Task<IResult> ProduceToTopicAsync(
        string topic, HttpRequest request, TopicAutoCreation topics, V2RecordConverter converter, RestRecordWriter writer, RestProxyLog log) =>
        ProduceAsync(topic, null, request, topics, converter, writer, log);

    private static Task<IResult> ProduceToPartitionAsync(
        string topic, int partition, HttpRequest request, TopicAutoCreation topics, V2RecordConverter converter, RestRecordWriter writer, RestProxyLog log) =>
        ProduceAsync(topic, partition, request, topics, converter, writer, log);

    private static async Task<IResult> ProduceAsync(
        string topic, int? partition, HttpRequest request, TopicAutoCreation topics, V2RecordConverter converter, RestRecordWriter writer, RestProxyLog log)
    {
        var format = Format(RestHttp.MediaType(request));
        if (format is null)
        {
            var message = $"Unsupported content type {request.ContentType}: produce with application/vnd.kafka.{{binary,json,avro,jsonschema,protobuf}}.v2+json";
            log.Rejected(request, StatusCodes.Status415UnsupportedMediaType, message);
            return RestHttp.Error(StatusCodes.Status415UnsupportedMediaType, message);
        }

        // One document for the whole request: records' keys and values are read from it in place, not copied out.
        var (document, tooDeep) = await ParseAsync(request);
        using var parsed = document;
        if (tooDeep is not null)
        {
            return RestHttp.Error(StatusCodes.Status400BadRequest, tooDeep);
        }

        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return RestHttp.Error(StatusCodes.Status400BadRequest, "The request body must be a JSON object.");
        }

        // Confluent's order: the body is bound (400 when it cannot be), then validated (422), then produced.
        var (body, unbindable) = ProduceRequest.Read(document.RootElement);
        if (body is null)
        {
            log.Rejected(request, StatusCodes.Status400BadRequest, unbindable!);
            return RestHttp.Error(StatusCodes.Status400BadRequest, unbindable!);
        }

        if (body.Records.Count == 0)
        {
            return RestHttp.Error(StatusCodes.Status422UnprocessableEntity, "records must not be empty (was [])");
        }

        // As Confluent's producer fails each record on a topic it may not write: 40301 per record, and the answer 403.
        var authorizer = request.HttpContext.RequestServices.GetRequiredService<BrokerAuthorizer>();
        if (!await RestAcls.AllowsAsync(request.HttpContext, authorizer, AclOperation.Write, AclResourceType.Topic, topic))
        {
            var refused = RestAcls.TopicsRefused([topic]);
            return RestHttp.Json(
                new ProduceResponse(null, null, body.Records.Select(_ => new PartitionOffset(null, null, RestAcls.AuthorizationFailed, refused)).ToList()),
                status: StatusCodes.Status403Forbidden);
        }

        // Confluent's proxy writes through a Kafka producer, whose metadata request creates a missing topic when the
        // broker allows it (and the caller may create it); a topic it cannot have is a 404, an illegal name fails each
        // record as the producer does.
        var mayCreate = !authorizer.Enabled
            || await RestAcls.AllowsAsync(request.HttpContext, authorizer, AclOperation.Create, AclResourceType.Cluster, AclBinding.ClusterName, logIfDenied: false)
            || await RestAcls.AllowsAsync(request.HttpContext, authorizer, AclOperation.Create, AclResourceType.Topic, topic, logIfDenied: false);
        var (description, error, _) = await topics.DescribeOrCreateAsync(topic, mayCreate);
        if (description is null)
        {
            return error == ErrorCode.InvalidTopicException
                ? RestHttp.Json(new ProduceResponse(null, null, body.Records.Select(_ => new PartitionOffset(null, null, RestErrors.KafkaError, $"Invalid topics: [{topic}]")).ToList()))
                : V2Errors.TopicNotFound(topic);
        }

        var converted = await converter.ConvertAsync(format, topic, partition, body, description);
        if (converted.Rejection is { } rejection)
        {
            log.Rejected(request, rejection.Code, rejection.Message);
            return RestHttp.Error(rejection.Code, rejection.Message);
        }

        var results = await writer.WriteAsync(description, converted.Records!);
        return RestHttp.Json(new ProduceResponse(converted.KeySchemaId, converted.ValueSchemaId, results.Select(r => r.Error == ErrorCode.None
            ? new PartitionOffset(r.Partition, r.Offset, null, null)
            : new PartitionOffset(null, null, IsRetriable(r.Error) ? RestErrors.KafkaRetriableError : RestErrors.KafkaError, r.Message ?? r.Error.ToString())).ToList()));
    }

    /// <summary>The body as one document (null when it is not JSON), or why it is refused: nested too deep.</summary>
    private static async Task<(JsonDocument? Document, string? TooDeep)> ParseAsync(HttpRequest request)
    {
        var depth = request.HttpContext.RequestServices.GetRequiredService<IOptions<RestProxyLimits>>().Value.MaxJsonDepth;
        try
        {
            var options = new JsonDocumentOptions { MaxDepth = depth };
            return (await JsonDocument.ParseAsync(request.Body, options, request.HttpContext.RequestAborted), null);
        }
        catch (JsonException e) when (e.Message.Contains("depth", StringComparison.OrdinalIgnoreCase))
        {
            return (null, $"The request body's JSON is nested deeper than {depth} levels (Tributary:RestProxy:MaxJsonDepth).");
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    /// <summary>The embedded format a v2 content type names, or null for any other content type.</summary>
    private static string? Format(string? mediaType)
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
