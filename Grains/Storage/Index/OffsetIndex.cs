using System.Buffers.Binary;

namespace Tributary.Grains.Storage.Index;

/// <summary>
/// The sparse offset index of one segment: which file position a batch starts at, one entry per
/// <c>index.interval.bytes</c> of log.
/// <para>On disk (<c>.index</c>): 8-byte big-endian entries <c>(int32 offset - baseOffset, int32 position)</c>, both
/// strictly increasing; an entry names the last offset of a batch and the position where that batch starts.</para>
/// <para>Held in memory while the segment is open (8 bytes an entry, 2 MiB for a full 1 GiB segment) and persisted
/// on segment flush, roll and close; threads and crash rules are those of <see cref="IndexFile{TEntry}"/>.</para>
/// </summary>
internal sealed class OffsetIndex(string path, long baseOffset, int maxIndexBytes)
    : IndexFile<OffsetIndex.Entry>(path, baseOffset, maxIndexBytes, EntrySize)
{
    public const int EntrySize = 8;

    /// <summary>The last indexed (offset, position), or (baseOffset, 0) when empty.</summary>
    public (long Offset, int Position) LastEntry => TryGetLast(out var last) ? Absolute(last) : (BaseOffset, 0);

    /// <summary>The entry with the largest offset not above <paramref name="offset"/>, or (baseOffset, 0).</summary>
    public (long Offset, int Position) Lookup(long offset) =>
        TryFindLargestAtOrBelow(offset - BaseOffset, out var found) ? Absolute(found) : (BaseOffset, 0);

    public void Append(long offset, int position) => AppendEntry(new Entry(checked((int)(offset - BaseOffset)), position));

    /// <summary>Drops the entries of batches at or after <paramref name="position"/>.</summary>
    public void TruncateToPosition(int position)
    {
        var keep = Count;
        while (keep > 0 && EntryAt(keep - 1).Position >= position)
        {
            keep--;
        }

        TruncateToEntries(keep);
    }

    /// <summary>
    /// Loads the file. Returns false (and holds no entries) when the file is missing or fails the sanity check:
    /// a size that is not a whole number of entries, offsets or positions that do not increase, or a position at
    /// or past <paramref name="logSize"/>.
    /// </summary>
    public bool TryLoad(long logSize) => TryLoadEntries(logSize);

    protected override int RelativeOffsetOf(in Entry entry) => entry.RelativeOffset;

    protected override long SearchKeyOf(in Entry entry) => entry.RelativeOffset;

    protected override Entry ReadEntry(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadInt32BigEndian(source), BinaryPrimitives.ReadInt32BigEndian(source[4..]));

    protected override void WriteEntry(Span<byte> destination, in Entry entry)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, entry.RelativeOffset);
        BinaryPrimitives.WriteInt32BigEndian(destination[4..], entry.Position);
    }

    protected override bool IsSane(ReadOnlySpan<Entry> entries, long logSize)
    {
        long previousOffset = -1, previousPosition = -1;
        foreach (var entry in entries)
        {
            if (entry.RelativeOffset <= previousOffset || entry.Position <= previousPosition || entry.Position >= logSize)
            {
                return false;
            }

            previousOffset = entry.RelativeOffset;
            previousPosition = entry.Position;
        }

        return true;
    }

    private (long Offset, int Position) Absolute(Entry entry) => (BaseOffset + entry.RelativeOffset, entry.Position);

    /// <summary>One entry as held in memory: the offset relative to the segment's base, and the batch's position.</summary>
    internal readonly record struct Entry(int RelativeOffset, int Position);
}
