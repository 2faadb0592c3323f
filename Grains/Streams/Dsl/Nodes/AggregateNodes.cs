using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.State;

namespace Tributary.Grains.Streams.Dsl.Nodes;

/// <summary>
/// Folds each record into its key's aggregate in a store and forwards the change (Kafka's KStreamAggregate and
/// KStreamReduce). Records with a null key or value are skipped, as Kafka skips them. The aggregate's timestamp is
/// the latest of its records' (an out-of-order record does not take it back), stored with it and forwarded.
/// </summary>
internal sealed class AggregateNode<TKey, TValue, TAggregate>(
    string name, string storeName, Func<TKey, TValue, TAggregate>? initialize, Func<TKey, TValue, TAggregate, TAggregate> add) : ProcessorNode(name)
{
    private ITimestampedKeyValueStore<TKey, TAggregate> _store = null!;
    private TupleForwarder _forwarder = null!;

    public override void Init(TaskState task)
    {
        base.Init(task);
        var store = task.StateManager.GetStore(storeName);
        _store = (ITimestampedKeyValueStore<TKey, TAggregate>)store;
        _forwarder = new TupleForwarder(store, this);
    }

    public override void Process(Record<object?, object?> record)
    {
        if (record.Key is null || record.Value is null)
        {
            return;
        }

        var key = (TKey)record.Key;
        var value = (TValue)record.Value;
        var had = _store.TryGet(key, out var old, out var oldTimestamp);
        // A reduce starts from the first value itself; an aggregate from its initializer.
        var updated = had ? add(key, value, old) : initialize is null ? (TAggregate)(object)value! : add(key, value, initialize(key, value));
        var timestamp = had ? Math.Max(record.Timestamp, oldTimestamp) : record.Timestamp;
        _store.Put(key, updated, timestamp);
        _forwarder.MaybeForward(record with { Value = new Change(updated, had ? old : null), Timestamp = timestamp });
    }
}

/// <summary>Turns a stream into a table: each record is its key's latest value (Kafka's KStreamToTable).</summary>
internal sealed class ToTableNode<TKey, TValue>(string name, string storeName) : ProcessorNode(name)
{
    private IKeyValueStore<TKey, TValue> _store = null!;
    private TupleForwarder _forwarder = null!;

    public override void Init(TaskState task)
    {
        base.Init(task);
        var store = task.GetStore(storeName);
        _store = (IKeyValueStore<TKey, TValue>)store;
        _forwarder = new TupleForwarder(store, this);
    }

    public override void Process(Record<object?, object?> record)
    {
        if (record.Key is null)
        {
            return;
        }

        var key = (TKey)record.Key;
        var had = _store.TryGet(key, out var old);
        _store.Put(key, As<TValue>(record.Value));
        if (record.Value is not null || had)
        {
            _forwarder.MaybeForward(record with { Value = new Change(record.Value, had ? old : null) });
        }
    }
}

/// <summary>A table's changes as a stream of new values (Kafka's KTableToStream / KTableMapValues... for streams).</summary>
internal sealed class TableToStreamNode(string name) : ProcessorNode(name)
{
    public override void Process(Record<object?, object?> record) => Forward(record with { Value = ((Change)record.Value!).NewValue });
}

/// <summary>Keeps the rows of a table that satisfy a predicate; a row that stops satisfying it is deleted downstream (Kafka's KTableFilter).</summary>
internal sealed class TableFilterNode<TKey, TValue>(string name, Func<TKey, TValue, bool> predicate, bool not) : ProcessorNode(name)
{
    public override void Process(Record<object?, object?> record)
    {
        var change = (Change)record.Value!;
        var key = As<TKey>(record.Key);
        var newValue = Keep(key, change.NewValue) ? change.NewValue : null;
        var oldValue = Keep(key, change.OldValue) ? change.OldValue : null;
        if (newValue is null && oldValue is null)
        {
            return;
        }

        Forward(record with { Value = new Change(newValue, oldValue) });
    }

    private bool Keep(TKey key, object? value) => value is not null && predicate(key, (TValue)value) != not;
}

/// <summary>Maps the values of a table's rows, old and new (Kafka's KTableMapValues).</summary>
internal sealed class TableMapValuesNode<TKey, TValue, TValueOut>(string name, Func<TKey, TValue, TValueOut> mapper) : ProcessorNode(name)
{
    public override void Process(Record<object?, object?> record)
    {
        var change = (Change)record.Value!;
        var key = As<TKey>(record.Key);
        Forward(record with
        {
            Value = new Change(
                change.NewValue is null ? null : mapper(key, (TValue)change.NewValue),
                change.OldValue is null ? null : mapper(key, (TValue)change.OldValue)),
        });
    }
}
