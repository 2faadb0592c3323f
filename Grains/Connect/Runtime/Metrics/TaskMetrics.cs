using System.Diagnostics;

namespace Tributary.Grains.Connect.Runtime.Metrics;

/// <summary>
/// One task's recording of <see cref="ConnectMetrics"/>, its tags made once. <see cref="Unmetered"/> records nothing
/// (a runner built without metrics). Safe to use from the task's reading and putting threads at once.
/// </summary>
public sealed class TaskMetrics
{
    public static readonly TaskMetrics Unmetered = new(null, "", 0);

    private static readonly KeyValuePair<string, object?> Succeeded = new("outcome", "success");
    private static readonly KeyValuePair<string, object?> Failed = new("outcome", "failure");

    private readonly ConnectMetrics? _metrics;
    private readonly TagList _tags;
    private readonly TagList _connector;

    internal TaskMetrics(ConnectMetrics? metrics, string connector, int task)
    {
        _metrics = metrics;
        _tags = new TagList { { "connector", connector }, { "task", task } };
        _connector = new TagList { { "connector", connector } };
    }

    public void Polled(int records, TimeSpan took)
    {
        if (_metrics is { } m)
        {
            m.SourceRecordPoll.Add(records, _tags);
            m.PollBatchTime.Record(took.TotalMilliseconds, _tags);
        }
    }

    public void Written(int records) => _metrics?.SourceRecordWrite.Add(records, _tags);

    public void Read(int records) => _metrics?.SinkRecordRead.Add(records, _tags);

    public void Put(int records, TimeSpan took)
    {
        if (_metrics is { } m)
        {
            m.SinkRecordSend.Add(records, _tags);
            m.PutBatchTime.Record(took.TotalMilliseconds, _tags);
        }
    }

    public void OffsetsCommitted(bool succeeded, TimeSpan took)
    {
        if (_metrics is { } m)
        {
            var tags = _tags;
            tags.Add(succeeded ? Succeeded : Failed);
            m.OffsetCommit.Add(1, tags);
            m.OffsetCommitTime.Record(took.TotalMilliseconds, _tags);
        }
    }

    public void AttemptFailed() => _metrics?.RecordFailures.Add(1, _tags);

    public void Retried() => _metrics?.Retries.Add(1, _tags);

    /// <summary>A record's operation failed for good: skipped when tolerated, else the task fails.</summary>
    public void RecordFailed(bool skipped)
    {
        if (_metrics is { } m)
        {
            m.RecordErrors.Add(1, _tags);
            if (skipped)
            {
                m.RecordsSkipped.Add(1, _tags);
            }
        }
    }

    public void ErrorLogged() => _metrics?.ErrorsLogged.Add(1, _tags);

    public void DeadLettered(bool succeeded)
    {
        if (_metrics is { } m)
        {
            m.DeadLetterQueueRequests.Add(1, _tags);
            if (!succeeded)
            {
                m.DeadLetterQueueFailures.Add(1, _tags);
            }
        }
    }

    public void TaskStarted() => _metrics?.RunningTasks.Add(1, _connector);

    public void TaskStopped() => _metrics?.RunningTasks.Add(-1, _connector);
}
