using System.Buffers;
using System.Globalization;
using System.Threading.Channels;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Tributary.Gateway.Kafka;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Gateway.RestProxy;

/// <summary>
/// API v3 produce: one record per request, or a stream of concatenated records in one chunked request answered by a
/// stream of delivery reports in the same order. The records that have arrived are produced together (one batch per
/// partition), so a fast stream costs a grain call per partition per read, not per record.
/// </summary>
public static partial class RestProxyEndpoints
{
    /// <summary>The most one JSON record of a stream may take before it is refused (the stream has no limit).</summary>
    private const int MaxRecordBytes = 16 << 20;

    private static readonly JsonReaderOptions MultipleValues = new() { AllowMultipleValues = true };

    private static void MapV3Records(RouteGroupBuilder cluster, ILogger logger) =>
        cluster.MapPost("/topics/{topic}/records", async (
            string topic, HttpContext context, TopicCache topics, V3RecordConverter converter, RestRecordWriter writer, BrokerIdentity broker) =>
        {
            if (await topics.DescribeAsync(topic) is not { } description)
            {
                await WriteV3Async(context, StatusCodes.Status404NotFound, Failure(StatusCodes.Status404NotFound, "This server does not host this topic-partition."));
                return;
            }

            // A stream of records may run for hours: the request body has no size limit here (each record still has one).
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = null;
            }

            var body = context.Request.BodyReader;
            Channel<List<V3Report>>? stream = null;
            Task? streaming = null;
            try
            {
                while (true)
                {
                    var read = await body.ReadAsync(context.RequestAborted);
                    var (records, consumed, malformed) = ParseRecords(read.Buffer, read.IsCompleted);
                    if (malformed is null && records.Count == 0 && read.Buffer.Length > MaxRecordBytes)
                    {
                        malformed = $"A record is larger than {MaxRecordBytes} bytes.";
                    }

                    var reports = await ProduceAsync(description, records, converter, writer, broker);
                    if (malformed is not null)
                    {
                        LogRejected(logger, context.Request.Method, context.Request.Path, StatusCodes.Status400BadRequest, malformed);
                        reports.Add(Failure(StatusCodes.Status400BadRequest, malformed));
                    }

                    var last = malformed is not null || read.IsCompleted;
                    body.AdvanceTo(last ? read.Buffer.End : consumed, read.Buffer.End);
                    if (stream is null && last && reports.Count == 1)
                    {
                        // One record in the whole request: its outcome is the response's status, as for a plain request.
                        await WriteV3Async(context, reports[0].ErrorCode, reports[0]);
                        return;
                    }

                    if (stream is null)
                    {
                        // Reports go out on their own loop: a client that sends its whole stream before it reads
                        // (HTTP/1.1 clients mostly do) must not stop the reading of its records.
                        stream = Channel.CreateUnbounded<List<V3Report>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
                        streaming = StreamReportsAsync(context, stream.Reader);
                    }

                    await stream.Writer.WriteAsync(reports, context.RequestAborted);
                    if (last)
                    {
                        return;
                    }
                }
            }
            finally
            {
                if (stream is not null)
                {
                    stream.Writer.TryComplete();
                    await streaming!;
                }
            }
        });

    /// <summary>The complete records at the start of the buffer, where they end, and why the rest cannot be read (if it cannot).</summary>
    private static (List<(V3ProduceRecord? Record, string? Error)> Records, SequencePosition Consumed, string? Malformed) ParseRecords(ReadOnlySequence<byte> buffer, bool final)
    {
        var records = new List<(V3ProduceRecord?, string?)>();
        var reader = new Utf8JsonReader(buffer, final, new JsonReaderState(MultipleValues));
        var consumed = buffer.Start;
        try
        {
            while (true)
            {
                var probe = reader;
                if (!probe.Read())
                {
                    break;
                }

                if (probe.TokenType != JsonTokenType.StartObject)
                {
                    return (records, consumed, "Each record must be a JSON object.");
                }

                if (!probe.TrySkip())
                {
                    break;
                }

                reader.Read();
                var read = V3RecordReader.Read(ref reader, buffer);
                records.Add(read);
                if (read.Error is not null)
                {
                    // A record whose fields are wrong is answered alone; the stream goes on after it.
                    reader = probe;
                }

                consumed = reader.Position;
            }
        }
        catch (JsonException e)
        {
            return (records, consumed, $"Invalid JSON: {e.Message}");
        }

        if (final && !IsBlank(buffer.Slice(consumed)))
        {
            return (records, consumed, "The request ends inside a record.");
        }

        return (records, consumed, null);
    }

    private static bool IsBlank(ReadOnlySequence<byte> rest)
    {
        foreach (var segment in rest)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Converts and writes what arrived; a delivery report (or an error) per record, in order.</summary>
    private static async Task<List<V3Report>> ProduceAsync(
        TopicDescription topic, List<(V3ProduceRecord? Record, string? Error)> records, V3RecordConverter converter, RestRecordWriter writer, BrokerIdentity broker)
    {
        var reports = new V3Report?[records.Count];
        var accepted = new List<(int Index, RestRecord Record, V3DataInfo? Key, V3DataInfo? Value)>();
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Record is not { } record)
            {
                reports[i] = Failure(StatusCodes.Status400BadRequest, records[i].Error ?? "Invalid record.");
                continue;
            }

            var converted = await converter.ConvertAsync(topic.Name, topic.PartitionCount, record);
            if (converted.Record is null)
            {
                reports[i] = Failure(converted.Code, converted.Message!);
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
                    ? new V3Report(StatusCodes.Status200OK, null, broker.ClusterId, topic.Name, result.Partition, result.Offset, result.Timestamp, accepted[n].Key, accepted[n].Value)
                    : Failure(StatusCodes.Status500InternalServerError, result.Message ?? result.Error.ToString());
            }
        }

        return reports.Select(r => r!).ToList();
    }

    private static V3Report Failure(int code, string message) => new(code, message, null, null, 0, 0, 0, null, null);

    private static async Task StreamReportsAsync(HttpContext context, ChannelReader<List<V3Report>> reports)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = V3;
        var output = context.Response.BodyWriter;
        await foreach (var batch in reports.ReadAllAsync(context.RequestAborted))
        {
            using (var json = new Utf8JsonWriter((IBufferWriter<byte>)output))
            {
                foreach (var report in batch)
                {
                    report.WriteTo(json);
                    json.Flush();
                    output.Write("\n"u8);
                    json.Reset();
                }
            }

            await output.FlushAsync(context.RequestAborted);
        }
    }

    private static async Task WriteV3Async(HttpContext context, int status, V3Report report)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = V3;
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            report.WriteTo(json);
        }

        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }
}

