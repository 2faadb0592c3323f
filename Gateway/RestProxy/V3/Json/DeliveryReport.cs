using System.Globalization;
using System.Text.Json;

namespace Tributary.Gateway.RestProxy.V3.Json;

/// <summary>A v3 delivery report (error code 200 and where the record went) or a record's error.</summary>
internal sealed record DeliveryReport(
    int ErrorCode, string? Message, string? ClusterId, string? Topic, int Partition, long Offset, long Timestamp, ProduceResponseData? Key, ProduceResponseData? Value)
{
    /// <summary>A record's error: an HTTP-style code (400, 404, 500) and why.</summary>
    public static DeliveryReport Failure(int code, string message) => new(code, message, null, null, 0, 0, 0, null, null);

    /// <summary>The report as one JSON object, without a separator: a stream writes one per line.</summary>
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

    private static void WriteData(Utf8JsonWriter json, ReadOnlySpan<byte> name, ProduceResponseData? data)
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
