using System.Buffers;

namespace Tributary.Grains.KafkaFormats.Buffers;

/// <summary>
/// A growable buffer on <see cref="ArrayPool{T}"/>: an <see cref="IBufferWriter{T}"/> whose memory goes back to the
/// pool on dispose. An optional cap turns an attempt to grow past it into <see cref="InvalidDataException"/>, so
/// that a hostile compressed payload cannot make us allocate without bound.
/// </summary>
public sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private readonly int _maxLength;
    private byte[] _buffer;
    private int _written;

    public PooledBufferWriter(int initialCapacity = 4096, int maxLength = int.MaxValue)
    {
        _maxLength = maxLength;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(256, initialCapacity));
    }

    public int WrittenCount => _written;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_written + count > _buffer.Length)
        {
            throw new InvalidOperationException("Advanced past the end of the buffer.");
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        data.CopyTo(GetSpan(data.Length));
        _written += data.Length;
    }

    public void Clear() => _written = 0;

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }

        var required = (long)_written + needed;
        if (required > _maxLength)
        {
            throw new InvalidDataException($"Output would exceed the limit of {_maxLength} bytes.");
        }

        var size = (int)Math.Min(Math.Max(required, (long)_buffer.Length * 2), Math.Min(_maxLength, Array.MaxLength));
        var grown = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _written).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = grown;
    }
}