/// <summary>A v3 delivery report (error code 200 and where the record went) or a record's error.</summary>
internal sealed record V3Report(
    int ErrorCode, string? Message, string? ClusterId, string? Topic, int Partition, long Offset, long Timestamp, V3DataInfo? Key, V3DataInfo? Value)
{
    public void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteNumber("error_code"u8, ErrorCode);
        if (Message is not null)
        {
            json.WriteString("message"u8, Message);
            json.WriteEndObject();
            return;
        }

        json.WriteString("cluster_id"u8, ClusterId);
        json.WriteString("topic_name"u8, Topic);
        json.WriteNumber("partition_id"u8, Partition);
        json.WriteNumber("offset"u8, Offset);
        Span<char> time = stackalloc char[32];
        DateTimeOffset.FromUnixTimeMilliseconds(Timestamp).TryFormat(time, out var length, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        json.WriteString("timestamp"u8, time[..length]);
        WriteData(json, "key"u8, Key);
        WriteData(json, "value"u8, Value);
        json.WriteEndObject();
    }

    private static void WriteData(Utf8JsonWriter json, ReadOnlySpan<byte> name, V3DataInfo? data)
    {
        if (data is null)
        {
            json.WriteNull(name);
            return;
        }

        json.WriteStartObject(name);
        json.WriteString("type"u8, data.Type);
        json.WriteNumber("size"u8, data.Size);
        if (data.Subject is not null)
        {
            json.WriteString("subject"u8, data.Subject);
            json.WriteNumber("schema_id"u8, data.SchemaId ?? 0);
        }

        json.WriteEndObject();
    }
}
