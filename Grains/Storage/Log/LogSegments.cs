namespace Tributary.Grains.Storage.Log;

/// <summary>
/// The segments of one partition log ordered by base offset, after Kafka's LogSegments: adding and removing them,
/// finding the one that holds an offset, the active segment, the segments of an offset range, the total size.
/// <para>Invariants: never empty; base offsets strictly increase; the last segment is the active one, the only one
/// appended to. A segment holds the offsets from its base offset up to, not including, the next one's.</para>
/// <para>Threads: changes are serialized by a lock of their own and publish a new immutable array (copy on write);
/// readers take no lock and work on the array they read, which later changes never touch. A segment a reader holds
/// may be removed and closed meanwhile: its reads then throw <see cref="ObjectDisposedException"/>.</para>
/// <para>Crash: holds nothing on disk of its own. The list is rebuilt from the directory's file names when the log
/// opens (<see cref="LogLoader"/>); the files of a removed segment are the remover's to delete.</para>
/// </summary>
internal sealed class LogSegments
{
    private readonly Lock _changeLock = new();
    private LogSegment[] _segments;

    /// <summary>Takes <paramref name="segments"/>, oldest first: at least one, base offsets strictly increasing.</summary>
    public LogSegments(IEnumerable<LogSegment> segments)
    {
        LogSegment[] ordered = [.. segments];
        if (ordered.Length == 0)
        {
            throw new ArgumentException("A log has at least one segment.", nameof(segments));
        }

        for (var i = 1; i < ordered.Length; i++)
        {
            if (ordered[i].BaseOffset <= ordered[i - 1].BaseOffset)
            {
                throw new ArgumentException($"Segment {ordered[i].BaseOffset} does not follow segment {ordered[i - 1].BaseOffset}.", nameof(segments));
            }
        }

        _segments = ordered;
    }

    /// <summary>All segments, oldest first, as of now.</summary>
    public ReadOnlySpan<LogSegment> All => Volatile.Read(ref _segments);

    public int Count => Volatile.Read(ref _segments).Length;

    /// <summary>The oldest segment.</summary>
    public LogSegment First => Volatile.Read(ref _segments)[0];

    /// <summary>The segment appends go to: the newest.</summary>
    public LogSegment Active => Volatile.Read(ref _segments)[^1];

    /// <summary>Bytes of all segments.</summary>
    public long SizeInBytes => SizeOf(All);

    /// <summary>Base offsets of the segments, oldest first.</summary>
    public IReadOnlyList<long> BaseOffsets => Array.ConvertAll(Volatile.Read(ref _segments), s => s.BaseOffset);

    /// <summary>The segment with the largest base offset not above <paramref name="offset"/>, or null.</summary>
    public LogSegment? Floor(long offset)
    {
        var segments = Volatile.Read(ref _segments);
        var i = FloorIndex(segments, offset);
        return i < 0 ? null : segments[i];
    }

    /// <summary>The segment with the smallest base offset above <paramref name="offset"/>, or null.</summary>
    public LogSegment? Higher(long offset)
    {
        var segments = Volatile.Read(ref _segments);
        var i = FloorIndex(segments, offset) + 1;
        return i < segments.Length ? segments[i] : null;
    }

    /// <summary>
    /// The segment that holds <paramref name="offset"/> (the oldest when the offset lies before every segment) and
    /// all newer ones.
    /// </summary>
    public ReadOnlySpan<LogSegment> From(long offset)
    {
        var segments = Volatile.Read(ref _segments);
        return segments.AsSpan(Math.Max(0, FloorIndex(segments, offset)));
    }

    /// <summary>
    /// Kafka's <c>values(from, to)</c>: the segments that may hold offsets in [<paramref name="from"/>,
    /// <paramref name="to"/>): from the one holding <paramref name="from"/> (the oldest when it lies before every
    /// segment) to the last whose base offset is below <paramref name="to"/>. Empty when the range is.
    /// </summary>
    public ReadOnlySpan<LogSegment> InRange(long from, long to)
    {
        if (to <= from)
        {
            return [];
        }

        var segments = Volatile.Read(ref _segments);
        var first = Math.Max(0, FloorIndex(segments, from));
        var end = FloorIndex(segments, to - 1) + 1;
        return segments.AsSpan(first, Math.Max(0, end - first));
    }

