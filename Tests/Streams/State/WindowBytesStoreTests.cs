using Confluent.Kafka;
using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;

namespace Tributary.Tests.Streams.State;

/// <summary>
/// What window and session byte stores promise, in memory and in RocksDB alike: a key's windows and sessions found by
/// time in order, keys that merely begin with another kept apart, expiry behind the latest time seen, and changelog
/// records that either kind restores from the other's; and what only the persistent ones keep across a reopen.
/// </summary>
public sealed class WindowBytesStoreTests : IDisposable
{
    private const long Minute = 60_000;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tributary-window-store-tests-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<bool> Persistence => [false, true];

    [Theory]
    [MemberData(nameof(Persistence))]
    public void AKeysWindows_AreFetchedByStart_AndAKeyThatBeginsWithAnother_IsNotAmongThem(bool persistent)
    {
        var store = OpenWindows(persistent, retentionMs: 10 * Minute);
        byte[] a = [0x61], ab = [0x61, 0x00];
        store.Put(a, [1], 0, 5);
        store.Put(a, [2], Minute, Minute + 5);
        store.Put(ab, [9], Minute, Minute + 7);
        store.Put(a, [3], 3 * Minute, 3 * Minute + 1);
        store.Put(a, [4], 5 * Minute, 5 * Minute + 2);

        Assert.Equal([(Minute, (byte)2, Minute + 5), (3 * Minute, (byte)3, 3 * Minute + 1)],
            store.Fetch(a, Minute, 3 * Minute).Select(w => (w.Start, w.Value.Single(), w.Timestamp)).ToList());
        Assert.Equal(((byte[])[9], Minute + 7), store.Fetch(ab, Minute));
        Assert.Null(store.Fetch(ab, 0));

        // Every window by start, then key bytes.
        Assert.Equal([(0L, (byte)1), (Minute, (byte)2), (Minute, (byte)9), (3 * Minute, (byte)3), (5 * Minute, (byte)4)],
            store.FetchAll(long.MinValue, long.MaxValue).Select(w => (w.Start, w.Value.Single())).ToList());

        store.Put(a, null, Minute, 0);
        Assert.Null(store.Fetch(a, Minute));
        store.Close();
    }

