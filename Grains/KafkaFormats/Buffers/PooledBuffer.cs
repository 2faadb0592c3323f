using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tributary.Grains.KafkaFormats.Buffers;

/// <summary>
/// Memory rented from <see cref="ArrayPool{T}"/> and handed out as plain <see cref="Memory{T}"/>, for read results
/// that travel far (through a grain call to the connection that writes them out). Whoever consumes the memory last
/// calls <see cref="Release"/>, which gives the array back; memory that is never released (a copy made by
/// serialization, a consumer that does not care) is simply collected, so forgetting is safe and only costs the pool a
/// buffer. Releasing twice, or using memory after releasing it, is a bug.
/// </summary>
public sealed class PooledBuffer : MemoryManager<byte>
{
    private byte[]? _array;
    private readonly int _length;

    private PooledBuffer(int length)
    {
        _array = ArrayPool<byte>.Shared.Rent(length);
        _length = length;
    }

    /// <summary>Rents at least <paramref name="length"/> bytes; <see cref="Memory"/> spans exactly that many.</summary>
    public static PooledBuffer Rent(int length) => new(length);

    /// <summary>The whole rented array, for filling.</summary>
    public Span<byte> WritableSpan => _array.AsSpan(0, _length);

    /// <summary>Gives back the array behind <paramref name="memory"/> when it came from a <see cref="PooledBuffer"/>.</summary>
    public static void Release(ReadOnlyMemory<byte> memory)
    {
        if (MemoryMarshal.TryGetMemoryManager<byte, PooledBuffer>(memory, out var owner))
        {
            owner.Return();
        }
    }

    public override Span<byte> GetSpan() => _array is { } array
        ? array.AsSpan(0, _length)
        : throw new ObjectDisposedException(nameof(PooledBuffer));

    public override unsafe MemoryHandle Pin(int elementIndex = 0)
    {
        var array = _array ?? throw new ObjectDisposedException(nameof(PooledBuffer));
        var handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        var pointer = Unsafe.Add<byte>((void*)handle.AddrOfPinnedObject(), elementIndex);
        return new MemoryHandle(pointer, handle);
    }

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing) => Return();

    private void Return()
    {
        var array = Interlocked.Exchange(ref _array, null);
        if (array is not null)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
