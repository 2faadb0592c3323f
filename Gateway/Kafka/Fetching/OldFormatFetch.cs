using Tributary.Gateway.Kafka.Topics;
using Tributary.Grains.Interfaces.Brokers;
using Tributary.Grains.KafkaFormats.Records.Legacy;

namespace Tributary.Gateway.Kafka.Fetching;

/// <summary>
/// Fetch v0-v3 read message formats 0 and 1 (magic 0 up to v1, magic 1 for v2 and v3): what each partition read is
/// converted down (<see cref="RecordDownConverter"/>), as Kafka 3.x converts it for such fetchers. As Kafka does, a
/// partition of a topic whose <c>compression.type</c> is zstd is answered UNSUPPORTED_COMPRESSION_TYPE, and one of a
/// topic with <c>message.downconversion.enable=false</c> UNSUPPORTED_VERSION; the topic's own value counts, else the
/// broker's default. v0-v2 came before KIP-74: Kafka sliced the log at the partition's <c>max_bytes</c>, whole messages
/// or not, so what they read is cut there, and a message larger than the limit arrives partial, which old clients
/// report as too large for their fetch size (an empty answer would have them ask again forever).
/// </summary>
internal static class OldFormatFetch
{
    /// <summary>The last Fetch version whose records are in an old message format.</summary>
    public const short LastVersion = 3;

    /// <summary>The last Fetch version whose answer is cut at the partition's limit (no whole first batch past it).</summary>
    public const short LastHardMaxBytesVersion = 2;

    public static byte MagicOf(short fetchVersion) => fetchVersion <= 1 ? LegacyRecord.MagicV0 : LegacyRecord.MagicV1;

    public static async Task ConvertAsync(IEnumerable<FetchSlot> slots, short fetchVersion, TopicCache topics, IBrokerConfigs brokerConfigs)
    {
        var magic = MagicOf(fetchVersion);
        foreach (var slot in slots)
        {
            if (slot.Topic is null || await topics.DescribeAsync(slot.Topic) is not { } topic)
            {
                continue;
            }

            if (Config(topic.Configs, brokerConfigs, "compression.type") == "zstd")
            {
                slot.Refuse(ErrorCode.UnsupportedCompressionType);
            }
            else if (string.Equals(Config(topic.Configs, brokerConfigs, "message.downconversion.enable"), "false", StringComparison.OrdinalIgnoreCase))
            {
                slot.Refuse(ErrorCode.UnsupportedVersion);
            }
            else if (slot.Result is { Records.IsEmpty: false } result)
            {
                var converted = RecordDownConverter.ToMessageSet(result.Records.Span, magic, slot.FetchOffset);
                if (converted.Error == ErrorCode.None)
                {
                    slot.ReplaceRecords(fetchVersion <= LastHardMaxBytesVersion && converted.Records.Length > slot.MaxBytes
                        ? converted.Records[..Math.Max(0, slot.MaxBytes)]
                        : converted.Records);
                }
                else
                {
                    slot.Refuse(converted.Error);
                }
            }
        }
    }

    private static string? Config(IReadOnlyDictionary<string, string> topicConfigs, IBrokerConfigs brokerConfigs, string name) =>
        topicConfigs.TryGetValue(name, out var value) ? value
        : brokerConfigs.TopicDefaults.TryGetValue(name, out value) ? value
        : null;
}
