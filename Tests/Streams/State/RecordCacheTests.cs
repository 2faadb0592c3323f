using Confluent.Kafka;
using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;

namespace Tributary.Tests.Streams.State;

/// <summary>
/// The record cache under key-value and window stores: reads see a change at once, the store below and its
/// changelog get each key's latest change only at a flush or when the thread's cache is full, in the order of the
/// changes and with the time of the record that made each; range reads merge both.
/// </summary>
public sealed class RecordCacheTests
{
    private const long Minute = 60_000;

    private readonly List<(byte[] Key, byte[]? Value, long Timestamp)> _changelog = [];

    [Fact]
    public void ChangesWaitInTheCache_AndAFlushWritesEachKeysLatestOnce_WithTheTimeOfItsRecord()
    {
        var (store, task) = OpenKeyValue(new ThreadCache(1024 * 1024));

        Put(task, store, "a", "1", timestamp: 10);
        Put(task, store, "b", "1", timestamp: 20);
        Put(task, store, "a", "2", timestamp: 30);

        Assert.Equal("2", Text(store.Get(Bytes("a"))));
        Assert.Empty(_changelog);

        store.Flush();
        // The order of the last change of each key: b, then a.
        Assert.Equal([("b", "1", 20L), ("a", "2", 30L)], _changelog.Select(c => (Text(c.Key), Text(c.Value), c.Timestamp)));
        store.Flush();
        Assert.Equal(2, _changelog.Count);
    }

    [Fact]
    public void AFullCache_EvictsTheLeastRecentlyUsedKey_WritingEveryWaitingChangeFirst()
    {
        // Room for about two entries: a third evicts the least recently used one.
        var cache = new ThreadCache(2 * (64 + 2));
        var (store, task) = OpenKeyValue(cache);

        Put(task, store, "a", "1", timestamp: 1);
        Put(task, store, "b", "1", timestamp: 2);
        Assert.Equal("1", Text(store.Get(Bytes("a"))));
        Assert.Empty(_changelog);

        // b was used least recently: its eviction writes every waiting change (c's too), in order, and b leaves the cache.
        Put(task, store, "c", "1", timestamp: 3);
        Assert.Equal([("a", 1L), ("b", 2L), ("c", 3L)], _changelog.Select(c => (Text(c.Key), c.Timestamp)));
        Assert.True(cache.SizeBytes <= cache.MaxBytes);
        Assert.Equal("1", Text(store.Get(Bytes("b"))));
    }

    [Fact]
    public void RangeReads_MergeTheCacheWithTheStoreBelow_ACachedDeletionHidingItsKey()
    {
        var (store, task) = OpenKeyValue(new ThreadCache(1024 * 1024));
        Put(task, store, "a", "below", 1);
        Put(task, store, "c", "below", 1);
        Put(task, store, "e", "below", 1);
        store.Flush();

        Put(task, store, "b", "cached", 2);
        Put(task, store, "c", null, 2);
        Put(task, store, "e", "cached", 2);
        Put(task, store, "f", "cached", 2);

        Assert.Equal(["a=below", "b=cached", "e=cached", "f=cached"], store.All().Select(e => $"{Text(e.Key)}={Text(e.Value)}"));
        Assert.Equal(["b=cached", "e=cached"], store.Range(Bytes("b"), Bytes("e")).Select(e => $"{Text(e.Key)}={Text(e.Value)}"));
        Assert.Null(store.Get(Bytes("c")));

        store.Flush();
        Assert.Equal(["a=below", "b=cached", "e=cached", "f=cached"], store.All().Select(e => $"{Text(e.Key)}={Text(e.Value)}"));
    }

    [Fact]
    public void AFlushListener_ReceivesEachKeysNewValueWithTheValueItReplacedBelow()
    {
        var (store, task) = OpenKeyValue(new ThreadCache(1024 * 1024));
        var flushed = new List<string>();
        Assert.True(store.SetFlushListener((key, newValue, oldValue, context) => flushed.Add($"{Text(key)}:{Text(oldValue)}->{Text(newValue)}@{context.Timestamp}")));

        Put(task, store, "a", "1", 1);
        store.Flush();
        Put(task, store, "a", "2", 2);
        Put(task, store, "a", "3", 3);
        // Made and deleted within the cache: nothing to write or forward.
        Put(task, store, "z", "1", 4);
        Put(task, store, "z", null, 5);
        store.Flush();

        Assert.Equal(["a:->1@1", "a:1->3@3"], flushed);
    }

    [Fact]
    public void WithoutAThreadCache_AStoreWritesThrough_AndTakesNoFlushListener()
    {
        var (store, task) = OpenKeyValue(cache: null);
        Assert.False(store.SetFlushListener((_, _, _, _) => throw new InvalidOperationException("no cache, no listener")));

        Put(task, store, "a", "1", 7);
        Assert.Equal([("a", "1", 7L)], _changelog.Select(c => (Text(c.Key), Text(c.Value), c.Timestamp)));
    }

    [Fact]
    public void AClosedStore_DropsWhatItsCacheHeld_AndGivesBackItsShareOfTheCache()
    {
        var cache = new ThreadCache(1024 * 1024);
        var (store, task) = OpenKeyValue(cache);
        Put(task, store, "a", "1", 1);
        Assert.True(cache.SizeBytes > 0);

        store.Close();
        Assert.Equal(0, cache.SizeBytes);
        Assert.Empty(_changelog);
    }

