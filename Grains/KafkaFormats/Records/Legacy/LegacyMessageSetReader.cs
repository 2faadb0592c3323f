using System.Buffers.Binary;

namespace Tributary.Grains.KafkaFormats.Records.Legacy;

/// <summary>What <see cref="LegacyMessageSetReader.Next"/> found.</summary>
public enum LegacyReadStatus
{
    Message,
    End,
    Malformed,
}

/// <summary>
/// Reads the messages of a legacy message set (magic 0 or 1) one by one, shallowly: a compressed message is returned
/// as its wrapper. Strict: the set must be whole messages, each with a magic of 0 or 1, a size of at least its
/// overhead, and a key and value that fill it exactly; anything else, a truncated last message included, reports
/// <see cref="LegacyReadStatus.Malformed"/> with the reason in <see cref="Error"/>. Nothing is read past the set.
/// </summary>
public ref struct LegacyMessageSetReader
{
    private ReadOnlySpan<byte> _remaining;

    public LegacyMessageSetReader(ReadOnlySpan<byte> messageSet) => _remaining = messageSet;

    /// <summary>Why the set is malformed, after <see cref="LegacyReadStatus.Malformed"/>.</summary>
    public string? Error { get; private set; }

    public LegacyReadStatus Next(out LegacyMessage message)
    {
        message = default;
        if (_remaining.IsEmpty)
        {
            return LegacyReadStatus.End;
        }

        if (_remaining.Length < LegacyRecord.LogOverhead)
        {
            return Malformed($"Truncated message: {_remaining.Length} bytes left, its offset and size take {LegacyRecord.LogOverhead}.");
        }

        var size = LegacyRecord.Size(_remaining);
        if (size < LegacyRecord.RecordOverheadV0)
        {
            return Malformed($"Message size {size} is less than the minimum message overhead ({LegacyRecord.RecordOverheadV0}).");
        }

        if (size > _remaining.Length - LegacyRecord.LogOverhead)
        {
            return Malformed($"Truncated message: it declares {size} bytes, {_remaining.Length - LegacyRecord.LogOverhead} are left.");
        }

        var entry = _remaining[..(LegacyRecord.LogOverhead + size)];
        var magic = entry[LegacyRecord.MagicOffset];
        if (magic > LegacyRecord.MagicV1)
        {
            return Malformed($"Message magic {magic} in a message set of magic 0 and 1.");
        }

        if (size < LegacyRecord.RecordOverhead(magic))
        {
            return Malformed($"Message size {size} is less than the overhead of magic {magic} ({LegacyRecord.RecordOverhead(magic)}).");
        }

        var position = magic == LegacyRecord.MagicV0 ? LegacyRecord.TimestampOffset : LegacyRecord.TimestampOffset + 8;
        if (!TryReadBytes(entry, ref position, out var key, out var hasKey)
            || !TryReadBytes(entry, ref position, out var value, out var hasValue))
        {
            return Malformed("A message's key or value runs past the message.");
        }

        if (position != entry.Length)
        {
            return Malformed($"A message's key and value end {entry.Length - position} bytes before the message does.");
        }

        message = new LegacyMessage(entry, key, hasKey, value, hasValue);
        _remaining = _remaining[entry.Length..];
        return LegacyReadStatus.Message;
    }

    private LegacyReadStatus Malformed(string error)
    {
        Error = error;
        _remaining = default;
        return LegacyReadStatus.Malformed;
    }

    private static bool TryReadBytes(ReadOnlySpan<byte> entry, scoped ref int position, out ReadOnlySpan<byte> bytes, out bool present)
    {
        bytes = default;
        present = false;
        if (entry.Length - position < 4)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(entry[position..]);
        position += 4;
        if (length == -1)
        {
            return true;
        }

        if (length < 0 || length > entry.Length - position)
        {
            return false;
        }

        bytes = entry.Slice(position, length);
        present = true;
        position += length;
        return true;
    }
}
