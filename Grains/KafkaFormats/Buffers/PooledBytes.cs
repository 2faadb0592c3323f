using Orleans;

namespace Tributary.Grains.KafkaFormats.Buffers;

/// <summary>
/// Bytes read for a grain call's answer (record batches read from a log), usually in a <see cref="PooledBuffer"/>,
/// whose array goes back to the pool once the call no longer needs it. Within a silo the answer is passed as it is,
/// and its receiver releases it (<see cref="PooledBuffer.Release"/>) after use. Sent to another silo it is written
/// once into the message (<see cref="PooledBytesCodec"/>): the sender's array goes back to the pool as soon as it is
/// written, and the receiver reads the bytes into a pooled array of its own, which it releases the same way. Without
/// this every answer read on one silo for another left its array to the garbage collector: a replica fetch of a
/// megabyte allocated a megabyte on the leader's large-object heap.
/// <para>Only for bytes nobody reads after the answer is returned: the sender must not keep them.</para>
/// </summary>
[Immutable]
public readonly struct PooledBytes(ReadOnlyMemory<byte> memory) : IEquatable<PooledBytes>
{
    public static PooledBytes Empty => default;

    public ReadOnlyMemory<byte> Memory { get; } = memory;

    public int Length => Memory.Length;

    public bool IsEmpty => Memory.IsEmpty;

    public ReadOnlySpan<byte> Span => Memory.Span;

    public static implicit operator ReadOnlyMemory<byte>(PooledBytes bytes) => bytes.Memory;

    public static implicit operator PooledBytes(ReadOnlyMemory<byte> memory) => new(memory);

    /// <summary>Equal when both cover the same bytes of the same memory, as <see cref="ReadOnlyMemory{T}.Equals(ReadOnlyMemory{T})"/>.</summary>
    public bool Equals(PooledBytes other) => Memory.Equals(other.Memory);

    public override bool Equals(object? obj) => obj is PooledBytes other && Equals(other);

    public override int GetHashCode() => Memory.GetHashCode();

    public static bool operator ==(PooledBytes left, PooledBytes right) => left.Equals(right);

    public static bool operator !=(PooledBytes left, PooledBytes right) => !left.Equals(right);
}
