namespace Tributary.Grains.Storage.Log;

/// <summary>
/// Removes the files of segments taken out of a log, after Kafka's asynchronous segment deletion: the remover renames
/// them at once (<see cref="LogSegment.MarkDeleted"/>), and this closes and deletes them after
/// <c>file.delete.delay.ms</c>, so that reads still in flight on them finish; or at once when the log closes.
/// <para>Invariants: each segment's files are deleted once, by whichever of the timer and <see cref="DeleteAllNow"/>
/// comes first.</para>
/// <para>Threads: any; the pending set has a lock of its own.</para>
/// <para>Crash: segments still pending leave <c>.deleted</c> files, which <see cref="LogLoader"/> removes at the next
/// open.</para>
/// </summary>
internal sealed class SegmentFileDeleter(TimeProvider time)
{
    private readonly HashSet<LogSegment> _pending = [];

    /// <summary>Deletes the files of <paramref name="segments"/> after <paramref name="delayMs"/>.</summary>
    public void Schedule(LogSegment[] segments, long delayMs)
    {
        lock (_pending)
        {
            _pending.UnionWith(segments);
        }

        _ = DeleteLaterAsync(segments, delayMs);
    }

    /// <summary>Deletes the files of every segment still waiting.</summary>
    public void DeleteAllNow()
    {
        LogSegment[] pending;
        lock (_pending)
        {
            pending = [.. _pending];
            _pending.Clear();
        }

        foreach (var segment in pending)
        {
            segment.DeleteFiles();
        }
    }

    private async Task DeleteLaterAsync(LogSegment[] segments, long delayMs)
    {
        if (delayMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(delayMs, int.MaxValue)), time).ConfigureAwait(false);
        }

        foreach (var segment in segments)
        {
            bool due;
            lock (_pending)
            {
                due = _pending.Remove(segment);
            }

            if (due)
            {
                segment.DeleteFiles();
            }
        }
    }
}
