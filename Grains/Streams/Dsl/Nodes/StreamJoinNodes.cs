using System.Buffers.Binary;
using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;

namespace Tributary.Grains.Streams.Dsl.Nodes;

/// <summary>Stream time as both sides of one stream-stream join see it, and the earliest record waiting for an outer result.</summary>
internal sealed class JoinTimeTracker
{
    public long StreamTime { get; private set; } = long.MinValue;

    public long MinTime { get; set; } = long.MaxValue;

    public void Advance(long timestamp) => StreamTime = Math.Max(StreamTime, timestamp);
}

/// <summary>Keeps each record of one side of a stream-stream join in that side's window store, then passes it on (Kafka's KStreamJoinWindow).</summary>
internal sealed class JoinWindowNode<TKey, TValue>(string name, string storeName, ISerde<TKey>? keySerde, ISerde<TValue>? valueSerde) : ProcessorNode(name)
{
    private IJoinWindowStore _store = null!;
    private ISerde<TKey> _keySerde = null!;
    private ISerde<TValue> _valueSerde = null!;

    public override void Init(TaskState task)
    {
        base.Init(task);
        _store = (IJoinWindowStore)task.StateManager.GetStore(storeName);
        _keySerde = keySerde ?? SerdeDefaults.As<TKey>(task.DefaultKeySerde, "key", storeName);
        _valueSerde = valueSerde ?? SerdeDefaults.As<TValue>(task.DefaultValueSerde, "value", storeName);
    }

    public override void Process(Record<object?, object?> record)
    {
        if (record.Key is not null && record.Value is not null)
        {
            _store.Put(_keySerde.Serialize(storeName, (TKey)record.Key, null), _valueSerde.Serialize(storeName, (TValue)record.Value, null), record.Timestamp);
        }

        Forward(record);
    }
}

