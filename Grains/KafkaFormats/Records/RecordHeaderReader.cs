namespace Tributary.Grains.KafkaFormats.Records;

/// <summary>Walks the headers of a record that <see cref="RecordReader"/> has already validated.</summary>
public ref struct RecordHeaderReader
{
    private readonly ReadOnlySpan<byte> _headers;
    private int _position;

    public RecordHeaderReader(ReadOnlySpan<byte> headers) => _headers = headers;

    public bool TryRead(out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value, out bool hasValue)
    {
        value = default;
        hasValue = false;
        if (_position >= _headers.Length
            || !RecordReader.TryReadBytes(_headers, ref _position, out key, out _)
            || !RecordReader.TryReadBytes(_headers, ref _position, out value, out hasValue))
        {
            key = default;
            return false;
        }

        return true;
    }
}
