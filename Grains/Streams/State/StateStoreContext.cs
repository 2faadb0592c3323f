using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;

namespace Tributary.Grains.Streams.State;

/// <summary>
/// What a store learns from its task when it opens: who it belongs to, the default serdes, where its changes are
/// logged, and how it is given back the contents of its changelog (Kafka's <c>StateStoreContext</c>).
/// </summary>
public sealed class StateStoreContext
{
    private readonly TaskState _task;

    internal StateStoreContext(TaskState task)
    {
        _task = task;
    }

    public string ApplicationId => _task.ApplicationId;

    public TaskId TaskId => _task.TaskId;

    public ISerde DefaultKeySerde => _task.DefaultKeySerde;

    public ISerde DefaultValueSerde => _task.DefaultValueSerde;

    /// <summary>The task's directory under <c>state.dir</c>, where persistent stores keep their files.</summary>
    public string StateDirectory => _task.StateManager.TaskDirectory ?? throw new StreamsException($"Task {TaskId} has no state directory");

    /// <summary>The changelog topic of a store: <c>&lt;application.id&gt;-&lt;store&gt;-changelog</c>.</summary>
    public string ChangelogTopic(string storeName) => ProcessorStateManager.ChangelogTopic(ApplicationId, storeName);

    /// <summary>
    /// Registers a store with the task, with the callback that applies one changelog record (key, value, timestamp) to it when the task
    /// restores the store's contents (from the start of the changelog, or from where a persistent store stopped).
    /// </summary>
    public void Register(IStateStore store, Action<byte[], byte[]?, long> restore) => _task.StateManager.Register(store, restore);

    /// <summary>The timestamp of the record being processed (or of the punctuation running).</summary>
    internal long CurrentTimestamp => _task.CurrentTimestamp;

    /// <summary>The thread's record cache, or null where the task's stores are not cached.</summary>
    internal ThreadCache? Cache => _task.Cache;

    /// <summary>The name of a store's part of the thread's cache: the task's and the store's (Kafka's <c>taskId-storeName</c>).</summary>
    internal string CacheName(string storeName) => $"{_task.TaskId}-{storeName}";

    /// <summary>The context of the record being processed; a cache's flush sets each change's own while it writes and forwards it.</summary>
    internal ProcessorRecordContext RecordContext
    {
        get => _task.RecordContext;
        set => _task.RecordContext = value;
    }

    /// <summary>Writes a change of a logged store to its changelog, in the partition of the task, at the current record's time.</summary>
    internal void LogChange(string storeName, byte[] key, byte[]? value) => _task.LogChange(storeName, key, value, _task.CurrentTimestamp);

    /// <summary>Writes a change of a logged store to its changelog with the timestamp the store keeps for it.</summary>
    internal void LogChange(string storeName, byte[] key, byte[]? value, long timestamp) => _task.LogChange(storeName, key, value, timestamp);
}