/// <summary>
/// One side of a stream-stream join (Kafka's KStreamKStreamJoin): each record is joined with the other side's
/// records of its key within the join window. With an outer side, a record that found no partner waits in the
/// shared outer store and is emitted with a null partner once its window has closed, unless a partner arrives
/// first. The joiner always takes (left, right).
/// </summary>
internal sealed class StreamStreamJoinNode<TKey, TThis, TOther>(
    string name,
    string sharedName,
    string otherStoreName,
    string? outerStoreName,
    bool isLeftSide,
    bool outer,
    JoinWindows windows,
    ISerde<TKey>? keySerde,
    ISerde<TThis>? thisSerde,
    ISerde<TOther>? otherSerde,
    Func<object?, object?, object?> joiner) : ProcessorNode(name)
{
    private IJoinWindowStore _other = null!;
    private IKeyValueStore<byte[], byte[]>? _outer;
    private JoinTimeTracker _time = null!;
    private ISerde<TKey> _keySerde = null!;
    private ISerde<TThis> _thisSerde = null!;
    private ISerde<TOther> _otherSerde = null!;

    // From this side: the other side's records from t - before to t + after join a record at t.
    private long Before => isLeftSide ? windows.BeforeMs : windows.AfterMs;

    private long After => isLeftSide ? windows.AfterMs : windows.BeforeMs;

    public override void Init(TaskState task)
    {
        base.Init(task);
        _other = (IJoinWindowStore)task.StateManager.GetStore(otherStoreName);
        _outer = outerStoreName is null ? null : (IKeyValueStore<byte[], byte[]>)task.StateManager.GetStore(outerStoreName);
        if (!task.Shared.TryGetValue(sharedName, out var tracker))
        {
            tracker = new JoinTimeTracker();
            task.Shared.Add(sharedName, tracker);
        }

        _time = (JoinTimeTracker)tracker;
        _keySerde = keySerde ?? SerdeDefaults.As<TKey>(task.DefaultKeySerde, "key", otherStoreName);
        _thisSerde = thisSerde ?? SerdeDefaults.As<TThis>(task.DefaultValueSerde, "value", Name);
        _otherSerde = otherSerde ?? SerdeDefaults.As<TOther>(task.DefaultValueSerde, "value", otherStoreName);
    }

    public override void Process(Record<object?, object?> record)
    {
        var timestamp = record.Timestamp;
        _time.Advance(timestamp);
        if (record.Key is null || record.Value is null)
        {
            if (outer && record.Key is null && record.Value is not null)
            {
                Forward(record with { Value = Join(record.Value, null) });
            }

            return;
        }

        if (timestamp == _time.StreamTime && _outer is not null)
        {
            EmitClosedOuterRecords();
        }

        var key = _keySerde.Serialize(otherStoreName, (TKey)record.Key, null);
        var from = Math.Max(0, timestamp - Before);
        var to = Math.Max(0, timestamp + After);
        var partners = _other.Fetch(key, from, to);
        foreach (var (partnerTime, partnerBytes) in partners)
        {
            var partner = _otherSerde.Deserialize(otherStoreName, partnerBytes, null);
            Forward(record with { Value = Join(record.Value, partner), Timestamp = Math.Max(timestamp, partnerTime) });
            // The partner found its match: it no longer waits for an outer result.
            _outer?.Delete(OuterKey(partnerTime, !isLeftSide, key));
        }

        if (partners.Count == 0 && outer)
        {
            if (_outer is null || to < _time.StreamTime)
            {
                Forward(record with { Value = Join(record.Value, null) });
            }
            else
            {
                _time.MinTime = Math.Min(_time.MinTime, timestamp);
                var outerKey = OuterKey(timestamp, isLeftSide, key);
                var waiting = _outer.Get(outerKey) ?? [];
                _outer.Put(outerKey, AppendValue(waiting, _thisSerde.Serialize(otherStoreName, (TThis)record.Value, null)));
            }
        }
    }

    private object? Join(object? thisValue, object? otherValue) => isLeftSide ? joiner(thisValue, otherValue) : joiner(otherValue, thisValue);

    /// <summary>Emits, with a null partner, the waiting records whose join window has closed.</summary>
    private void EmitClosedOuterRecords()
    {
        if (_time.MinTime + Math.Max(windows.AfterMs, windows.BeforeMs) + windows.GraceMs >= _time.StreamTime)
        {
            return;
        }

        _time.MinTime = long.MaxValue;
        foreach (var entry in _outer!.All())
        {
            var timestamp = BinaryPrimitives.ReadInt64BigEndian(entry.Key);
            var leftSide = entry.Key[8] == 1;
            var lookBack = leftSide ? windows.AfterMs : windows.BeforeMs;
            if (timestamp + lookBack + windows.GraceMs >= _time.StreamTime)
            {
                _time.MinTime = Math.Min(_time.MinTime, timestamp);
                continue;
            }

            var key = _keySerde.Deserialize(otherStoreName, entry.Key[9..], null);
            foreach (var bytes in Values(entry.Value))
            {
                // The waiting record's own side decides which argument of the joiner it is.
                var value = leftSide == isLeftSide
                    ? (object?)_thisSerde.Deserialize(otherStoreName, bytes, null)
                    : _otherSerde.Deserialize(otherStoreName, bytes, null);
                var joined = leftSide ? joiner(value, null) : joiner(null, value);
                Forward(new Record<object?, object?>(key, joined, timestamp, []));
            }

            _outer.Delete(entry.Key);
        }
    }

    /// <summary>The outer store's key, as Kafka's TimestampedKeyAndJoinSide: 8-byte timestamp, a side byte (1 = left), the key.</summary>
    private static byte[] OuterKey(long timestamp, bool leftSide, byte[] key)
    {
        var bytes = new byte[key.Length + 9];
        BinaryPrimitives.WriteInt64BigEndian(bytes, timestamp);
        bytes[8] = leftSide ? (byte)1 : (byte)0;
        key.CopyTo(bytes, 9);
        return bytes;
    }

    private static byte[] AppendValue(byte[] list, byte[] value)
    {
        var bytes = new byte[list.Length + 4 + value.Length];
        list.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(list.Length), value.Length);
        value.CopyTo(bytes, list.Length + 4);
        return bytes;
    }

    private static IEnumerable<byte[]> Values(byte[] list)
    {
        for (var offset = 0; offset < list.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(list.AsSpan(offset));
            yield return list.AsSpan(offset + 4, length).ToArray();
            offset += 4 + length;
        }
    }
}
