using System.Buffers.Binary;
using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Grains.Storage.Producers;

/// <summary>
/// A partition's producer state as of an offset, so that opening the log replays only the batches after it.
/// <c>&lt;20-digit offset&gt;.snapshot</c> in the partition directory:
/// <code>
/// magic "TRPS" | int16 version (1) | int64 offset | int32 producer count | producers | uint32 CRC-32C of all before
/// producer: int64 id | int16 epoch | int32 coordinator epoch | int64 last append time | int64 open transaction's first
///           offset (-1) | int8 batch count | batches: int32 first sequence | int32 last sequence | int64 first offset
///           | int64 last offset | int64 append time                                                    (big-endian)
/// </code>
/// Written atomically (temporary file, fsync, rename, directory fsync) only once the log up to its offset is on disk;
/// a file that fails its CRC is skipped for an older one.
/// </summary>
public static class ProducerSnapshotFile
{
    public const string Suffix = ".snapshot";
    private const short Version = 1;
    private const int HeaderSize = 18;
    private const int ProducerSize = 8 + 2 + 4 + 8 + 8 + 1;
    private const int BatchSize = 4 + 4 + 8 + 8 + 8;
    private static ReadOnlySpan<byte> Magic => "TRPS"u8;

    public static string PathFor(string directory, long offset) => Path.Combine(directory, LogFileNames.FileStem(offset) + Suffix);

    /// <summary>The snapshots in <paramref name="directory"/>, by offset, newest first.</summary>
    public static List<long> List(string directory) =>
        Directory.EnumerateFiles(directory, "*" + Suffix)
            .Select(p => LogFileNames.TryParseBaseOffset(Path.GetFileName(p), out var offset) ? offset : -1)
            .Where(o => o >= 0)
            .OrderDescending()
            .ToList();

    public static byte[] Serialize(long offset, IEnumerable<ProducerStateEntry> producers)
    {
        var entries = producers.ToList();
        var size = HeaderSize + entries.Sum(e => ProducerSize + e.Batches.Count * BatchSize) + 4;
        var bytes = new byte[size];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteInt16BigEndian(span[4..], Version);
        BinaryPrimitives.WriteInt64BigEndian(span[6..], offset);
        BinaryPrimitives.WriteInt32BigEndian(span[14..], entries.Count);
        var position = HeaderSize;
        foreach (var entry in entries)
        {
            BinaryPrimitives.WriteInt64BigEndian(span[position..], entry.ProducerId);
            BinaryPrimitives.WriteInt16BigEndian(span[(position + 8)..], entry.Epoch);
            BinaryPrimitives.WriteInt32BigEndian(span[(position + 10)..], entry.CoordinatorEpoch);
            BinaryPrimitives.WriteInt64BigEndian(span[(position + 14)..], entry.LastAppendTimeMs);
            BinaryPrimitives.WriteInt64BigEndian(span[(position + 22)..], entry.CurrentTransactionFirstOffset);
            span[position + 30] = (byte)entry.Batches.Count;
            position += ProducerSize;
            foreach (var batch in entry.Batches)
            {
                BinaryPrimitives.WriteInt32BigEndian(span[position..], batch.FirstSequence);
                BinaryPrimitives.WriteInt32BigEndian(span[(position + 4)..], batch.LastSequence);
                BinaryPrimitives.WriteInt64BigEndian(span[(position + 8)..], batch.FirstOffset);
                BinaryPrimitives.WriteInt64BigEndian(span[(position + 16)..], batch.LastOffset);
                BinaryPrimitives.WriteInt64BigEndian(span[(position + 24)..], batch.AppendTimeMs);
                position += BatchSize;
            }
        }

        BinaryPrimitives.WriteUInt32BigEndian(span[position..], Crc32C.Compute(span[..position]));
        return bytes;
    }

    /// <summary>
    /// Stores a snapshot atomically. Without <paramref name="sync"/> (the caller syncs the whole file system
    /// afterwards) the file is written directly, with no fsync and no rename: a snapshot a power cut tears fails its
    /// CRC and an older one is used.
    /// </summary>
    public static void Write(string directory, long offset, byte[] contents, bool sync = true)
    {
        if (sync)
        {
            FileSync.AtomicReplace(PathFor(directory, offset), contents);
            return;
        }

        using var handle = File.OpenHandle(PathFor(directory, offset), FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        RandomAccess.Write(handle, contents, 0);
    }

    /// <summary>The producers a snapshot holds, or null when the file is missing, torn or corrupt.</summary>
    public static List<ProducerStateEntry>? TryRead(string directory, long offset)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(PathFor(directory, offset));
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        var span = bytes.AsSpan();
        if (span.Length < HeaderSize + 4
            || !span[..4].SequenceEqual(Magic)
            || BinaryPrimitives.ReadInt16BigEndian(span[4..]) != Version
            || BinaryPrimitives.ReadInt64BigEndian(span[6..]) != offset
            || BinaryPrimitives.ReadUInt32BigEndian(span[^4..]) != Crc32C.Compute(span[..^4]))
        {
            return null;
        }

        var count = BinaryPrimitives.ReadInt32BigEndian(span[14..]);
        var entries = new List<ProducerStateEntry>(Math.Max(0, count));
        var position = HeaderSize;
        for (var i = 0; i < count; i++)
        {
            if (position + ProducerSize > span.Length - 4)
            {
                return null;
            }

            var entry = new ProducerStateEntry(BinaryPrimitives.ReadInt64BigEndian(span[position..]))
            {
                Epoch = BinaryPrimitives.ReadInt16BigEndian(span[(position + 8)..]),
                CoordinatorEpoch = BinaryPrimitives.ReadInt32BigEndian(span[(position + 10)..]),
                LastAppendTimeMs = BinaryPrimitives.ReadInt64BigEndian(span[(position + 14)..]),
                CurrentTransactionFirstOffset = BinaryPrimitives.ReadInt64BigEndian(span[(position + 22)..]),
            };
            var batches = span[position + 30];
            position += ProducerSize;
            if (batches > ProducerStateEntry.MaxCachedBatches || position + batches * BatchSize > span.Length - 4)
            {
                return null;
            }

            for (var b = 0; b < batches; b++)
            {
                entry.RestoreBatch(new ProducerBatchMetadata(
                    BinaryPrimitives.ReadInt32BigEndian(span[position..]),
                    BinaryPrimitives.ReadInt32BigEndian(span[(position + 4)..]),
                    BinaryPrimitives.ReadInt64BigEndian(span[(position + 8)..]),
                    BinaryPrimitives.ReadInt64BigEndian(span[(position + 16)..]),
                    BinaryPrimitives.ReadInt64BigEndian(span[(position + 24)..])));
                position += BatchSize;
            }

            entries.Add(entry);
        }

        return position == span.Length - 4 ? entries : null;
    }

    /// <summary>Removes every snapshot but the newest <paramref name="keep"/>, and any past <paramref name="maxOffset"/>.</summary>
    public static void Prune(string directory, int keep, long maxOffset = long.MaxValue)
    {
        var kept = 0;
        foreach (var offset in List(directory))
        {
            if (offset > maxOffset || kept++ >= keep)
            {
                File.Delete(PathFor(directory, offset));
            }
        }
    }
}
