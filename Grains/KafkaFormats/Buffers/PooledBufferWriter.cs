using System.Buffers;

namespace Tributary.Grains.KafkaFormats.Buffers;

/// <summary>
/// A growable buffer on <see cref="ArrayPool{T}"/>: an <see cref="IBufferWriter{T}"/> whose memory goes back to the
/// pool on dispose. An optional cap turns an attempt to grow past it into <see cref="InvalidDataException"/> (marked, see
/// <see cref="IsLimitExceeded"/>), so that a hostile compressed payload cannot make us allocate without bound.
/// <para>Only buffers up to <see cref="MaxPooledLength"/> come from the shared pool; larger ones are allocated
/// directly and left to the garbage collector. The shared pool keeps what it is given, per thread and per core and
/// for every size: a few inflated batches of a hundred megabytes (a compression bomb refused at the cap) would
/// otherwise stay cached there for the life of the process.</para>
/// </summary>
public sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    /// <summary>The largest buffer taken from and given back to <see cref="ArrayPool{T}.Shared"/>: 1 MiB.</summary>
    public const int MaxPooledLength = 1024 * 1024;

    /// <summary>The key under which the cap is kept in the <see cref="Exception.Data"/> of the exception a cap throws.</summary>
    private const string LimitExceededKey = "Tributary.PooledBufferWriter.LimitExceeded";

    private readonly int _maxLength;
    private byte[] _buffer;
    private int _written;

    public PooledBufferWriter(int initialCapacity = 4096, int maxLength = int.MaxValue)
    {
        _maxLength = maxLength;
        _buffer = Rent(Math.Max(256, Math.Min(initialCapacity, maxLength)));
    }

    public int WrittenCount => _written;

    /// <summary>
    /// True when <paramref name="exception"/> is a writer's refusal to grow past its cap (the data is too large), not
    /// malformed data.
    /// </summary>
    public static bool IsLimitExceeded(Exception exception) => exception.Data.Contains(LimitExceededKey);

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
        Return(buffer);
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
            var exceeded = new InvalidDataException($"Output would exceed the limit of {_maxLength} bytes.");
            exceeded.Data[LimitExceededKey] = _maxLength;
            throw exceeded;
        }

        var size = (int)Math.Min(Math.Max(required, (long)_buffer.Length * 2), Math.Min(_maxLength, Array.MaxLength));
        var grown = Rent(size);
        _buffer.AsSpan(0, _written).CopyTo(grown);
        Return(_buffer);
        _buffer = grown;
    }

    private static byte[] Rent(int length) => length <= MaxPooledLength
        ? ArrayPool<byte>.Shared.Rent(length)
        : GC.AllocateUninitializedArray<byte>(length);

    /// <summary>Gives a pooled buffer back; a larger one (allocated directly) is dropped for the collector.</summary>
    private static void Return(byte[] buffer)
    {
        if (buffer.Length is > 0 and <= MaxPooledLength)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
