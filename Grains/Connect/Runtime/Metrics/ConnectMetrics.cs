using System.Diagnostics.Metrics;

namespace Tributary.Grains.Connect.Runtime.Metrics;

/// <summary>
/// Kafka Connect's task metrics (its <c>source-task-metrics</c>, <c>sink-task-metrics</c>, <c>connector-task-metrics</c>,
/// <c>task-error-metrics</c> and <c>connect-worker-metrics</c> groups), as counters and histograms tagged with the
/// connector and the task: a rate Kafka reports is the <c>rate()</c> of the counter here, an average the histogram's.
/// One per silo; each task records through its own <see cref="TaskMetrics"/>.
/// </summary>
public sealed class ConnectMetrics
{
    public const string MeterName = "kafka.connect";

    private const string Source = "kafka.connect.source_task_metrics.";
    private const string Sink = "kafka.connect.sink_task_metrics.";
    private const string Task = "kafka.connect.connector_task_metrics.";
    private const string Errors = "kafka.connect.task_error_metrics.";

    public ConnectMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        SourceRecordPoll = meter.CreateCounter<long>(Source + "source_record_poll", description: "Records a source task's poll returned (source-record-poll-total).");
        SourceRecordWrite = meter.CreateCounter<long>(Source + "source_record_write", description: "Records a source task wrote to Kafka, after transforms (source-record-write-total).");
        PollBatchTime = meter.CreateHistogram<double>(Source + "poll_batch_time_ms", description: "Time a source task's poll took, in ms (poll-batch-avg/max-time-ms).");
        SinkRecordRead = meter.CreateCounter<long>(Sink + "sink_record_read", description: "Records a sink task read from Kafka (sink-record-read-total).");
        SinkRecordSend = meter.CreateCounter<long>(Sink + "sink_record_send", description: "Records a sink task's put was given, after transforms (sink-record-send-total).");
        PutBatchTime = meter.CreateHistogram<double>(Sink + "put_batch_time_ms", description: "Time a sink task's put took, in ms (put-batch-avg/max-time-ms).");
        OffsetCommit = meter.CreateCounter<long>(Task + "offset_commit", description: "Offset commits, by outcome (offset-commit-success/failure-percentage).");
        OffsetCommitTime = meter.CreateHistogram<double>(Task + "offset_commit_time_ms", description: "Time an offset commit took, in ms (offset-commit-avg/max-time-ms).");
        RecordFailures = meter.CreateCounter<long>(Errors + "total_record_failures", description: "Failed attempts of a record's operation, retries included (total-record-failures).");
        RecordErrors = meter.CreateCounter<long>(Errors + "total_record_errors", description: "Records whose operation finally failed, tolerated or not (total-record-errors).");
        RecordsSkipped = meter.CreateCounter<long>(Errors + "total_records_skipped", description: "Records skipped because their failure was tolerated (total-records-skipped).");
        Retries = meter.CreateCounter<long>(Errors + "total_retries", description: "Retries of a record's operation (total-retries).");
        ErrorsLogged = meter.CreateCounter<long>(Errors + "total_errors_logged", description: "Failures written to the log by errors.log.enable (total-errors-logged).");
        DeadLetterQueueRequests = meter.CreateCounter<long>(Errors + "deadletterqueue_produce_requests", description: "Records written to the dead letter queue (deadletterqueue-produce-requests).");
        DeadLetterQueueFailures = meter.CreateCounter<long>(Errors + "deadletterqueue_produce_failures", description: "Writes to the dead letter queue that failed (deadletterqueue-produce-failures).");
        RunningTasks = meter.CreateUpDownCounter<long>("kafka.connect.connect_worker_metrics.task_count", description: "Tasks running on this worker, by connector (task-count, connector-total-task-count).");
    }

    internal Counter<long> SourceRecordPoll { get; }
    internal Counter<long> SourceRecordWrite { get; }
    internal Histogram<double> PollBatchTime { get; }
    internal Counter<long> SinkRecordRead { get; }
    internal Counter<long> SinkRecordSend { get; }
    internal Histogram<double> PutBatchTime { get; }
    internal Counter<long> OffsetCommit { get; }
    internal Histogram<double> OffsetCommitTime { get; }
    internal Counter<long> RecordFailures { get; }
    internal Counter<long> RecordErrors { get; }
    internal Counter<long> RecordsSkipped { get; }
    internal Counter<long> Retries { get; }
    internal Counter<long> ErrorsLogged { get; }
    internal Counter<long> DeadLetterQueueRequests { get; }
    internal Counter<long> DeadLetterQueueFailures { get; }
    internal UpDownCounter<long> RunningTasks { get; }

    /// <summary>The metrics of task <paramref name="task"/> of <paramref name="connector"/>.</summary>
    public TaskMetrics For(string connector, int task) => new(this, connector, task);
}
