using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Kafka;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.RestProxy.V3.Json;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Gateway.Kafka.Acls;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.RestProxy.V3;

/// <summary>API v3 produce: one record per request, or a stream of them (<see cref="V3RecordStream"/>).</summary>
internal static class RecordsEndpoints
{
    public static void Map(RouteGroupBuilder cluster) =>
        cluster.MapPost("/topics/{topic}/records", ProduceAsync).RequireKafkaAcl(AclOperation.Write, AclResourceType.Topic, "topic");

    private static async Task ProduceAsync(
        string topic, HttpContext context, TopicCache topics, V3RecordConverter converter, RestRecordWriter writer, BrokerIdentity broker, RestProxyLog log, Microsoft.Extensions.Options.IOptions<RestProxyLimits> limits)
    {
        if (await topics.DescribeAsync(topic) is not { } description)
        {
            await V3RecordStream.WriteOneAsync(context, StatusCodes.Status404NotFound,
                DeliveryReport.Failure(StatusCodes.Status404NotFound, "This server does not host this topic-partition."));
            return;
        }

        // A stream of records may run for hours: the request body has no size limit here (each record still has one).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        await new V3RecordStream(context, records => WriteAsync(description, records, converter, writer, broker), log, limits.Value).RunAsync();
    }

    /// <summary>Converts and writes records that arrived together; a delivery report (or an error) per record, in order.</summary>
    private static async Task<List<DeliveryReport>> WriteAsync(
        TopicDescription topic, List<(ProduceRequest? Record, string? Error)> records, V3RecordConverter converter, RestRecordWriter writer, BrokerIdentity broker)
    {
        var reports = new DeliveryReport?[records.Count];
        var accepted = new List<(int Index, RestRecord Record, ProduceResponseData? Key, ProduceResponseData? Value)>();
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Record is not { } record)
            {
                reports[i] = DeliveryReport.Failure(StatusCodes.Status400BadRequest, records[i].Error ?? "Invalid record.");
                continue;
            }

            var converted = await converter.ConvertAsync(topic.Name, topic.PartitionCount, record);
            if (converted.Record is null)
            {
                reports[i] = DeliveryReport.Failure(converted.Code, converted.Message!);
            }
            else
            {
                accepted.Add((i, converted.Record, converted.Key, converted.Value));
            }
        }

        if (accepted.Count > 0)
        {
            var results = await writer.WriteAsync(topic, accepted.Select(a => a.Record).ToList());
            for (var n = 0; n < accepted.Count; n++)
            {
                var result = results[n];
                reports[accepted[n].Index] = result.Error == ErrorCode.None
                    ? new DeliveryReport(StatusCodes.Status200OK, null, broker.ClusterId, topic.Name, result.Partition, result.Offset, result.Timestamp, accepted[n].Key, accepted[n].Value)
                    : DeliveryReport.Failure(StatusCodes.Status500InternalServerError, result.Message ?? result.Error.ToString());
            }
        }

        return reports.Select(r => r!).ToList();
    }
}
