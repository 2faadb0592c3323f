using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace Tributary.Gateway.Kafka.Listeners;

/// <summary>
/// The memory the socket transport receives into and writes from: pinned blocks of <see cref="BlockSize"/> bytes rather
/// than the 4 KiB of Kestrel's default pool. A socket receive fills at most one block, so a 64 KiB produce request took
/// sixteen receive calls (and as many readiness checks) with 4 KiB blocks and takes one or two with these; on a virtual
/// machine, where each system call costs microseconds, that was the larger part of the broker's CPU per GB produced.
/// An idle connection holds no block: the transport waits for data before it rents one. At most
/// <see cref="RetainedBlocks"/> free blocks are kept; others are left to the collector. Every
/// <see cref="TrimInterval"/> the free blocks beyond the most that were in use at once since the previous trim are left
/// to the collector too (<see cref="Trim"/>), so that a burst's memory goes back once the burst is over.
/// </summary>
public sealed class ReceiveBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 64 * 1024;

    private const int RetainedBlocks = 1024;

    private static readonly TimeSpan TrimInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<Block> _free = new();
    private readonly ITimer? _trimming;
    private int _freeCount;
    private int _rented;
    private int _peakRented;
    private volatile bool _disposed;

    /// <param name="time">The clock of the periodic trim; null: no periodic trim (<see cref="Trim"/> is called by hand).</param>
    public ReceiveBlockMemoryPool(TimeProvider? time)
    {
        _trimming = time?.CreateTimer(static pool => ((ReceiveBlockMemoryPool)pool!).Trim(), this, TrimInterval, TrimInterval);
    }

    public ReceiveBlockMemoryPool()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Free blocks kept for reuse now.</summary>
    public int FreeBlocks => Volatile.Read(ref _freeCount);

    /// <summary>
    /// Leaves to the collector the free blocks beyond the most that were rented at once since the previous trim: as many
    /// as the last interval's peak needed stay ready, and after two idle intervals none are kept.
    /// </summary>
    public void Trim()
    {
        var keep = Interlocked.Exchange(ref _peakRented, Volatile.Read(ref _rented));
        while (Volatile.Read(ref _freeCount) > keep && _free.TryDequeue(out _))
        {
            Interlocked.Decrement(ref _freeCount);
        }
    }

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var rented = Interlocked.Increment(ref _rented);
        for (var peak = Volatile.Read(ref _peakRented); rented > peak; peak = Volatile.Read(ref _peakRented))
        {
            if (Interlocked.CompareExchange(ref _peakRented, rented, peak) == peak)
            {
                break;
            }
        }

        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _freeCount);
            block.Rented = true;
            return block;
        }

        return new Block(this);
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        _trimming?.Dispose();
        _free.Clear();
    }

    private void Return(Block block)
    {
        Interlocked.Decrement(ref _rented);
        if (!_disposed && Interlocked.Increment(ref _freeCount) <= RetainedBlocks)
        {
            _free.Enqueue(block);
        }
        else
        {
            Interlocked.Decrement(ref _freeCount);
        }
    }

    private sealed class Block(ReceiveBlockMemoryPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);

        public bool Rented { get; set; } = true;

        public Memory<byte> Memory => _array;

        public void Dispose()
        {
            // Returned once, however often disposed: a second return would hand one block to two owners.
            if (Rented)
            {
                Rented = false;
                pool.Return(this);
            }
        }
    }
}
