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
/// <see cref="RetainedBlocks"/> free blocks are kept; others are left to the collector.
/// </summary>
public sealed class ReceiveBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 64 * 1024;

    private const int RetainedBlocks = 1024;

    private readonly ConcurrentQueue<Block> _free = new();
    private int _freeCount;
    private volatile bool _disposed;

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        ObjectDisposedException.ThrowIf(_disposed, this);
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
        _free.Clear();
    }

    private void Return(Block block)
    {
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
