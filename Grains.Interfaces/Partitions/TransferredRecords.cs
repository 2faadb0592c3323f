using System.Runtime.InteropServices;

namespace Tributary.Grains.Interfaces.Partitions;

/// <summary>
/// Record batches whose buffer changes hands with the call that carries them: from the call on, the sender never reads
/// or writes these bytes again, and the partition that receives them rewrites them in place (it assigns offsets in the
/// batch headers, as Kafka's LogValidator does) before it writes them to its log.
/// <para>
/// Within a silo Orleans deep-copies every grain call argument whose type is not immutable. This type is marked
/// <c>[Immutable]</c> not because nobody writes the bytes, but because the transfer makes sharing them safe: only one
/// side ever touches them, first the sender, then the receiver. So a partition on the sender's silo gets the
/// sender's very buffer, and one on another silo gets a deserialized copy of its own; either way the produce path
/// copies a batch once in the process, from the connection's pipe into the request's frame.
/// </para>
/// <para>
/// Do not use it for bytes that anyone reads after the call (a cached batch, a buffer that is retried from): copy
/// them into a new array first.
/// </para>
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Partitions.TransferredRecords")]
public readonly record struct TransferredRecords([property: Id(0)] Memory<byte> Bytes)
{
    /// <summary>
    /// Hands over bytes the caller holds as read-only (a slice of a request it parsed) but owns: it promises never to
    /// read or write them again.
    /// </summary>
    public static TransferredRecords HandOver(ReadOnlyMemory<byte> records) => new(MemoryMarshal.AsMemory(records));

    /// <summary>An array built for the call (a batch builder's output) is handed over by passing it.</summary>
    public static implicit operator TransferredRecords(byte[] records) => new(records);
}
