using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.KafkaFormats.Records.Compression;

namespace Tributary.Grains.KafkaFormats.Records;

/// <summary>
/// The records of one batch, uncompressed: the batch's own bytes when it has no codec, else a decompressed copy
/// in a pooled buffer that <see cref="Dispose"/> returns. Read them with <see cref="RecordReader"/>.
/// </summary>
public ref struct RecordsView
{
    private PooledBufferWriter? _owner;

    private RecordsView(ReadOnlySpan<byte> records, PooledBufferWriter? owner)
    {
        Records = records;
        _owner = owner;
    }

    public ReadOnlySpan<byte> Records { get; }

    /// <summary>
    /// Opens the records of <paramref name="batch"/>. Throws <see cref="InvalidDataException"/> when the compressed
    /// blob is malformed or inflates past <paramref name="maxUncompressedBytes"/>.
    /// </summary>
    public static RecordsView Open(ReadOnlySpan<byte> batch, int maxUncompressedBytes = int.MaxValue)
    {
        var section = RecordBatch.RecordsSection(batch);
        var codec = RecordBatch.Compression(batch);
        if (codec == CompressionType.None)
        {
            return new RecordsView(section, null);
        }

        var owner = new PooledBufferWriter(Math.Min(maxUncompressedBytes, Math.Max(4096, section.Length * 4)), maxUncompressedBytes);
        try
        {
            RecordCompression.Decompress(codec, section, owner);
            return new RecordsView(owner.WrittenSpan, owner);
        }
        catch
        {
            owner.Dispose();
            throw;
        }
    }

    public RecordReader GetReader() => new(Records);

    public void Dispose()
    {
        _owner?.Dispose();
        _owner = null;
    }
}