    [Theory]
    [MemberData(nameof(Persistence))]
    public void WindowsBehindTheRetentionPeriod_AreGone_AndPutsIntoThemIgnored(bool persistent)
    {
        var store = OpenWindows(persistent, retentionMs: 2 * Minute);
        byte[] key = [7];
        store.Put(key, [0], 0, 0);
        store.Put(key, [1], Minute, Minute);
        store.Put(key, [5], 5 * Minute, 5 * Minute);

        // The latest start is 5 minutes: starts at or before 3 minutes have expired.
        Assert.Equal([5 * Minute], store.Fetch(key, 0, long.MaxValue).Select(w => w.Start).ToList());
        Assert.Null(store.Fetch(key, Minute));
        store.Put(key, [3], 3 * Minute, 3 * Minute);
        Assert.Null(store.Fetch(key, 3 * Minute));
        store.Put(key, [4], 3 * Minute + 1, 3 * Minute + 1);
        Assert.Equal(((byte[])[4], 3 * Minute + 1), store.Fetch(key, 3 * Minute + 1));
        store.Close();

        if (persistent)
        {
            // Whole segments (a minute each here) went with their files.
            Assert.DoesNotContain(Directory.GetDirectories(StoreDirectory("windows")), d => d.EndsWith("windows.0", StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Persistence))]
    public void ASessionStore_FindsAKeysSessionsByEndAndStart_AndExpiresThemByEnd(bool persistent)
    {
        var store = OpenSessions(persistent, retentionMs: 3 * Minute);
        byte[] a = [0x61], ab = [0x61, 0x01];
        store.Put(a, 0, 10, [1]);
        store.Put(a, 20, Minute, [2]);
        store.Put(ab, 5, Minute + 5, [9]);
        store.Put(a, 2 * Minute, 2 * Minute + 30, [3]);

        Assert.Equal([(20L, Minute), (2 * Minute, 2 * Minute + 30)],
            store.Find(a, 15, 2 * Minute).Select(s => (s.Start, s.End)).ToList());
        Assert.Equal([(0L, 10L)], store.Find(a, 0, 19).Select(s => (s.Start, s.End)).ToList());
        Assert.Equal([(byte)1, (byte)2, (byte)3, (byte)9], store.All().Select(s => s.Value.Single()).ToList());

        store.Put(a, 20, Minute, null);
        Assert.Equal([(byte)1, (byte)3, (byte)9], store.All().Select(s => s.Value.Single()).ToList());

        // A session ending at 4 minutes leaves only those ending after 1 minute.
        store.Put(a, 4 * Minute, 4 * Minute, [4]);
        Assert.Equal([(byte)3, (byte)4, (byte)9], store.All().Select(s => s.Value.Single()).ToList());
        store.Put(a, 0, Minute, [8]);
        Assert.Empty(store.Find(a, 0, Minute));
        store.Close();
    }

    [Fact]
    public void PersistentStores_KeepTheirWindowsSessionsAndLatestTime_AcrossAReopen()
    {
        var windows = OpenWindows(persistent: true, retentionMs: 2 * Minute);
        windows.Put([1], [1], 5 * Minute, 5 * Minute);
        windows.Flush();
        windows.Close();
        var sessions = OpenSessions(persistent: true, retentionMs: Minute);
        sessions.Put([1], 0, 3 * Minute, [2]);
        sessions.Flush();
        sessions.Close();

        var reopened = OpenWindows(persistent: true, retentionMs: 2 * Minute);
        Assert.Equal(((byte[])[1], 5 * Minute), reopened.Fetch([1], 5 * Minute));

        // The latest start came back with the files: a window that expired before the reopen stays expired.
        reopened.Put([1], [0], 2 * Minute, 2 * Minute);
        Assert.Null(reopened.Fetch([1], 2 * Minute));
        reopened.Close();

        var reopenedSessions = OpenSessions(persistent: true, retentionMs: Minute);
        Assert.Equal([(0L, 3 * Minute)], reopenedSessions.Find([1], 0, long.MaxValue).Select(s => (s.Start, s.End)).ToList());
        reopenedSessions.Close();
    }

    [Theory]
    [MemberData(nameof(Persistence))]
    public void EitherKind_RestoresFromTheOthersChangelog(bool persistentWriter)
    {
        var written = new List<(byte[] Key, byte[]? Value, long Timestamp)>();
        var writer = OpenWindows(persistentWriter, retentionMs: 10 * Minute, logTo: written, name: "w");
        writer.Put([1], [10], 0, 3);
        writer.Put([2], [20], Minute, Minute + 4);
        writer.Put([1], null, 0, 9);
        writer.Close();

        var sessionsWritten = new List<(byte[] Key, byte[]? Value, long Timestamp)>();
        var sessionWriter = OpenSessions(persistentWriter, retentionMs: 10 * Minute, logTo: sessionsWritten, name: "s");
        sessionWriter.Put([3], 5, 50, [30]);
        sessionWriter.Close();

        // Kafka's changelog keys: the key, the window start and a sequence number; the key, the session's end and start.
        Assert.Equal([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], written[0].Key);
        Assert.Equal([3, 0, 0, 0, 0, 0, 0, 0, 50, 0, 0, 0, 0, 0, 0, 0, 5], sessionsWritten[0].Key);
        Assert.Equal(50, sessionsWritten[0].Timestamp);

        IWindowBytesStore windows = persistentWriter
            ? new InMemoryWindowStore("w", 10 * Minute, Minute, logged: true)
            : new RocksDbWindowStore("w", 10 * Minute, Minute, logged: true);
        var readerTask = OpenForRestore(windows);
        var offset = 0L;
        foreach (var (key, value, timestamp) in written)
        {
            readerTask.Restore("w", offset++, key, value, timestamp);
        }

        Assert.Null(windows.Fetch([1], 0));
        Assert.Equal(((byte[])[20], Minute + 4), windows.Fetch([2], Minute));
        windows.Close();

        ISessionBytesStore sessions = persistentWriter
            ? new InMemorySessionStore("s", 10 * Minute, logged: true)
            : new RocksDbSessionStore("s", 10 * Minute, logged: true);
        var sessionTask = OpenForRestore(sessions);
        sessionTask.Restore("s", 0, sessionsWritten[0].Key, sessionsWritten[0].Value, sessionsWritten[0].Timestamp);
        Assert.Equal([(5L, 50L)], sessions.Find([3], 0, long.MaxValue).Select(s => (s.Start, s.End)).ToList());
        sessions.Close();
    }

    [Theory]
    [MemberData(nameof(Persistence))]
    public void AJoinSidesStore_KeepsEveryRecordInTimeOrder_ExpiresThemBehindTheRetention_AndRestoresTheOtherKindsChangelog(bool persistent)
    {
        var written = new List<(byte[] Key, byte[]? Value, long Timestamp)>();
        var store = OpenJoin(persistent, "j", written);
        byte[] a = [0x61], ab = [0x61, 0x00];
        store.Put(a, [1], 2 * Minute);
        store.Put(a, [2], Minute);
        store.Put(a, [3], 2 * Minute);
        store.Put(ab, [9], 2 * Minute);

        // Duplicates of one key and time are kept, in the order they came; a key that begins with another is apart.
        Assert.Equal([(Minute, (byte)2), (2 * Minute, (byte)1), (2 * Minute, (byte)3)], store.Fetch(a, 0, 3 * Minute).Select(r => (r.Timestamp, r.Value.Single())));
        Assert.Equal([(byte)9], store.Fetch(ab, 0, 3 * Minute).Select(r => r.Value.Single()));
        Assert.Equal([(byte)2], store.Fetch(a, Minute, Minute).Select(r => r.Value.Single()));
        Assert.Equal(12 + a.Length, written[0].Key.Length);

        // Ten minutes of retention: the latest time, 12 minutes, leaves nothing at 2 minutes or before.
        store.Put(a, [4], 12 * Minute);
        Assert.Equal([12 * Minute], store.Fetch(a, 0, long.MaxValue).Select(r => r.Timestamp));
        store.Close();

        var other = persistent ? new InMemoryJoinWindowStore("j", 10 * Minute, logged: true) : (IJoinWindowStore)new RocksDbJoinWindowStore("j2", 10 * Minute, logged: true);
        var task = OpenForRestore(other);
        var offset = 0L;
        foreach (var (key, value, timestamp) in written.Take(4))
        {
            task.Restore(other.Name, offset++, key, value, timestamp);
        }

        Assert.Equal([(byte)2, (byte)1, (byte)3], other.Fetch(a, 0, 3 * Minute).Select(r => r.Value.Single()));
        other.Close();
    }

    [Fact]
    public void APersistentJoinSidesStore_KeepsItsRecordsAcrossAReopen_AndNumbersNewOnesApart()
    {
        var store = OpenJoin(persistent: true, "jr", logTo: null);
        store.Put([1], [1], Minute);
        store.Flush();
        store.Close();

        var reopened = OpenJoin(persistent: true, "jr", logTo: null);
        reopened.Put([1], [2], Minute);
        Assert.Equal([(byte)1, (byte)2], reopened.Fetch([1], 0, Minute).Select(r => r.Value.Single()).Order());
        reopened.Close();
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private string StoreDirectory(string name) => RocksDbKeyValueStore.DirectoryOf(_directory, name);

    private IWindowBytesStore OpenWindows(bool persistent, long retentionMs, List<(byte[], byte[]?, long)>? logTo = null, string name = "windows")
    {
        IWindowBytesStore store = persistent
            ? new RocksDbWindowStore(name, retentionMs, Minute, logged: logTo is not null)
            : new InMemoryWindowStore(name, retentionMs, Minute, logged: logTo is not null);
        store.Init(new StateStoreContext(Task(store, logTo)));
        return store;
    }

    private ISessionBytesStore OpenSessions(bool persistent, long retentionMs, List<(byte[], byte[]?, long)>? logTo = null, string name = "sessions")
    {
        ISessionBytesStore store = persistent
            ? new RocksDbSessionStore(name, retentionMs, logged: logTo is not null)
            : new InMemorySessionStore(name, retentionMs, logged: logTo is not null);
        store.Init(new StateStoreContext(Task(store, logTo)));
        return store;
    }

    private IJoinWindowStore OpenJoin(bool persistent, string name, List<(byte[], byte[]?, long)>? logTo)
    {
        IJoinWindowStore store = persistent
            ? new RocksDbJoinWindowStore(name, 10 * Minute, logged: logTo is not null)
            : new InMemoryJoinWindowStore(name, 10 * Minute, logged: logTo is not null);
        store.Init(new StateStoreContext(Task(store, logTo)));
        return store;
    }

    /// <summary>Opens a logged store to be given changelog records through its task's state manager, as a restore does.</summary>
    private ProcessorStateManager OpenForRestore(IStateStore store)
    {
        var task = Task(store, []);
        store.Init(new StateStoreContext(task));
        return task.StateManager;
    }

    private TaskState Task(IStateStore store, List<(byte[], byte[]?, long)>? logTo)
    {
        var task = new TaskState("app", new TaskId(0, 0), Serdes.ByteArray(), Serdes.ByteArray(), new Changelog(logTo ?? []), TimeProvider.System, null, _directory);
        task.StateManager.Add(store, logged: logTo is not null);
        return task;
    }

    private sealed class Changelog(List<(byte[], byte[]?, long)> records) : IRecordCollector
    {
        public void Send(string topic, byte[]? key, byte[]? value, Headers headers, long timestamp, int? partition) => records.Add((key!, value, timestamp));

        public int PartitionCount(string topic) => 1;

        public long? LastOffset(string topic, int partition) => null;
    }
}
