using System.Buffers;
using System.Text.Json;
using Tributary.Grains.Interfaces.Connect;

namespace Tributary.Gateway.Connect.Json;

/// <summary>
/// A connector's offsets as KIP-875 writes them, <c>{"offsets": [{"partition": {...}, "offset": {...}}]}</c>. The
/// partitions and offsets are the connector's own JSON objects, which this layer never interprets: they pass through
/// as JSON text both ways (compacted when read, so that equal objects written with different spacing are one text).
/// </summary>
internal static class ConnectorOffsets
{
    public static byte[] Write(IReadOnlyList<ConnectorOffset> offsets)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = ConnectHttp.Options.Encoder }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("offsets");
            foreach (var offset in offsets)
            {
                writer.WriteStartObject();
                writer.WritePropertyName("partition");
                writer.WriteRawValue(offset.PartitionJson);
                writer.WritePropertyName("offset");
                if (offset.OffsetJson is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    writer.WriteRawValue(offset.OffsetJson);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The offsets of an alteration (a null offset removes its partition's), or null and the 400 message in <paramref name="error"/>.</summary>
    public static IReadOnlyList<ConnectorOffset>? Read(JsonElement json, out string? error)
    {
        error = "Partitions / offsets need to be provided for an alter offsets request";
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("offsets", out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            error = $"The offsets must be an array, not {ConfigMaps.Describe(list.ValueKind)}";
            return null;
        }

        var offsets = new List<ConnectorOffset>();
        foreach (var entry in list.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object)
            {
                error = $"Each offset must be an object with a partition and an offset, not {ConfigMaps.Describe(entry.ValueKind)}";
                return null;
            }

            if (!entry.TryGetProperty("partition", out var partition) || partition.ValueKind != JsonValueKind.Object)
            {
                error = "The partition of each offset must be a JSON object";
                return null;
            }

            var hasOffset = entry.TryGetProperty("offset", out var offset) && offset.ValueKind != JsonValueKind.Null;
            if (hasOffset && offset.ValueKind != JsonValueKind.Object)
            {
                error = $"The offset of each partition must be a JSON object or null, not {ConfigMaps.Describe(offset.ValueKind)}";
                return null;
            }

            offsets.Add(new ConnectorOffset(Compact(partition), hasOffset ? Compact(offset) : null));
        }

        if (offsets.Count == 0)
        {
            return null;
        }

        error = null;
        return offsets;
    }

    private static string Compact(JsonElement json)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = ConnectHttp.Options.Encoder }))
        {
            json.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
