using System.Text;
using Confluent.Kafka;
using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;

namespace Tributary.Tests.Streams.State;

/// <summary>
/// What every key-value byte store promises, in memory and in RocksDB: unsigned bytewise order, inclusive ranges,
/// null deletes, writes while iterating; and what only the persistent one keeps across a reopen, with the task's
/// checkpoint deciding whether its files are trusted.
/// </summary>
public sealed class KeyValueBytesStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tributary-store-tests-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string> Kinds => ["memory", "rocksdb"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Keys_AreOrderedAsUnsignedBytes_RangesIncludeBothEnds_AndNullDeletes(string kind)
    {
        var store = Open(kind, "ordered");
        foreach (var key in new byte[][] { [0x80], [0x01], [0x7F], [0x01, 0x00], [0xFF] })
        {
            store.Put(key, key);
        }

        store.Put([0xFF], null);

        Assert.Equal([[0x01], [0x01, 0x00], [0x7F], [0x80]], store.All().Select(e => e.Key).ToList());
        Assert.Equal([[0x01, 0x00], [0x7F]], store.Range([0x01, 0x00], [0x7F]).Select(e => e.Key).ToList());
        Assert.Empty(store.Range([0x80], [0x01]));
        Assert.Null(store.Get([0xFF]));
        store.Close();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void WritingWhileIterating_IsSafe_AndTheIterationSeesTheStoreAsItWas(string kind)
    {
        var store = Open(kind, "iterate");
        store.Put("a"u8.ToArray(), "1"u8.ToArray());
        store.Put("b"u8.ToArray(), "2"u8.ToArray());

        var seen = new List<string>();
        foreach (var entry in store.All())
        {
            seen.Add(Encoding.UTF8.GetString(entry.Key));
            store.Put("c"u8.ToArray(), "3"u8.ToArray());
            store.Put("b"u8.ToArray(), null);
        }

        Assert.Equal(["a", "b"], seen);
        Assert.Equal(["a", "c"], store.All().Select(e => Encoding.UTF8.GetString(e.Key)).ToList());
        store.Close();
    }

    [Fact]
    public void ARocksDbStore_KeepsItsDataAcrossAReopen_WhileTheCheckpointVouchesForIt()
    {
        var collector = new FixedOffsets(41);
        var first = Manager(out var store);
        store.Put("k"u8.ToArray(), "v"u8.ToArray());
        first.Flush();
        first.Checkpoint(collector);

        // A commit rewrites the checkpoint only once a store moved 10,000 records, as Kafka; a close always does.
        Assert.False(File.Exists(Path.Combine(_directory, ".checkpoint")));
        first.Checkpoint(collector, force: true);
        first.Close();

        Assert.Equal(["0", "1", "app-counts-changelog 3 41"], File.ReadAllLines(Path.Combine(_directory, ".checkpoint")));

        var second = Manager(out var reopened, exactlyOnce: false);
        Assert.Equal(41, second.CheckpointedOffset("counts"));
        Assert.Equal("v"u8.ToArray(), reopened.Get("k"u8.ToArray()));
        second.Close();

        // With exactly-once the checkpoint is gone once the store opens: a crash from here leaves none.
        var third = Manager(out _, exactlyOnce: true);
        Assert.False(File.Exists(Path.Combine(_directory, ".checkpoint")));
        third.Close();

        // Without a checkpoint the files are not trusted: the store opens empty, to be restored whole.
        var fourth = Manager(out var wiped, exactlyOnce: false);
        Assert.Null(fourth.CheckpointedOffset("counts"));
        Assert.Null(wiped.Get("k"u8.ToArray()));
        fourth.Close();
    }

    [Fact]
    public void WithExactlyOnce_ACleanCloseWritesTheCheckpointAgain_EvenWhenNothingMoved()
    {
        var first = Manager(out var store);
        store.Put("k"u8.ToArray(), "v"u8.ToArray());
        first.Flush();
        first.Checkpoint(new FixedOffsets(7), force: true);
        first.Close();

        var second = Manager(out _, exactlyOnce: true);
        Assert.False(File.Exists(Path.Combine(_directory, ".checkpoint")));
        second.Checkpoint(new FixedOffsets(null), force: true);
        second.Close();

        Assert.Equal(["0", "1", "app-counts-changelog 3 7"], File.ReadAllLines(Path.Combine(_directory, ".checkpoint")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private IKeyValueBytesStore Open(string kind, string name)
    {
        IKeyValueBytesStore store = kind == "rocksdb" ? new RocksDbKeyValueStore(name) : new InMemoryKeyValueStore(name);
        store.Init(new StateStoreContext(Task()));
        return store;
    }

    /// <summary>A task's state manager with one logged RocksDB store, its checkpoint loaded and the store opened.</summary>
    private ProcessorStateManager Manager(out IKeyValueBytesStore store, bool exactlyOnce = false)
    {
        store = new RocksDbKeyValueStore("counts");
        var state = Task();
        state.StateManager.Add(store, logged: true);
        state.StateManager.LoadCheckpoint(exactlyOnce);
        store.Init(new StateStoreContext(state));
        return state.StateManager;
    }

    private TaskState Task() =>
        new("app", new TaskId(0, 3), Serdes.ByteArray(), Serdes.ByteArray(), new FixedOffsets(null), TimeProvider.System, null, _directory);

    private sealed class FixedOffsets(long? offset) : IRecordCollector
    {
        public void Send(string topic, byte[]? key, byte[]? value, Headers headers, long timestamp, int? partition)
        {
        }

        public int PartitionCount(string topic) => 1;

        public long? LastOffset(string topic, int partition) => offset;
    }
}
