using Tributary.Grains.Connect.Api.Plugins;

namespace Tributary.Grains.Connect.Api.Source;

/// <summary>
/// A source task (Kafka's <c>SourceTask</c>): reads records from outside and hands them to the runtime, which converts,
/// transforms and writes them, then stores their source offsets. <see cref="PollAsync"/> returns when it has records or
/// has waited long enough (null or empty means none now); it is cancelled when the task stops.
/// </summary>
public abstract class SourceTask : IVersioned
{
    private ISourceTaskContext? _context;

    protected ISourceTaskContext Context => _context ?? throw new InvalidOperationException("The task has not been initialized.");

    public abstract string Version { get; }

    public virtual void Initialize(ISourceTaskContext context) => _context = context;

    public abstract Task StartAsync(IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<SourceRecord>?> PollAsync(CancellationToken cancellationToken);

    /// <summary>Called after the offsets of records polled so far have been stored (Kafka's <c>commit</c>).</summary>
    public virtual Task CommitAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Called once a record has been written to Kafka (or filtered out, with null metadata).</summary>
    public virtual Task CommitRecordAsync(SourceRecord record, RecordMetadata? metadata, CancellationToken cancellationToken) => Task.CompletedTask;

    public abstract Task StopAsync(CancellationToken cancellationToken);
}

/// <summary>Where a record was written (Kafka's <c>RecordMetadata</c>, the parts a task may want).</summary>
public sealed record RecordMetadata(string Topic, int Partition, long Offset, long Timestamp);
