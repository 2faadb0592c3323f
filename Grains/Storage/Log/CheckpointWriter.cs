namespace Tributary.Grains.Storage.Log;

/// <summary>
/// Keeps one log's <see cref="PartitionCheckpoint"/>: the recovery point (how far the log is known to be on disk and
/// consistent, moved by flush rounds and close) and the checkpoint last written, so that an unchanged checkpoint is
/// not written again.
/// <para>Invariants: a written checkpoint carries the log start offset read while writing, so checkpoints are written
/// in log start offset order; nothing is written once <see cref="Seal"/> ran (the log is closed and the next owner
/// may already be using the directory).</para>
/// <para>Threads: any; one lock of its own serializes moves, writes and sealing.</para>
/// <para>Crash: the file is replaced atomically (<see cref="PartitionCheckpoint.Write"/>); a crash leaves the old
/// checkpoint or the new one, and recovery validates everything after the one it finds.</para>
/// </summary>
internal sealed class CheckpointWriter
{
    private readonly Lock _lock = new();
    private readonly string _directory;
    private readonly Func<long> _logStartOffset;
    private PartitionCheckpoint _recoveryPoint;
    private PartitionCheckpoint? _written;
    private bool _sealed;

    /// <summary>
    /// Starts from the checkpoint file found in <paramref name="directory"/> and the recovery point recovery reached;
    /// <paramref name="logStartOffset"/> reads the log's current log start offset.
    /// </summary>
    public CheckpointWriter(string directory, PartitionCheckpoint recoveryPoint, Func<long> logStartOffset)
    {
        _directory = directory;
        _recoveryPoint = recoveryPoint;
        _logStartOffset = logStartOffset;
        _written = PartitionCheckpoint.TryRead(directory);
    }

    /// <summary>The checkpoint last written, or found when the log opened; null when there is none.</summary>
    public PartitionCheckpoint? Written
    {
        get
        {
            lock (_lock)
            {
                return _written;
            }
        }
    }

    public PartitionCheckpoint RecoveryPoint
    {
        get
        {
            lock (_lock)
            {
                return _recoveryPoint;
            }
        }
    }

    /// <summary>True when the written checkpoint reaches <paramref name="logEndOffset"/> with the current log start offset.</summary>
    public bool IsCurrent(long logEndOffset)
    {
        lock (_lock)
        {
            return _written is { } written && written.RecoveryOffset >= logEndOffset && written.LogStartOffset == _logStartOffset();
        }
    }

    /// <summary>Moves the recovery point: the log up to <paramref name="offset"/>, at that position of that segment, is on disk.</summary>
    public void MoveRecoveryPoint(long offset, long segmentBase, int position)
    {
        lock (_lock)
        {
            _recoveryPoint = _recoveryPoint with
            {
                RecoveryOffset = offset,
                RecoverySegmentBase = segmentBase,
                RecoveryPosition = position,
            };
        }
    }

    /// <summary>
    /// Writes the recovery point with the current log start offset, unless that is what the file holds; without
    /// <paramref name="sync"/>, with no fsync (see <see cref="PartitionCheckpoint.Write"/>).
    /// </summary>
    public void Write(bool sync = true)
    {
        lock (_lock)
        {
            if (_sealed)
            {
                return;
            }

            var checkpoint = _recoveryPoint with { LogStartOffset = _logStartOffset() };
            if (checkpoint == _written)
            {
                return;
            }

            checkpoint.Write(_directory, sync);
            _written = checkpoint;
        }
    }

    /// <summary>Writes nothing from now on.</summary>
    public void Seal()
    {
        lock (_lock)
        {
            _sealed = true;
        }
    }
}
