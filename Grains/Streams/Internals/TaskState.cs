using Confluent.Kafka;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;

namespace Tributary.Grains.Streams.Internals;

/// <summary>
/// What the nodes and stores of one task share: its identity, stream time, the record being processed, its
/// punctuations, its stores and where its output goes. Used by the task's thread alone.
/// </summary>
internal sealed class TaskState(
    string applicationId, TaskId taskId, ISerde defaultKeySerde, ISerde defaultValueSerde, IRecordCollector collector, TimeProvider clock,
    IReadOnlyDictionary<string, State.IStateStore>? globalStores = null, string? taskDirectory = null, State.ThreadCache? cache = null)
{
    public string ApplicationId { get; } = applicationId;

    public TaskId TaskId { get; } = taskId;

    public ISerde DefaultKeySerde { get; } = defaultKeySerde;

    public ISerde DefaultValueSerde { get; } = defaultValueSerde;

    public IRecordCollector Collector { get; } = collector;

    public ProcessorStateManager StateManager { get; } = new(applicationId, taskId, taskDirectory);

    /// <summary>The instance's global stores, which every processor may read.</summary>
    public IReadOnlyDictionary<string, State.IStateStore> GlobalStores { get; } = globalStores ?? new Dictionary<string, State.IStateStore>();

    /// <summary>A store of the task, or else a global store.</summary>
    public State.IStateStore GetStore(string name) =>
        StateManager.Stores.TryGetValue(name, out var store) ? store
        : GlobalStores.TryGetValue(name, out var global) ? global
        : StateManager.GetStore(name);

    /// <summary>The largest timestamp the task has processed, -1 before the first record.</summary>
    public long StreamTime { get; set; } = -1;

    public RecordMetadata? CurrentMetadata { get; set; }

    /// <summary>The timestamp of the record being processed, or of the punctuation running.</summary>
    public long CurrentTimestamp { get; set; }

    public Headers CurrentHeaders { get; set; } = [];

    /// <summary>The record cache of the task's thread, which its cached stores share; null where stores are not cached (standbys, global stores).</summary>
    public State.ThreadCache? Cache { get; } = cache;

    /// <summary>The context of the record being processed, taken and put back as one (a cache's flush forwards each change in its own).</summary>
    public ProcessorRecordContext RecordContext
    {
        get => new(CurrentTimestamp, CurrentMetadata, CurrentHeaders);
        set
        {
            CurrentTimestamp = value.Timestamp;
            CurrentMetadata = value.Metadata;
            CurrentHeaders = value.Headers;
        }
    }

    public bool CommitRequested { get; set; }

    /// <summary>State that several nodes of the task share, by a name they agree on (the two sides of a join share their time).</summary>
    public Dictionary<string, object> Shared { get; } = [];

    public PunctuationQueue StreamTimePunctuations { get; } = new();

    public PunctuationQueue WallClockPunctuations { get; } = new();

    public long WallClockMs => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public ICancellable Schedule(TimeSpan interval, PunctuationType type, Action<long> punctuator)
    {
        var intervalMs = (long)interval.TotalMilliseconds;
        if (intervalMs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), "The minimum supported scheduling interval is 1 millisecond.");
        }

        // As Kafka: stream-time punctuations are aligned to 0 and fire as soon as there is data; wall-clock ones
        // fire one interval from now.
        return type == PunctuationType.StreamTime
            ? StreamTimePunctuations.Schedule(0, intervalMs, punctuator)
            : WallClockPunctuations.Schedule(WallClockMs + intervalMs, intervalMs, punctuator);
    }

    public void LogChange(string storeName, byte[] key, byte[]? value, long timestamp) =>
        Collector.Send(StateManager.ChangelogTopicOf(storeName), key, value, [], timestamp, TaskId.Partition);
}
