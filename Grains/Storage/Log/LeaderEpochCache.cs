using System.Globalization;
using System.Text;
using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Grains.Storage.Log;

/// <summary>An epoch and the first offset written in it.</summary>
public readonly record struct EpochEntry(int Epoch, long StartOffset);

/// <summary>
/// Kafka's leader-epoch cache (LeaderEpochFileCache) for one partition log: for every leader epoch the log has data
/// of, the first offset written in it, kept in <c>leader-epoch-checkpoint</c> (a version line 0, a count line, then
/// <c>epoch startOffset</c> lines, replaced atomically). It answers OffsetForLeaderEpoch (KIP-101/279): where an
/// epoch's data ends, so that a follower of a new leader truncates a divergent tail before fetching.
/// <para>Invariants: epochs and start offsets both strictly increase. Threads: a lock serializes every call.
/// Crash: the file is replaced whole, without fsync when an epoch is assigned (a kill -9 keeps it: it is in the page
/// cache); the log's flush rounds make it durable (<see cref="Sync"/>) before they move the recovery point past the
/// data it describes, and a log opened after a crash assigns again the epochs of the batches past its recovery point.
/// An unreadable file is treated as absent and the log rebuilds the cache from its batches' leader epochs.</para>
/// </summary>
public sealed class LeaderEpochCache
{
    public const string FileName = "leader-epoch-checkpoint";

    /// <summary>Kafka's UNDEFINED_EPOCH and UNDEFINED_EPOCH_OFFSET.</summary>
    public const int UndefinedEpoch = -1;
    public const long UndefinedOffset = -1;

    private readonly string? _path;
    private readonly Lock _lock = new();
    private readonly List<EpochEntry> _entries = [];
    private bool _unsynced;

    /// <summary>The latest epoch, published after every change so that appends read it without the lock.</summary>
    private volatile int _latestEpoch = UndefinedEpoch;

    /// <summary>A cache kept in <paramref name="directory"/>'s checkpoint file (loaded when it exists), or in memory only when null.</summary>
    public LeaderEpochCache(string? directory)
    {
        _path = directory is null ? null : Path.Combine(directory, FileName);
        if (_path is not null && TryRead(_path) is { } entries)
        {
            _entries.AddRange(entries);
            _latestEpoch = _entries.Count == 0 ? UndefinedEpoch : _entries[^1].Epoch;
        }
    }

    /// <summary>
    /// The cache of a log being opened: entries past its end (written before a crash took the data back) or before its
    /// start go; a missing or unreadable file is rebuilt from every batch's leader epoch, and the batches recovery
    /// validated past <paramref name="recoveryPoint"/> (when it is behind the log end) assign theirs again.
    /// </summary>
    internal static LeaderEpochCache Open(string directory, ReadOnlySpan<LogSegment> segments, long logStartOffset, long logEndOffset, PartitionCheckpoint recoveryPoint)
    {
        var cache = new LeaderEpochCache(directory);
        cache.TruncateFromEnd(logEndOffset);
        cache.TruncateFromStart(logStartOffset);
        var (fromSegment, fromPosition) = cache.IsEmpty ? (long.MinValue, 0)
            : recoveryPoint.RecoveryOffset < logEndOffset ? (recoveryPoint.RecoverySegmentBase, recoveryPoint.RecoveryPosition)
            : (long.MaxValue, 0);
        foreach (var segment in segments)
        {
            if (segment.BaseOffset < fromSegment)
            {
                continue;
            }

            using var scanner = segment.ScanHeaders(segment.BaseOffset == fromSegment ? fromPosition : 0);
            while (scanner.Next() == ScanStatus.Batch)
            {
                cache.AssignFrom(scanner.Batch[..RecordBatch.HeaderSize]);
            }
        }

        return cache;
    }