    [Fact]
    public void WindowChanges_WaitInTheCache_AndFetchesMergeThemWithTheWindowsBelow()
    {
        var cache = new ThreadCache(1024 * 1024);
        var task = Task(cache);
        var store = new CachingWindowStore(new InMemoryWindowStore("windows", 10 * Minute, Minute, logged: true), 10 * Minute);
        task.StateManager.Add(store, logged: true);
        store.Init(new StateStoreContext(task));
        var flushed = new List<string>();
        Assert.True(store.SetFlushListener((key, start, updated, old, _) => flushed.Add($"{Text(key)}@{start}:{Text(old)}->{Text(updated.Value)}")));
        byte[] a = Bytes("a"), b = Bytes("b");

        store.Put(a, Bytes("1"), 0, 5);
        store.Put(a, Bytes("1"), Minute, Minute + 1);
        store.Flush();
        store.Put(a, Bytes("2"), Minute, Minute + 2);
        store.Put(b, Bytes("1"), Minute, Minute + 3);
        store.Put(a, Bytes("1"), 2 * Minute, 2 * Minute);

        Assert.Equal(((byte[])Bytes("2"), Minute + 2), store.Fetch(a, Minute));
        Assert.Equal([(0L, "1"), (Minute, "2"), (2 * Minute, "1")], store.Fetch(a, 0, 3 * Minute).Select(w => (w.Start, Text(w.Value))));
        Assert.Equal(["a@0", "a@60000", "b@60000", "a@120000"], store.FetchAll(0, 3 * Minute).Select(w => $"{Text(w.Key)}@{w.Start}"));

        store.Flush();
        Assert.Equal(["a@0:->1", "a@60000:->1", "a@60000:1->2", "b@60000:->1", "a@120000:->1"], flushed);
        Assert.Equal(5, _changelog.Count);
    }

    [Fact]
    public void ACachedWindowBehindTheRetentionPeriod_IsNoLongerRead()
    {
        var task = Task(new ThreadCache(1024 * 1024));
        var store = new CachingWindowStore(new InMemoryWindowStore("windows", 2 * Minute, Minute, logged: false), 2 * Minute);
        store.Init(new StateStoreContext(task));
        byte[] a = Bytes("a");

        store.Put(a, Bytes("old"), 0, 1);
        store.Flush();
        store.Put(a, Bytes("older still cached"), 0, 2);
        store.Put(a, Bytes("new"), 5 * Minute, 5 * Minute);

        // As below would, had the window at 5 minutes reached it: the window at 0 has expired, cached or below.
        Assert.Null(store.Fetch(a, 0));
        Assert.Equal([5 * Minute], store.Fetch(a, 0, 10 * Minute).Select(w => w.Start));
        Assert.Equal([5 * Minute], store.FetchAll(0, 10 * Minute).Select(w => w.Start));
        store.Flush();
        Assert.Equal([5 * Minute], store.FetchAll(0, 10 * Minute).Select(w => w.Start));
    }

    [Fact]
    public void ASessionMadeAndMergedAwayWithinTheCache_NeverReachesTheStoreBelow()
    {
        var task = Task(new ThreadCache(1024 * 1024));
        var store = new CachingSessionStore(new InMemorySessionStore("sessions", 10 * Minute, logged: true), 10 * Minute);
        task.StateManager.Add(store, logged: true);
        store.Init(new StateStoreContext(task));
        var flushed = new List<string>();
        Assert.True(store.SetFlushListener((key, start, end, newValue, old, _) => flushed.Add($"{Text(key)}[{start},{end}]:{Text(old)}->{Text(newValue)}")));
        byte[] a = Bytes("a"), b = Bytes("b");

        store.Put(a, 0, 0, Bytes("1"));
        store.Put(b, 1_000, 2_000, Bytes("x"));
        // A second record merges a's session into a wider one.
        store.Put(a, 0, 0, null);
        store.Put(a, 0, 5_000, Bytes("2"));

        Assert.Equal([(0L, 5_000L, "2")], store.Find(a, 0, 5_000).Select(s => (s.Start, s.End, Text(s.Value))));
        Assert.Equal(["a[0,5000]", "b[1000,2000]"], store.All().Select(s => $"{Text(s.Key)}[{s.Start},{s.End}]"));
        store.Flush();

        Assert.Equal(["b[1000,2000]:->x", "a[0,5000]:->2"], flushed);
        Assert.Equal(2, _changelog.Count);
        Assert.Equal([(0L, 5_000L, "2")], store.Find(a, 0, 5_000).Select(s => (s.Start, s.End, Text(s.Value))));
    }

    private (CachingKeyValueStore Store, TaskState Task) OpenKeyValue(ThreadCache? cache)
    {
        var task = Task(cache);
        var store = new CachingKeyValueStore(new ChangeLoggingKeyValueStore(new InMemoryKeyValueStore("kv")));
        task.StateManager.Add(store, logged: true);
        store.Init(new StateStoreContext(task));
        return (store, task);
    }

    private TaskState Task(ThreadCache? cache = null) =>
        new("app", new TaskId(0, 0), Serdes.ByteArray(), Serdes.ByteArray(), new Changelog(_changelog), TimeProvider.System, cache: cache);

    private static void Put(TaskState task, CachingKeyValueStore store, string key, string? value, long timestamp)
    {
        task.CurrentTimestamp = timestamp;
        store.Put(Bytes(key), value is null ? null : Bytes(value));
    }

    private static byte[] Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    private static string? Text(byte[]? bytes) => bytes is null ? null : System.Text.Encoding.UTF8.GetString(bytes);

    private sealed class Changelog(List<(byte[], byte[]?, long)> records) : IRecordCollector
    {
        public void Send(string topic, byte[]? key, byte[]? value, Headers headers, long timestamp, int? partition) => records.Add((key!, value, timestamp));

        public int PartitionCount(string topic) => 1;

        public long? LastOffset(string topic, int partition) => null;
    }
}
