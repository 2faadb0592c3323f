using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Tributary.Grains.Storage.Index;

/// <summary>
/// The time index of one segment: from a timestamp to the first offset at which the segment's largest timestamp
/// reached it.
/// <para>On disk (<c>.timeindex</c>): 12-byte big-endian entries <c>(int64 timestamp, int32 offset - baseOffset)</c>,
/// timestamps strictly increasing. An entry (t, o) says: the largest timestamp among records up to offset o is t,
/// and o is the first record with it. Entries are added at the offset index's interval, only when the largest
/// timestamp grew.</para>
/// <para>Held in memory while the segment is open and persisted with the offset index; threads and crash rules are
/// those of <see cref="IndexFile{TEntry}"/>.</para>
/// </summary>
internal sealed class TimeIndex(string path, long baseOffset, int maxIndexBytes)
    : IndexFile<TimeIndex.Entry>(path, baseOffset, maxIndexBytes, EntrySize)
{
    public const int EntrySize = 12;

    /// <summary>The last entry, or null when the index is empty.</summary>
    public (long Timestamp, long Offset)? LastEntry => TryGetLast(out var last) ? Absolute(last) : null;

    /// <summary>The entry with the largest timestamp not above <paramref name="timestamp"/>, or null.</summary>
    public (long Timestamp, long Offset)? Lookup(long timestamp) =>
        TryFindLargestAtOrBelow(timestamp, out var found) ? Absolute(found) : null;

    /// <summary>Adds (timestamp, offset) when the timestamp is larger than the last entry's; ignores it otherwise.</summary>
    public void MaybeAppend(long timestamp, long offset)
    {
        if (TryGetLast(out var last) && timestamp <= last.Timestamp)
        {
            return;
        }

        AppendEntry(new Entry(timestamp, checked((int)(offset - BaseOffset))));
    }

    /// <summary>
    /// Loads the file. Returns false (and holds no entries) when it is missing or fails the sanity check: a size
    /// that is not a whole number of entries, timestamps that do not increase, or an offset outside
    /// [baseOffset, <paramref name="nextOffset"/>).
    /// </summary>
    public bool TryLoad(long nextOffset) => TryLoadEntries(nextOffset);

    protected override int RelativeOffsetOf(in Entry entry) => entry.RelativeOffset;

    protected override long SearchKeyOf(in Entry entry) => entry.Timestamp;

    protected override Entry ReadEntry(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadInt64BigEndian(source), BinaryPrimitives.ReadInt32BigEndian(source[8..]));

    protected override void WriteEntry(Span<byte> destination, in Entry entry)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination, entry.Timestamp);
        BinaryPrimitives.WriteInt32BigEndian(destination[8..], entry.RelativeOffset);
    }

    protected override bool IsSane(ReadOnlySpan<Entry> entries, long nextOffset)
    {
        var previous = long.MinValue;
        foreach (var entry in entries)
        {
            if (entry.Timestamp <= previous || entry.RelativeOffset < 0 || BaseOffset + entry.RelativeOffset >= nextOffset)
            {
                return false;
            }

            previous = entry.Timestamp;
        }

        return true;
    }

    private (long Timestamp, long Offset) Absolute(Entry entry) => (entry.Timestamp, BaseOffset + entry.RelativeOffset);

    /// <summary>One entry as held in memory; packed to 12 bytes, as on disk, so a full index costs no padding.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    internal readonly record struct Entry(long Timestamp, int RelativeOffset);
}
