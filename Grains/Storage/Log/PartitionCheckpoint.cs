using System.Buffers.Binary;
using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Grains.Storage.Log;

/// <summary>
/// The small per-partition file <c>partition.checkpoint</c> that makes reopening cheap and recovery short.
/// <code>
/// magic "TRPC" | int16 version (1) | int64 LogStartOffset | int64 RecoveryOffset | int64 RecoverySegmentBase
/// | int32 RecoveryPosition | uint32 CRC-32C of everything before it          (38 bytes, big-endian)
/// </code>
/// Everything in the log before (RecoverySegmentBase, RecoveryPosition) was on disk, indexed and consistent when the
/// checkpoint was written; RecoveryOffset is the first offset after it. Recovery after a crash validates only the
/// bytes after that point. The file is replaced atomically (temporary file, fsync, rename, directory fsync), so a
/// crash leaves the old checkpoint or the new one; a file that fails its CRC is ignored and the log recovers fully.
/// </summary>
internal sealed record PartitionCheckpoint(long LogStartOffset, long RecoveryOffset, long RecoverySegmentBase, int RecoveryPosition)
{
    private const int Size = 38;
    private const short Version = 1;
    private static ReadOnlySpan<byte> Magic => "TRPC"u8;

    /// <summary>True when the file exists, readable or not.</summary>
    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, LogFileNames.CheckpointFileName));

    public static PartitionCheckpoint? TryRead(string directory)
    {
        var path = Path.Combine(directory, LogFileNames.CheckpointFileName);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        var span = bytes.AsSpan();
        if (span.Length != Size
            || !span[..4].SequenceEqual(Magic)
            || BinaryPrimitives.ReadInt16BigEndian(span[4..]) != Version
            || BinaryPrimitives.ReadUInt32BigEndian(span[(Size - 4)..]) != Crc32C.Compute(span[..(Size - 4)]))
        {
            return null;
        }

        return new PartitionCheckpoint(
            BinaryPrimitives.ReadInt64BigEndian(span[6..]),
            BinaryPrimitives.ReadInt64BigEndian(span[14..]),
            BinaryPrimitives.ReadInt64BigEndian(span[22..]),
            BinaryPrimitives.ReadInt32BigEndian(span[30..]));
    }

    /// <summary>
    /// Replaces the file atomically (<see cref="FileSync.AtomicReplace"/>). Without <paramref name="sync"/>, for a
    /// caller that syncs the whole file system afterwards, the file is overwritten in place with no fsync: no file is
    /// created or renamed (costly by the thousand), and a file a power cut tears before the sync fails its CRC, so
    /// the log recovers fully.
    /// </summary>
    public void Write(string directory, bool sync = true)
    {
        Span<byte> span = stackalloc byte[Size];
        Magic.CopyTo(span);
        BinaryPrimitives.WriteInt16BigEndian(span[4..], Version);
        BinaryPrimitives.WriteInt64BigEndian(span[6..], LogStartOffset);
        BinaryPrimitives.WriteInt64BigEndian(span[14..], RecoveryOffset);
        BinaryPrimitives.WriteInt64BigEndian(span[22..], RecoverySegmentBase);
        BinaryPrimitives.WriteInt32BigEndian(span[30..], RecoveryPosition);
        BinaryPrimitives.WriteUInt32BigEndian(span[(Size - 4)..], Crc32C.Compute(span[..(Size - 4)]));
        var path = Path.Combine(directory, LogFileNames.CheckpointFileName);
        if (sync)
        {
            FileSync.AtomicReplace(path, span);
            return;
        }

        using var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        RandomAccess.Write(handle, span, 0);
        if (RandomAccess.GetLength(handle) != Size)
        {
            RandomAccess.SetLength(handle, Size);
        }
    }
}
