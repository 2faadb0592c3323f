using System.Buffers.Binary;
using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;

namespace Tributary.Grains.Streams.Dsl.Nodes;

/// <summary>
/// Holds back the updates of a windowed table until their window closes, then forwards each window's final value
/// once (Kafka's KTableSuppressProcessor with <c>untilWindowCloses</c>). A window closes when the processor's stream
/// time reaches its end plus the grace period. The buffer lives in a logged store, so that a task that moves or
/// restarts still emits what it held: its key is the windowed key (key bytes, start, end), its value the update's
/// timestamp then the value's bytes.
/// </summary>
internal sealed class SuppressNode<TKey, TValue>(string name, string storeName, long graceMs, ISerde<TKey>? keySerde, ISerde<TValue>? valueSerde)
    : ProcessorNode(name)
{
    // Windows by end, then by key bytes, as Kafka's time-ordered buffer orders them.
    private readonly SortedSet<(long End, byte[] Key)> _byEnd = new(Comparer<(long End, byte[] Key)>.Create(
        (a, b) => a.End != b.End ? a.End.CompareTo(b.End) : ByteArrayComparer.Instance.Compare(a.Key, b.Key)));

    private readonly Dictionary<Windowed<TKey>, (byte[] Key, TValue Value, long Timestamp)> _buffered = [];
    private IKeyValueStore<byte[], byte[]> _store = null!;
    private ISerde<TKey> _keySerde = null!;
    private ISerde<TValue> _valueSerde = null!;
    private readonly Dictionary<byte[], Windowed<TKey>> _byKey = new(ByteArrayComparer.Instance);
    private long _observedStreamTime = long.MinValue;

    public override void Init(TaskState task)
    {
        base.Init(task);
        _store = (IKeyValueStore<byte[], byte[]>)task.StateManager.GetStore(storeName);
        _keySerde = keySerde ?? SerdeDefaults.As<TKey>(task.DefaultKeySerde, "key", storeName);
        _valueSerde = valueSerde ?? SerdeDefaults.As<TValue>(task.DefaultValueSerde, "value", storeName);
        foreach (var entry in _store.All())
        {
            var (windowed, value, timestamp) = Decode(entry.Key, entry.Value);
            Buffer(windowed, entry.Key, value, timestamp);
        }
    }

    public override void Process(Record<object?, object?> record)
    {
        var windowed = (Windowed<TKey>)record.Key!;
        var change = (Change)record.Value!;
        _observedStreamTime = Math.Max(_observedStreamTime, record.Timestamp);
        var storeKey = EncodeKey(windowed);
        if (change.NewValue is null)
        {
            // A retracted window (a session merged into another) was never final: forget it.
            Unbuffer(windowed);
            _store.Delete(storeKey);
        }
        else
        {
            var value = (TValue)change.NewValue;
            Unbuffer(windowed);
            Buffer(windowed, storeKey, value, record.Timestamp);
            _store.Put(storeKey, EncodeValue(value, record.Timestamp));
        }

        EmitClosed();
    }

    private void EmitClosed()
    {
        while (_byEnd.Count > 0 && _byEnd.Min.End <= _observedStreamTime - graceMs)
        {
            var windowed = _byKey[_byEnd.Min.Key];
            var entry = _buffered[windowed];
            Unbuffer(windowed);
            _store.Delete(entry.Key);
            Forward(new Record<object?, object?>(windowed, new Change(entry.Value, null), entry.Timestamp, []));
        }
    }

    private void Buffer(Windowed<TKey> windowed, byte[] key, TValue value, long timestamp)
    {
        _buffered[windowed] = (key, value, timestamp);
        _byKey[key] = windowed;
        _byEnd.Add((windowed.Window.EndMs, key));
    }

    private void Unbuffer(Windowed<TKey> windowed)
    {
        if (_buffered.Remove(windowed, out var entry))
        {
            _byEnd.Remove((windowed.Window.EndMs, entry.Key));
            _byKey.Remove(entry.Key);
        }
    }

    private byte[] EncodeKey(Windowed<TKey> windowed)
    {
        var key = _keySerde.Serialize(storeName, windowed.Key, null);
        var bytes = new byte[key.Length + 16];
        key.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(key.Length), windowed.Window.StartMs);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(key.Length + 8), windowed.Window.EndMs);
        return bytes;
    }

    private byte[] EncodeValue(TValue value, long timestamp)
    {
        var data = _valueSerde.Serialize(storeName, value, null);
        var bytes = new byte[data.Length + 8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, timestamp);
        data.CopyTo(bytes, 8);
        return bytes;
    }

    private (Windowed<TKey> Key, TValue Value, long Timestamp) Decode(byte[] key, byte[] value)
    {
        var keyLength = key.Length - 16;
        var window = new Window(BinaryPrimitives.ReadInt64BigEndian(key.AsSpan(keyLength)), BinaryPrimitives.ReadInt64BigEndian(key.AsSpan(keyLength + 8)));
        return (
            new Windowed<TKey>(_keySerde.Deserialize(storeName, key[..keyLength], null), window),
            _valueSerde.Deserialize(storeName, value[8..], null),
            BinaryPrimitives.ReadInt64BigEndian(value));
    }
}
