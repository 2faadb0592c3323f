using System.Buffers.Binary;
using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;

namespace Tributary.Grains.Streams.Dsl.Nodes;

/// <summary>How a suppression names the keys of its buffer as bytes, and reads them back after a restore.</summary>
internal interface ISuppressKeys
{
    byte[] Encode(object key);

    object Decode(byte[] bytes);
}

/// <summary>
/// Holds back a table's updates and forwards each key's latest one once its time has come (Kafka's
/// <c>KTableSuppressProcessor</c>): a key's buffer time is its window's end (until the window closes) or the time of
/// its first held-back update (a time limit), and it is emitted when the processor's stream time passes that time
/// plus <paramref name="suppressMs"/> (the grace, or the limit). A buffer past its records or bytes limit emits its
/// oldest keys early or stops the application, as its <see cref="BufferConfig"/> says. The buffer lives in a logged
/// store so that a task that moves or restarts still emits what it held: its key is the key's bytes, its value the
/// update's timestamp, the buffer time, and the value's bytes after a 1 (or a lone 0 for a deletion).
/// </summary>
internal sealed class SuppressNode<TValue>(
    string name, string storeName, Func<TaskState, string, ISuppressKeys> keys, Func<object, long, long> bufferTime, long suppressMs,
    BufferConfig buffer, bool dropTombstones, ISerde<TValue>? valueSerde)
    : ProcessorNode(name)
{
    // Keys by buffer time, then by key bytes, as Kafka's time-ordered buffer orders them.
    private readonly SortedSet<(long Time, byte[] Key)> _byTime = new(Comparer<(long Time, byte[] Key)>.Create(
        (a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : ByteArrayComparer.Instance.Compare(a.Key, b.Key)));

    private readonly Dictionary<byte[], Entry> _buffered = new(ByteArrayComparer.Instance);
    private IKeyValueStore<byte[], byte[]> _store = null!;
    private ISuppressKeys _keys = null!;
    private ISerde<TValue> _valueSerde = null!;
    private long _bytes;
    private long _observedStreamTime = long.MinValue;

    public override void Init(TaskState task)
    {
        base.Init(task);
        _store = (IKeyValueStore<byte[], byte[]>)task.StateManager.GetStore(storeName);
        _keys = keys(task, storeName);
        _valueSerde = valueSerde ?? SerdeDefaults.As<TValue>(task.DefaultValueSerde, "value", storeName);
        foreach (var entry in _store.All())
        {
            var timestamp = BinaryPrimitives.ReadInt64BigEndian(entry.Value);
            var time = BinaryPrimitives.ReadInt64BigEndian(entry.Value.AsSpan(8));
            Buffer(entry.Key, new Entry(_keys.Decode(entry.Key), entry.Value[16] == 1 ? entry.Value[17..] : null, timestamp, time));
        }
    }

    public override void Process(Record<object?, object?> record)
    {
        var change = (Change)record.Value!;
        _observedStreamTime = Math.Max(_observedStreamTime, record.Timestamp);
        var key = _keys.Encode(record.Key!);
        var value = change.NewValue is null ? null : _valueSerde.Serialize(storeName, (TValue)change.NewValue, null);

        // A key already held keeps its buffer time: a time limit counts from its first held-back update.
        var time = _buffered.TryGetValue(key, out var held) ? held.Time : bufferTime(record.Key!, record.Timestamp);
        Unbuffer(key);
        Buffer(key, new Entry(record.Key!, value, record.Timestamp, time));
        _store.Put(key, Encode(value, record.Timestamp, time));
        EnforceConstraints();
    }

    private void EnforceConstraints()
    {
        while (_byTime.Count > 0 && _byTime.Min.Time <= _observedStreamTime - suppressMs)
        {
            Emit(_byTime.Min.Key);
        }

        if (!OverCapacity)
        {
            return;
        }

        if (buffer.ShutDownWhenFull)
        {
            throw new StreamsException(
                $"{Name} buffer exceeded its max capacity. Currently [{_buffered.Count}/{buffer.MaxRecords}] records and [{_bytes}/{buffer.MaxBytes}] bytes.");
        }

        while (OverCapacity)
        {
            Emit(_byTime.Min.Key);
        }
    }

    private bool OverCapacity => _buffered.Count > buffer.MaxRecords || _bytes > buffer.MaxBytes;

    private void Emit(byte[] key)
    {
        var entry = _buffered[key];
        Unbuffer(key);
        _store.Delete(key);

        // A window's deletion (a session merged into another) was never a final result: dropped, as Kafka drops it.
        if (entry.Value is not null || !dropTombstones)
        {
            var value = entry.Value is null ? null : (object?)_valueSerde.Deserialize(storeName, entry.Value, null);
            Forward(new Record<object?, object?>(entry.Key, new Change(value, null), entry.Timestamp, []));
        }
    }

    private void Buffer(byte[] key, Entry entry)
    {
        _buffered[key] = entry;
        _byTime.Add((entry.Time, key));
        _bytes += Size(key, entry);
    }

    private void Unbuffer(byte[] key)
    {
        if (_buffered.Remove(key, out var entry))
        {
            _byTime.Remove((entry.Time, key));
            _bytes -= Size(key, entry);
        }
    }

    /// <summary>What a held-back update counts against <c>maxBytes</c>: its key's and value's bytes, and its two times.</summary>
    private static long Size(byte[] key, Entry entry) => key.Length + (entry.Value?.Length ?? 0) + 16;

    private static byte[] Encode(byte[]? value, long timestamp, long time)
    {
        var bytes = new byte[17 + (value?.Length ?? 0)];
        BinaryPrimitives.WriteInt64BigEndian(bytes, timestamp);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(8), time);
        if (value is not null)
        {
            bytes[16] = 1;
            value.CopyTo(bytes, 17);
        }

        return bytes;
    }

    private readonly record struct Entry(object Key, byte[]? Value, long Timestamp, long Time);
}

/// <summary>The keys of a windowed table: the inner key's bytes, the window's start and end (big-endian).</summary>
internal sealed class WindowedSuppressKeys<TKey>(ISerde<TKey> serde, string storeName) : ISuppressKeys
{
    public byte[] Encode(object key)
    {
        var windowed = (Windowed<TKey>)key;
        var inner = serde.Serialize(storeName, windowed.Key, null);
        var bytes = new byte[inner.Length + 16];
        inner.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(inner.Length), windowed.Window.StartMs);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(inner.Length + 8), windowed.Window.EndMs);
        return bytes;
    }

    public object Decode(byte[] bytes)
    {
        var length = bytes.Length - 16;
        var window = new Window(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(length)), BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(length + 8)));
        return new Windowed<TKey>(serde.Deserialize(storeName, bytes[..length], null), window);
    }
}

/// <summary>The keys of a table as its key serde writes them.</summary>
internal sealed class SerdeSuppressKeys<TKey>(ISerde<TKey> serde, string storeName) : ISuppressKeys
{
    public byte[] Encode(object key) => serde.Serialize(storeName, (TKey)key, null);

    public object Decode(byte[] bytes) => serde.Deserialize(storeName, bytes, null)!;
}
