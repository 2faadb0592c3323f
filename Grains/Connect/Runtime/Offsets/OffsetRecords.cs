using System.Text;
using System.Text.Json;
using Tributary.Grains.Connect.Runtime.Records;

namespace Tributary.Grains.Connect.Runtime.Offsets;

/// <summary>
/// Source offsets as records of an offsets topic, in Kafka's format (<c>connect-offsets</c>): the key is the JSON array
/// <c>["&lt;connector&gt;", {source partition}]</c>, the value the offset's JSON object, or null (a tombstone) for an
/// offset removed. An exactly-once source task writes them in the same transaction as its records.
/// </summary>
public static class OffsetRecords
{
    public static ProducerRecord Write(string topic, string connector, string partitionJson, string? offsetJson) =>
        new(topic, null, Key(connector, partitionJson), offsetJson is null ? null : Encoding.UTF8.GetBytes(offsetJson), [], null);

    public static byte[] Key(string connector, string partitionJson) =>
        Encoding.UTF8.GetBytes("[" + JsonSerializer.Serialize(connector) + "," + partitionJson + "]");

    /// <summary>The connector and canonical partition of an offset record's key; null for a key not in Kafka's form.</summary>
    public static (string Connector, string PartitionJson)? ReadKey(byte[]? key)
    {
        if (key is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(key);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() != 2 ||
                root[0].ValueKind != JsonValueKind.String || root[1].ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return (root[0].GetString()!, OffsetJson.Canonical(root[1].GetRawText()));
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
