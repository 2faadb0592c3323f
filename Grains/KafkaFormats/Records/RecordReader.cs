namespace Tributary.Grains.KafkaFormats.Records;

/// <summary>What <see cref="RecordReader.Next"/> found.</summary>
public enum RecordReadStatus
{
    Record,
    End,
    Malformed,
}

/// <summary>
/// Reads the records of an uncompressed records section one by one. Any framing error (a length that runs past
/// the section, a varint too long, a record whose fields do not fill its declared length exactly) reports
/// <see cref="RecordReadStatus.Malformed"/>; nothing is read past the section.
/// </summary>
public ref struct RecordReader
{
    private ReadOnlySpan<byte> _remaining;

    public RecordReader(ReadOnlySpan<byte> records) => _remaining = records;

    /// <summary>Bytes not yet read; non-empty after the last declared record means the batch is malformed.</summary>
    public readonly int RemainingBytes => _remaining.Length;

    public RecordReadStatus Next(out Record record)
    {
        record = default;
        if (_remaining.IsEmpty)
        {
            return RecordReadStatus.End;
        }

        if (!Varint.TryReadInt(_remaining, out var length, out var lengthSize)
            || length < 0 || length > _remaining.Length - lengthSize)
        {
            return RecordReadStatus.Malformed;
        }

        var body = _remaining.Slice(lengthSize, length);
        if (!TryParse(body, out record))
        {
            return RecordReadStatus.Malformed;
        }

        _remaining = _remaining[(lengthSize + length)..];
        return RecordReadStatus.Record;
    }

    private static bool TryParse(ReadOnlySpan<byte> body, out Record record)
    {
        record = default;
        if (body.IsEmpty)
        {
            return false;
        }

        var attributes = body[0];
        var position = 1;
        if (!Varint.TryReadLong(body[position..], out var timestampDelta, out var n))
        {
            return false;
        }

        position += n;
        if (!Varint.TryReadInt(body[position..], out var offsetDelta, out n))
        {
            return false;
        }

        position += n;
        if (!TryReadBytes(body, ref position, out var key, out var hasKey)
            || !TryReadBytes(body, ref position, out var value, out var hasValue))
        {
            return false;
        }

        if (!Varint.TryReadInt(body[position..], out var headerCount, out n) || headerCount < 0)
        {
            return false;
        }

        position += n;
        var headersStart = position;
        for (var i = 0; i < headerCount; i++)
        {
            if (!TryReadBytes(body, ref position, out _, out var hasHeaderKey) || !hasHeaderKey
                || !TryReadBytes(body, ref position, out _, out _))
            {
                return false;
            }
        }

        if (position != body.Length)
        {
            return false;
        }

        record = new Record(attributes, timestampDelta, offsetDelta, key, hasKey, value, hasValue, headerCount, body[headersStart..]);
        return true;
    }

    internal static bool TryReadBytes(ReadOnlySpan<byte> body, scoped ref int position, out ReadOnlySpan<byte> bytes, out bool present)
    {
        bytes = default;
        present = false;
        if (!Varint.TryReadInt(body[position..], out var length, out var n) || length < -1)
        {
            return false;
        }

        position += n;
        if (length == -1)
        {
            return true;
        }

        if (length > body.Length - position)
        {
            return false;
        }

        bytes = body.Slice(position, length);
        present = true;
        position += length;
        return true;
    }
}
