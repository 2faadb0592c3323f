using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Plugins;

namespace Tributary.Grains.Connect.Api.Sink;

/// <summary>
/// A sink task (Kafka's <c>SinkTask</c>): receives consumed records in batches and writes them outside. Offsets
/// committed for the task's consumer group are those <see cref="PreCommitAsync"/> returns; by default everything
/// given to <see cref="PutAsync"/> once <see cref="FlushAsync"/> has returned. Offsets are the next offset to read.
/// </summary>
public abstract class SinkTask : IVersioned
{
    /// <summary>The key under which a sink connector's topics are configured (Kafka's <c>SinkTask.TOPICS_CONFIG</c>).</summary>
    public const string TopicsConfig = "topics";

    public const string TopicsRegexConfig = "topics.regex";

    private ISinkTaskContext? _context;

    protected ISinkTaskContext Context => _context ?? throw new InvalidOperationException("The task has not been initialized.");

    public abstract string Version { get; }

    public virtual void Initialize(ISinkTaskContext context) => _context = context;

    public abstract Task StartAsync(IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken);

    /// <summary>Writes (or buffers) these records; a <see cref="RetriableException"/> makes the runtime give them again.</summary>
    public abstract Task PutAsync(IReadOnlyCollection<SinkRecord> records, CancellationToken cancellationToken);

    /// <summary>Makes everything given so far durable outside.</summary>
    public virtual Task FlushAsync(IReadOnlyDictionary<TopicPartition, long> currentOffsets, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The offsets safe to commit now; by default flushes and returns <paramref name="currentOffsets"/>.</summary>
    public virtual async Task<IReadOnlyDictionary<TopicPartition, long>> PreCommitAsync(
        IReadOnlyDictionary<TopicPartition, long> currentOffsets, CancellationToken cancellationToken)
    {
        await FlushAsync(currentOffsets, cancellationToken).ConfigureAwait(false);
        return currentOffsets;
    }

    /// <summary>These partitions were just assigned to the task.</summary>
    public virtual Task OpenAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>These partitions are leaving the task; write or drop what is buffered for them.</summary>
    public virtual Task CloseAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken) => Task.CompletedTask;

    public abstract Task StopAsync(CancellationToken cancellationToken);
}
