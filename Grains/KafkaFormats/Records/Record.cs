namespace Tributary.Grains.KafkaFormats.Records;

/// <summary>
/// One record inside an uncompressed records section, as views into the batch's bytes.
/// <code>
/// length varint (bytes after this field) | attributes int8 | timestampDelta varlong | offsetDelta varint
/// | keyLength varint (-1 null) | key | valueLength varint (-1 null) | value | headerCount varint | headers
/// header: keyLength varint | key (UTF-8, not null) | valueLength varint (-1 null) | value
/// </code>
/// </summary>
public readonly ref struct Record
{
    public Record(
        byte attributes,
        long timestampDelta,
        int offsetDelta,
        ReadOnlySpan<byte> key,
        bool hasKey,
        ReadOnlySpan<byte> value,
        bool hasValue,
        int headerCount,
        ReadOnlySpan<byte> headers)
    {
        Attributes = attributes;
        TimestampDelta = timestampDelta;
        OffsetDelta = offsetDelta;
        Key = key;
        HasKey = hasKey;
        Value = value;
        HasValue = hasValue;
        HeaderCount = headerCount;
        Headers = headers;
    }

    public byte Attributes { get; }

    public long TimestampDelta { get; }

    public int OffsetDelta { get; }

    public ReadOnlySpan<byte> Key { get; }

    /// <summary>False for a null key (length -1), which is not the same as an empty key.</summary>
    public bool HasKey { get; }

    public ReadOnlySpan<byte> Value { get; }

    /// <summary>False for a null value: a tombstone.</summary>
    public bool HasValue { get; }

    public int HeaderCount { get; }

    /// <summary>The encoded headers, <see cref="HeaderCount"/> of them; read them with <see cref="RecordHeaderReader"/>.</summary>
    public ReadOnlySpan<byte> Headers { get; }
}
