using Confluent.Kafka;
using Tributary.Grains.Streams.State;

namespace Tributary.Grains.Streams.Internals;

/// <summary>
/// A task's stores: opened before its first record, given back their changelogs' contents, flushed at each commit,
/// closed with the task (Kafka's <c>ProcessorStateManager</c>). For persistent stores it keeps the task's
/// checkpoint: the changelog offset each store on disk holds, so that a restart restores only what came after.
/// </summary>
internal sealed class ProcessorStateManager(string applicationId, Processor.TaskId taskId, string? taskDirectory = null)
{
    private readonly Dictionary<string, IStateStore> _stores = [];
    private readonly Dictionary<string, Action<byte[], byte[]?, long>> _restorers = [];
    private readonly Dictionary<string, string> _changelogs = [];
    private readonly Dictionary<string, long> _offsets = [];
    private readonly Dictionary<TopicPartition, long> _written = [];

    /// <summary>Kafka's OFFSET_DELTA_THRESHOLD_FOR_CHECKPOINT: a commit rewrites the checkpoint once a store has moved this far.</summary>
    private const long CheckpointDelta = 10_000;

    public static string ChangelogTopic(string applicationId, string storeName) => $"{applicationId}-{storeName}-changelog";

    public IReadOnlyDictionary<string, IStateStore> Stores => _stores;

    /// <summary>The changelog topics of the task's logged stores, by store name.</summary>
    public IReadOnlyDictionary<string, string> Changelogs => _changelogs;

    public Processor.TaskId TaskId { get; } = taskId;

    /// <summary>Where the task's persistent stores and checkpoint live; null for a task without a state directory.</summary>
    public string? TaskDirectory { get; } = taskDirectory;

    private string? CheckpointPath => TaskDirectory is null ? null : Path.Combine(TaskDirectory, OffsetCheckpoint.FileName);

    /// <summary>
    /// Reads the checkpoint before the stores open: a persistent logged store resumes after its checkpointed offset,
    /// one without an offset is wiped and restored whole. With exactly-once the checkpoint is then deleted, as Kafka
    /// does: until the next clean close the store may hold uncommitted writes, and a crash must rebuild it.
    /// </summary>
    public void LoadCheckpoint(bool exactlyOnce)
    {
        if (CheckpointPath is not { } path)
        {
            return;
        }

        var checkpoint = OffsetCheckpoint.Read(path);
        foreach (var (name, topic) in _changelogs.Where(c => _stores[c.Key].Persistent))
        {
            if (checkpoint.TryGetValue(new TopicPartition(topic, TaskId.Partition), out var offset))
            {
                _offsets[name] = offset;
                _written[new TopicPartition(topic, TaskId.Partition)] = offset;
            }
            else
            {
                Wipe(name);
            }
        }

        if (exactlyOnce)
        {
            // The file is gone, so the next clean close writes it again even if nothing moved meanwhile.
            OffsetCheckpoint.Delete(path);
            _written.Clear();
        }
    }

    /// <summary>The offset of the last changelog record a persistent store holds on disk, if known.</summary>
    public long? CheckpointedOffset(string storeName) => _offsets.TryGetValue(storeName, out var offset) ? offset : null;

    /// <summary>Deletes a persistent store's files (before it opens), so that it is restored from the start of its changelog.</summary>
    public void Wipe(string storeName)
    {
        _offsets.Remove(storeName);
        if (_changelogs.TryGetValue(storeName, out var topic))
        {
            // What the checkpoint said no longer holds: the next one is written whatever it said.
            _written.Remove(new TopicPartition(topic, TaskId.Partition));
        }

        if (TaskDirectory is not null && Directory.Exists(RocksDbKeyValueStore.DirectoryOf(TaskDirectory, storeName)))
        {
            Directory.Delete(RocksDbKeyValueStore.DirectoryOf(TaskDirectory, storeName), recursive: true);
        }
    }

    /// <summary>Deletes the files of every persistent store (before they open).</summary>
    public void WipePersistentStores()
    {
        foreach (var store in _stores.Values.Where(s => s.Persistent))
        {
            Wipe(store.Name);
        }
    }