    /// <summary>
    /// Adds <paramref name="segment"/> in base offset order, replacing the segment with the same base offset if there
    /// is one (Kafka's rule; a compacted segment takes the place of the one it was made from). Returns the replaced
    /// segment, for the caller to close and delete, or null.
    /// </summary>
    public LogSegment? Add(LogSegment segment)
    {
        lock (_changeLock)
        {
            var segments = _segments;
            var floor = FloorIndex(segments, segment.BaseOffset);
            if (floor >= 0 && segments[floor].BaseOffset == segment.BaseOffset)
            {
                LogSegment[] replaced = [.. segments];
                replaced[floor] = segment;
                Volatile.Write(ref _segments, replaced);
                return segments[floor];
            }

            var at = floor + 1;
            Volatile.Write(ref _segments, [.. segments.AsSpan(0, at), segment, .. segments.AsSpan(at)]);
            return null;
        }
    }

    /// <summary>
    /// Puts <paramref name="replacement"/> in the place of <paramref name="group"/>, consecutive listed segments whose
    /// first has the replacement's base offset (a cleaned group of segments). Returns false, changing nothing, when
    /// the group is no longer listed as it was (retention deleted some of it meanwhile).
    /// </summary>
    public bool TryReplace(IReadOnlyList<LogSegment> group, LogSegment replacement)
    {
        lock (_changeLock)
        {
            var segments = _segments;
            var first = Array.IndexOf(segments, group[0]);
            if (first < 0 || replacement.BaseOffset != group[0].BaseOffset || first + group.Count >= segments.Length)
            {
                return false;
            }

            for (var i = 1; i < group.Count; i++)
            {
                if (!ReferenceEquals(segments[first + i], group[i]))
                {
                    return false;
                }
            }

            Volatile.Write(ref _segments, [.. segments.AsSpan(0, first), replacement, .. segments.AsSpan(first + group.Count)]);
            return true;
        }
    }

    /// <summary>
    /// Removes the <paramref name="count"/> oldest segments at once and returns them, oldest first. The active segment
    /// stays: remove fewer than <see cref="Count"/>.
    /// </summary>
    public LogSegment[] RemoveOldest(int count)
    {
        lock (_changeLock)
        {
            var segments = _segments;
            ArgumentOutOfRangeException.ThrowIfNegative(count);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(count, segments.Length);
            Volatile.Write(ref _segments, segments[count..]);
            return segments[..count];
        }
    }

    /// <summary>
    /// Seals the active segment (its indexes written, no fsync) and makes a new, empty one at <paramref name="baseOffset"/>
    /// the active segment. Returns the sealed one. Under the log's append lock.
    /// </summary>
    public LogSegment Roll(string directory, long baseOffset, LogConfig config, long nowMs)
    {
        var sealedSegment = Active;
        sealedSegment.Persist(fsync: false, sealing: true);
        Add(LogSegment.Create(directory, baseOffset, config, nowMs));
        return sealedSegment;
    }

    /// <summary>
    /// Removes the segments whose base offset is above <paramref name="offset"/> (a follower's tail cut back to it) and
    /// returns them, oldest first; the first segment always stays.
    /// </summary>
    public LogSegment[] RemoveAbove(long offset)
    {
        lock (_changeLock)
        {
            var segments = _segments;
            var keep = Math.Max(1, FloorIndex(segments, offset) + 1);
            Volatile.Write(ref _segments, segments[..keep]);
            return segments[keep..];
        }
    }

    /// <summary>Puts <paramref name="segment"/> in the place of every segment (a log started again at its base offset) and returns the old ones.</summary>
    public LogSegment[] ReplaceAll(LogSegment segment)
    {
        lock (_changeLock)
        {
            var segments = _segments;
            Volatile.Write(ref _segments, [segment]);
            return segments;
        }
    }

    /// <summary>Closes the files of every segment; the segments stay listed.</summary>
    public void Close()
    {
        foreach (var segment in All)
        {
            segment.Dispose();
        }
    }

    /// <summary>Bytes of <paramref name="segments"/>.</summary>
    public static long SizeOf(ReadOnlySpan<LogSegment> segments)
    {
        long size = 0;
        foreach (var segment in segments)
        {
            size += segment.Size;
        }

        return size;
    }

    /// <summary>Index of the last segment whose base offset is not above <paramref name="offset"/>, or -1.</summary>
    private static int FloorIndex(LogSegment[] segments, long offset)
    {
        int low = 0, high = segments.Length - 1, found = -1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            if (segments[mid].BaseOffset <= offset)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return found;
    }
}
