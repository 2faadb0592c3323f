using System.IO.Hashing;

namespace Tributary.Grains.Storage.Cleaner;

/// <summary>
/// The cleaner's map from key to the latest offset of that key, in a fixed amount of memory, after Kafka's
/// SkimpyOffsetMap: a key is stored as its 128-bit hash (24 bytes per slot with the offset), in an open-addressing
/// table of <c>log.cleaner.dedupe.buffer.size</c> bytes filled to at most <c>log.cleaner.io.buffer.load.factor</c>.
/// <para>Two keys whose hashes collide share a slot; with 128 bits that is a chance of about n²/2^129 per cleaning,
/// the same bet Kafka makes with MD5. The cost of losing it is that the older record of one of the two keys stays.</para>
/// <para>Threads: one cleaner thread owns a map and reuses it for every cleaning (<see cref="Clear"/>), so that the
/// buffer is allocated once.</para>
/// </summary>
internal sealed class OffsetMap
{
    /// <summary>Bytes one slot takes: the key's hash and its offset.</summary>
    public const int BytesPerEntry = 24;

    private const long Empty = -1;

    private readonly UInt128[] _hashes;
    private readonly long[] _offsets;

    /// <summary>A map in <paramref name="memoryBytes"/> bytes, holding at most <paramref name="loadFactor"/> of its slots.</summary>
    public OffsetMap(long memoryBytes, double loadFactor = 0.9)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(memoryBytes, 2 * BytesPerEntry);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(loadFactor);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(loadFactor, 1.0);
        var slots = (int)Math.Min(memoryBytes / BytesPerEntry, Array.MaxLength);
        _hashes = new UInt128[slots];
        _offsets = new long[slots];
        // One slot always stays empty, so that a probe for a missing key ends.
        MaxEntries = Math.Clamp((int)(slots * loadFactor), 1, slots - 1);
        Clear();
    }

    /// <summary>Slots in the table.</summary>
    public int Slots => _offsets.Length;

    /// <summary>The most keys the map takes before it counts as full.</summary>
    public int MaxEntries { get; }

    /// <summary>Distinct keys (hashes) put since the last <see cref="Clear"/>.</summary>
    public int Count { get; private set; }

    /// <summary>True when no more keys may be put.</summary>
    public bool IsFull => Count >= MaxEntries;

    /// <summary>The largest offset put since the last <see cref="Clear"/>, or -1.</summary>
    public long LatestOffset { get; private set; } = Empty;

    /// <summary>Records <paramref name="offset"/> as the latest offset of <paramref name="key"/>.</summary>
    public void Put(ReadOnlySpan<byte> key, long offset)
    {
        var hash = XxHash128.HashToUInt128(key);
        var slot = Find(hash);
        if (_offsets[slot] == Empty)
        {
            if (IsFull)
            {
                throw new InvalidOperationException("The offset map is full.");
            }

            _hashes[slot] = hash;
            Count++;
        }

        _offsets[slot] = offset;
        LatestOffset = Math.Max(LatestOffset, offset);
    }

    /// <summary>The latest offset put for <paramref name="key"/>, or -1 when it was not put.</summary>
    public long Get(ReadOnlySpan<byte> key) => _offsets[Find(XxHash128.HashToUInt128(key))];

    /// <summary>Empties the map for the next cleaning.</summary>
    public void Clear()
    {
        Array.Fill(_offsets, Empty);
        Count = 0;
        LatestOffset = Empty;
    }

    /// <summary>The slot that holds <paramref name="hash"/>, or the empty slot where it would go (linear probing).</summary>
    private int Find(UInt128 hash)
    {
        var slots = (ulong)_offsets.Length;
        var slot = (int)((ulong)hash % slots);
        while (_offsets[slot] != Empty && _hashes[slot] != hash)
        {
            slot = slot + 1 == _offsets.Length ? 0 : slot + 1;
        }

        return slot;
    }
}
