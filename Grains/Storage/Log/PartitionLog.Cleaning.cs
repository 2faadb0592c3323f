using Tributary.Grains.Storage.Cleaner;

namespace Tributary.Grains.Storage.Log;

public sealed partial class PartitionLog
{
    /// <summary>The base offset of the segment holding the recovery point: what lies before it is fsynced.</summary>
    internal long RecoverySegmentBase => _flusher.Checkpoint.RecoveryPoint.RecoverySegmentBase;

    /// <summary>
    /// Commits a cleaned segment in place of <paramref name="group"/> (see <see cref="SegmentSwap"/>). Runs under the
    /// retention lock, so that retention and the log's close wait for it; false, with nothing changed, when the log
    /// closed or retention removed part of the group meanwhile.
    /// </summary>
    internal bool TryCommitCleaned(IReadOnlyList<LogSegment> group, long endOffset)
    {
        LogSegment? cleaned;
        lock (_retentionLock)
        {
            if (_closed)
            {
                return false;
            }

            cleaned = SegmentSwap.Commit(Directory, group, endOffset, Config, NowMs, _segments);
            if (cleaned is null)
            {
                return false;
            }

            _deleter.Schedule([.. group], Config.FileDeleteDelayMs);
        }

        cleaned.LoadIndexes();
        return true;
    }
}
