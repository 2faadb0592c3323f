using System.Globalization;
using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Connector;

namespace Tributary.Grains.Connect.Mirror;

/// <summary>
/// Source partitions and offsets as MirrorMaker stores them (Kafka's <c>MirrorUtils</c>): the partition
/// <c>{"cluster": alias, "topic": t, "partition": p}</c> and the offset <c>{"offset": n}</c>, n being the source offset
/// of the last record written. Keeping Kafka's shape lets offsets be moved with the REST API the same way.
/// </summary>
public static class MirrorPartitions
{
    public const string ClusterKey = "cluster";
    public const string TopicKey = "topic";
    public const string PartitionKey = "partition";
    public const string OffsetKey = "offset";

    public static IReadOnlyDictionary<string, object?> WrapPartition(TopicPartition partition, string sourceClusterAlias) =>
        new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [ClusterKey] = sourceClusterAlias,
            [TopicKey] = partition.Topic,
            [PartitionKey] = partition.Partition,
        };

    public static IReadOnlyDictionary<string, object?> WrapOffset(long offset) =>
        new Dictionary<string, object?>(StringComparer.Ordinal) { [OffsetKey] = offset };

    /// <summary>The stored offset, or -1 when there is none (Kafka's <c>unwrapOffset</c>).</summary>
    public static long UnwrapOffset(IReadOnlyDictionary<string, object?>? offset) =>
        offset is not null && offset.TryGetValue(OffsetKey, out var value) && TryReadInteger(value, out var n) ? n : -1;

    /// <summary><c>topic-partition</c>, as Java's <c>TopicPartition.toString</c> writes it into task configs.</summary>
    public static string EncodeTopicPartition(TopicPartition partition) => partition.ToString();

    /// <summary>Reads <see cref="EncodeTopicPartition"/> back: the partition follows the last dash, since topics may contain dashes.</summary>
    public static TopicPartition DecodeTopicPartition(string text)
    {
        var dash = text.LastIndexOf('-');
        return dash > 0 && int.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
            ? new TopicPartition(text[..dash], partition)
            : throw new ConnectException($"'{text}' is not a topic-partition");
    }

    /// <summary>Kafka's checks of offsets sent to the REST API (<c>MirrorSourceConnector.alterOffsets</c>).</summary>
    public static void ValidateSourceOffset(IReadOnlyDictionary<string, object?>? partition, IReadOnlyDictionary<string, object?>? offset)
    {
        if (offset is null)
        {
            // Tombstones are allowed for anything, so that leftovers can be cleaned up.
            return;
        }

        if (partition is null)
        {
            throw new ConnectException("Source partitions may not be null");
        }

        RequireString(partition, ClusterKey);
        RequireString(partition, TopicKey);
        if (!partition.TryGetValue(PartitionKey, out var p))
        {
            throw new ConnectException($"Source partition {Show(partition)} is missing the '{PartitionKey}' key, which is required");
        }

        if (!TryReadInteger(p, out var number) || number > int.MaxValue)
        {
            throw new ConnectException($"Source partition {Show(partition)} has an invalid value {p} for the '{PartitionKey}' key, which must be an integer");
        }

        if (number < 0)
        {
            throw new ConnectException($"Source partition {Show(partition)} has an invalid value {p} for the '{PartitionKey}' key, which cannot be negative");
        }

        if (!offset.TryGetValue(OffsetKey, out var o))
        {
            throw new ConnectException($"Source offset {Show(offset)} for source partition {Show(partition)} is missing the '{OffsetKey}' key, which is required");
        }

        if (!TryReadInteger(o, out var position))
        {
            throw new ConnectException($"Source offset {Show(offset)} for source partition {Show(partition)} has an invalid value {o} for the '{OffsetKey}' key, which must be an integer");
        }

        if (position < 0)
        {
            throw new ConnectException($"Source offset {Show(offset)} for source partition {Show(partition)} has an invalid value {o} for the '{OffsetKey}' key, which cannot be negative");
        }
    }

    /// <summary>Integral numbers of any width: stored offsets come back as long, offsets sent to the REST API as whatever JSON gave.</summary>
    private static bool TryReadInteger(object? value, out long number)
    {
        switch (value)
        {
            case long l:
                number = l;
                return true;
            case int i:
                number = i;
                return true;
            case short s:
                number = s;
                return true;
            case byte b:
                number = b;
                return true;
            default:
                number = 0;
                return false;
        }
    }

    private static void RequireString(IReadOnlyDictionary<string, object?> partition, string key)
    {
        if (!partition.TryGetValue(key, out var value))
        {
            throw new ConnectException($"Source partition {Show(partition)} is missing the '{key}' key, which is required");
        }

        if (value is not string)
        {
            throw new ConnectException($"Source partition {Show(partition)} has an invalid value {value} for the '{key}' key, which must be a string");
        }
    }

    private static string Show(IReadOnlyDictionary<string, object?> map) =>
        "{" + string.Join(", ", map.Select(p => $"{p.Key}={Convert.ToString(p.Value, CultureInfo.InvariantCulture) ?? "null"}")) + "}";
}
