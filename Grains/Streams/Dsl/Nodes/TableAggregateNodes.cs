using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.State;

namespace Tributary.Grains.Streams.Dsl.Nodes;

/// <summary>
/// Maps each change of a table's row to the row's new group (Kafka's KTableRepartitionMap): the old value leaves its
/// old group and the new value joins its new one. When the group is the same, one record carries both, so that the
/// aggregate subtracts before it adds; otherwise the old group's record goes first. A pair with a null key or value
/// is dropped, as Kafka drops it.
/// </summary>
internal sealed class TableRepartitionMapNode<TKey, TValue, TKeyOut, TValueOut>(string name, Func<TKey, TValue, KeyValue<TKeyOut, TValueOut>> selector)
    : ProcessorNode(name)
{
    public override void Process(Record<object?, object?> record)
    {
        var change = (Change)record.Value!;
        var key = As<TKey>(record.Key);
        var newPair = Select(key, change.NewValue);
        var oldPair = Select(key, change.OldValue);
        if (newPair is { } added && oldPair is { } removed && EqualityComparer<TKeyOut>.Default.Equals(added.Key, removed.Key))
        {
            Forward(record with { Key = added.Key, Value = new Change(added.Value, removed.Value) });
            return;
        }

        if (oldPair is { } old)
        {
            Forward(record with { Key = old.Key, Value = new Change(null, old.Value) });
        }

        if (newPair is { } fresh)
        {
            Forward(record with { Key = fresh.Key, Value = new Change(fresh.Value, null) });
        }
    }

    private KeyValue<TKeyOut, TValueOut>? Select(TKey key, object? value) =>
        value is null ? null : selector(key, (TValue)value) is { Key: not null, Value: not null } pair ? pair : null;
}

/// <summary>
/// Keeps each group's aggregate of a table's rows (Kafka's KTableAggregate and KTableReduce): a row's old value is
/// subtracted from its group's aggregate, its new value added (a reduce starts from the first value itself, an
/// aggregate from its initializer), and the change of the aggregate is forwarded, with the latest timestamp of the
/// aggregate's updates.
/// </summary>
internal sealed class TableAggregateNode<TKey, TValue, TAggregate>(
    string name, string storeName, Func<TAggregate>? initializer, Func<TKey, TValue, TAggregate, TAggregate> add, Func<TKey, TValue, TAggregate, TAggregate> subtract)
    : ProcessorNode(name)
{
    private ITimestampedKeyValueStore<TKey, TAggregate> _store = null!;
    private TupleForwarder _forwarder = null!;

    public override void Init(TaskState task)
    {
        base.Init(task);
        var store = task.GetStore(storeName);
        _store = (ITimestampedKeyValueStore<TKey, TAggregate>)store;
        _forwarder = new TupleForwarder(store, this);
    }

    public override void Process(Record<object?, object?> record)
    {
        if (record.Key is null)
        {
            throw new StreamsException($"Record key for KTable aggregate operator with state {storeName} should not be null.");
        }

        var key = (TKey)record.Key;
        var change = (Change)record.Value!;
        var had = _store.TryGet(key, out var old, out var oldTimestamp);
        var (current, hasCurrent) = (old, had);
        if (change.OldValue is not null && had)
        {
            current = subtract(key, (TValue)change.OldValue, old);
        }

        if (change.NewValue is not null)
        {
            var value = (TValue)change.NewValue;
            current = hasCurrent ? add(key, value, current) : initializer is null ? (TAggregate)(object)value! : add(key, value, initializer());
            hasCurrent = true;
        }

        if (!hasCurrent)
        {
            return;
        }

        var timestamp = had ? Math.Max(record.Timestamp, oldTimestamp) : record.Timestamp;
        _store.Put(key, current, timestamp);
        _forwarder.MaybeForward(record with { Value = new Change(current, had ? old : null), Timestamp = timestamp });
    }
}
