using Avro;

namespace Tributary.Grains.KafkaFormats.Avro;

/// <summary>
/// How many array and map items the Avro data read with it may still hold. Every item of a type that takes input
/// (anything but null, an empty record or a zero-length fixed) takes at least one byte of its own, so data as a writer
/// produced it never holds more items than it has bytes; what is beyond that can only be items that take none, of which
/// <see cref="EmptyItemAllowance"/> are allowed. Past that a block count is refused before a reader sizes an array to it:
/// a few bytes can otherwise claim billions of items, each becoming an object and a JSON token.
/// </summary>
public sealed class AvroItemBudget
{
    /// <summary>Items beyond one per byte of input that one budget allows: arrays or maps of nulls or empty records.</summary>
    public const long EmptyItemAllowance = 10_000;

    private long _left;

    /// <summary>A budget for <paramref name="bytes"/> bytes of input; add more with <see cref="AddInput"/> when it is shared.</summary>
    public AvroItemBudget(long bytes = 0) => _left = bytes + EmptyItemAllowance;

    /// <summary>Another datum of <paramref name="bytes"/> bytes is read with this budget (all records of one poll share one).</summary>
    public void AddInput(long bytes) => _left += bytes;

    /// <summary>Takes a block's count of items, or refuses it when the budget cannot hold that many.</summary>
    public long Take(long count)
    {
        if (count > _left)
        {
            throw new AvroException(
                $"An array or map claims {count} more items than its data can hold (one per byte, and {EmptyItemAllowance} that take no byte).");
        }

        _left -= count;
        return count;
    }
}