    /// <summary>True when the checkpoint file was missing or unreadable and nothing was assigned since: the log should rebuild it.</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count == 0;
            }
        }
    }

    public IReadOnlyList<EpochEntry> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>The latest epoch, or <see cref="UndefinedEpoch"/>.</summary>
    public int LatestEpoch => _latestEpoch;

    /// <summary>
    /// Records that <paramref name="epoch"/> begins at <paramref name="startOffset"/>, as Kafka's assign does: the
    /// latest epoch assigned again at or after its start changes nothing; otherwise the entries the new one contradicts
    /// (of its epoch or a newer one, or starting at or after it: an epoch that wrote nothing, or a tail a crash left
    /// stale) go, and it becomes the latest. Writes the file when it changed.
    /// </summary>
    public bool Assign(int epoch, long startOffset)
    {
        lock (_lock)
        {
            if (epoch < 0 || startOffset < 0 || (_entries.Count > 0 && epoch == _entries[^1].Epoch && startOffset >= _entries[^1].StartOffset))
            {
                return false;
            }

            _entries.RemoveAll(e => e.Epoch >= epoch || e.StartOffset >= startOffset);
            _entries.Add(new EpochEntry(epoch, startOffset));
            Write();
            return true;
        }
    }

    /// <summary>
    /// Assigns the epochs of copied batches (a follower's append): each batch with a newer epoch starts it. A span
    /// holding one batch's header alone is read as that batch.
    /// </summary>
    public void AssignFrom(ReadOnlySpan<byte> batches)
    {
        while (batches.Length >= RecordBatch.HeaderSize)
        {
            var epoch = RecordBatch.PartitionLeaderEpoch(batches);
            if (epoch > LatestEpoch)
            {
                Assign(epoch, RecordBatch.BaseOffset(batches));
            }

            var size = RecordBatch.TotalSize(batches);
            if (size >= batches.Length)
            {
                break;
            }

            batches = batches[size..];
        }
    }

    /// <summary>Makes the file as last written durable, when it changed since the last call.</summary>
    public void Sync()
    {
        lock (_lock)
        {
            if (_unsynced && _path is not null && File.Exists(_path))
            {
                FileSync.FlushFile(_path);
            }

            _unsynced = false;
        }
    }

    /// <summary>
    /// Kafka's endOffsetFor: for <paramref name="requestedEpoch"/>, the largest epoch not above it that the log has and
    /// the offset where that epoch's data ends (the next epoch's start, or the log end for the latest epoch).
    /// </summary>
    public (int Epoch, long EndOffset) EndOffsetFor(int requestedEpoch, long logEndOffset)
    {
        lock (_lock)
        {
            if (requestedEpoch == UndefinedEpoch || _entries.Count == 0)
            {
                return (UndefinedEpoch, UndefinedOffset);
            }

            if (requestedEpoch == _entries[^1].Epoch)
            {
                return (requestedEpoch, logEndOffset);
            }

            var higher = _entries.FindIndex(e => e.Epoch > requestedEpoch);
            if (higher < 0)
            {
                // Newer than every epoch of the data: a leader answers that before it asks (UNKNOWN_LEADER_EPOCH).
                return (UndefinedEpoch, UndefinedOffset);
            }

            return higher == 0
                ? (requestedEpoch, _entries[0].StartOffset)
                : (_entries[higher - 1].Epoch, _entries[higher].StartOffset);
        }
    }

    /// <summary>The log was truncated to end at <paramref name="endOffset"/>: epochs that start at or after it go.</summary>
    public void TruncateFromEnd(long endOffset)
    {
        lock (_lock)
        {
            if (_entries.RemoveAll(e => e.StartOffset >= endOffset) > 0)
            {
                Write();
            }
        }
    }

    /// <summary>
    /// The log now starts at <paramref name="startOffset"/>: epochs wholly before it go, and the one it falls in starts
    /// there (Kafka's truncateFromStart).
    /// </summary>
    public void TruncateFromStart(long startOffset)
    {
        lock (_lock)
        {
            var containing = _entries.FindLastIndex(e => e.StartOffset <= startOffset);
            if (containing < 0 || (containing == 0 && _entries[0].StartOffset == startOffset))
            {
                return;
            }

            var epoch = _entries[containing].Epoch;
            _entries.RemoveRange(0, containing + 1);
            _entries.Insert(0, new EpochEntry(epoch, startOffset));
            Write();
        }
    }

    private void Write()
    {
        _latestEpoch = _entries.Count == 0 ? UndefinedEpoch : _entries[^1].Epoch;
        if (_path is null)
        {
            return;
        }

        var text = new StringBuilder();
        text.Append("0\n").Append(_entries.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var entry in _entries)
        {
            text.Append(entry.Epoch.ToString(CultureInfo.InvariantCulture)).Append(' ')
                .Append(entry.StartOffset.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        FileSync.AtomicReplace(_path, Encoding.UTF8.GetBytes(text.ToString()), sync: false);
        _unsynced = true;
    }

    private static List<EpochEntry>? TryRead(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var lines = File.ReadAllLines(path);
        if (lines.Length < 2 || lines[0] != "0" || !int.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || lines.Length != count + 2)
        {
            return null;
        }

        var entries = new List<EpochEntry>(count);
        foreach (var line in lines.Skip(2))
        {
            var parts = line.Split(' ');
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                || (entries.Count > 0 && (epoch <= entries[^1].Epoch || start <= entries[^1].StartOffset)))
            {
                return null;
            }

            entries.Add(new EpochEntry(epoch, start));
        }

        return entries;
    }
}