    /// <summary>
    /// Writes the checkpoint after the stores were flushed and their changelog records acknowledged: for each
    /// persistent logged store, the last offset it holds (restored, or written by <paramref name="collector"/>). A
    /// commit writes it only once a store has moved <see cref="CheckpointDelta"/> records since the last one, as
    /// Kafka does; a close (<paramref name="force"/>) always does, if anything moved.
    /// </summary>
    public void Checkpoint(IRecordCollector collector, bool force = false)
    {
        if (CheckpointPath is not { } path)
        {
            return;
        }

        var offsets = new Dictionary<TopicPartition, long>();
        foreach (var (name, topic) in _changelogs.Where(c => _stores[c.Key].Persistent))
        {
            var written = collector.LastOffset(topic, TaskId.Partition);
            var restored = CheckpointedOffset(name);
            if ((written, restored) switch { ({ } w, { } r) => Math.Max(w, r), ({ } w, null) => w, (null, { } r) => r, _ => (long?)null } is { } last)
            {
                _offsets[name] = last;
                offsets[new TopicPartition(topic, TaskId.Partition)] = last;
            }
        }

        var moved = offsets.Select(o => o.Value - _written.GetValueOrDefault(o.Key, -1)).DefaultIfEmpty(0).Max();
        if (moved > 0 && (force || moved >= CheckpointDelta))
        {
            Directory.CreateDirectory(TaskDirectory!);
            OffsetCheckpoint.Write(path, offsets);
            foreach (var (partition, offset) in offsets)
            {
                _written[partition] = offset;
            }
        }
    }

    /// <summary>Adds a store built for this task (its outermost, typed face) and whether its changes are logged.</summary>
    public void Add(IStateStore store, bool logged)
    {
        _stores.Add(store.Name, store);
        if (logged)
        {
            _changelogs.Add(store.Name, ChangelogTopic(applicationId, store.Name));
        }
    }

    public void Register(IStateStore store, Action<byte[], byte[]?, long> restore) => _restorers[store.Name] = restore;

    public string ChangelogTopicOf(string storeName) =>
        _changelogs.TryGetValue(storeName, out var topic) ? topic : throw new StreamsException($"Store {storeName} has no changelog");

    /// <summary>Applies one record of a store's changelog, at <paramref name="offset"/>, to the store.</summary>
    public void Restore(string storeName, long offset, byte[] key, byte[]? value, long timestamp)
    {
        _offsets[storeName] = offset;
        if (!_restorers.TryGetValue(storeName, out var restore))
        {
            throw new StreamsException($"Store {storeName} of task {TaskId} registered no restore callback");
        }

        restore(key, value, timestamp);
    }

    public IStateStore GetStore(string name) =>
        _stores.TryGetValue(name, out var store) ? store : throw new StreamsException($"Task {TaskId} has no state store {name}");

    /// <summary>
    /// Writes the stores' cached changes below, then flushes the stores. A cache's flush forwards changes that may
    /// land in another store's cache, so caches are flushed until none holds a change: everything the task did is
    /// in its stores and changelogs before its offsets commit.
    /// </summary>
    public void Flush()
    {
        var caches = _stores.Values.Select(CachingLayer).OfType<ICachingStore>().ToList();
        for (var round = 0; caches.Any(c => c.HasDirty); round++)
        {
            if (round > _stores.Count)
            {
                throw new StreamsException($"Task {TaskId}'s caches still hold changes after {round} flushes: its stores feed each other in a loop");
            }

            foreach (var cache in caches)
            {
                cache.FlushCache();
            }
        }

        foreach (var store in _stores.Values)
        {
            store.Flush();
        }
    }

    /// <summary>The caching layer under a store's typed face, if it has one.</summary>
    private static ICachingStore? CachingLayer(IStateStore store)
    {
        for (IStateStore? layer = store; layer is not null; layer = (layer as IWrappedStateStore)?.Inner)
        {
            if (layer is ICachingStore caching)
            {
                return caching;
            }
        }

        return null;
    }

    public void Close()
    {
        foreach (var store in _stores.Values)
        {
            if (store.IsOpen)
            {
                store.Close();
            }
        }
    }
}
