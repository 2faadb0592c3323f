using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.State;

namespace Tributary.Grains.Streams.Dsl.Nodes;

/// <summary>
/// Folds each record into every time window it falls in (Kafka's KStreamWindowAggregate): a window accepts records
/// until the processor's stream time passes its end by the grace period; later records for it are dropped. Each
/// update is forwarded with the window as part of the key and the latest record time of the window as its time.
/// </summary>
internal sealed class TimeWindowAggregateNode<TKey, TValue, TAggregate>(
    string name, string storeName, TimeWindows windows, Func<TAggregate>? initializer, Func<TKey, TValue, TAggregate, TAggregate> add) : ProcessorNode(name)
{
    private MeteredWindowStore<TKey, TAggregate> _store = null!;
    private TupleForwarder _forwarder = null!;
    private long _observedStreamTime = long.MinValue;

    public override void Init(TaskState task)
    {
        base.Init(task);
        _store = (MeteredWindowStore<TKey, TAggregate>)task.StateManager.GetStore(storeName);
        _forwarder = new TupleForwarder(_store, this);
    }

    public override void Process(Record<object?, object?> record)
    {
        if (record.Key is null)
        {
            return;
        }

        var key = (TKey)record.Key;
        var value = As<TValue>(record.Value);
        _observedStreamTime = Math.Max(_observedStreamTime, record.Timestamp);
        var closeTime = _observedStreamTime - windows.GraceMs;
        foreach (var window in windows.WindowsFor(record.Timestamp))
        {
            if (window.EndMs <= closeTime)
            {
                continue;
            }

            var had = _store.TryFetch(key, window.StartMs, out var old, out var oldTimestamp);
            TAggregate updated;
            if (had)
            {
                updated = add(key, value, old);
            }
            else if (initializer is not null)
            {
                updated = add(key, value, initializer());
            }
            else if (value is null)
            {
                // A reduce has nothing to start a window from.
                continue;
            }
            else
            {
                updated = (TAggregate)(object)value;
            }

            var timestamp = had ? Math.Max(record.Timestamp, oldTimestamp) : record.Timestamp;
            _store.Put(key, updated, window.StartMs, timestamp);
            _forwarder.MaybeForward(new Record<object?, object?>(
                new Windowed<TKey>(key, window), new Change(updated, had ? old : null), timestamp, record.Headers));
        }
    }
}

/// <summary>
/// Folds each record into its key's session (Kafka's KStreamSessionWindowAggregate): the sessions of the key within
/// the inactivity gap of the record are merged with it into one; the merged ones are retracted downstream. A session
/// that ends before stream time minus gap and grace takes no more records.
/// </summary>
internal sealed class SessionWindowAggregateNode<TKey, TValue, TAggregate>(
    string name, string storeName, SessionWindows windows, Func<TAggregate>? initializer, Func<TKey, TValue, TAggregate, TAggregate> add,
    Func<TKey, TAggregate, TAggregate, TAggregate> merge) : ProcessorNode(name)
{
    private ISessionStore<TKey, TAggregate> _store = null!;
    private TupleForwarder _forwarder = null!;
    private long _observedStreamTime = long.MinValue;

    public override void Init(TaskState task)
    {
        base.Init(task);
        var store = task.StateManager.GetStore(storeName);
        _store = (ISessionStore<TKey, TAggregate>)store;
        _forwarder = new TupleForwarder(store, this);
    }

    public override void Process(Record<object?, object?> record)
    {
        if (record.Key is null)
        {
            return;
        }

        var key = (TKey)record.Key;
        var timestamp = record.Timestamp;
        _observedStreamTime = Math.Max(_observedStreamTime, timestamp);
        var closeTime = _observedStreamTime - windows.GraceMs - windows.InactivityGapMs;

        var merged = _store.FindSessions(key, timestamp - windows.InactivityGapMs, timestamp + windows.InactivityGapMs).ToList();
        var start = timestamp;
        var end = timestamp;
        var hasAggregate = initializer is not null;
        var aggregate = initializer is null ? default! : initializer();
        foreach (var session in merged)
        {
            aggregate = hasAggregate ? merge(key, aggregate, session.Value) : session.Value;
            hasAggregate = true;
            start = Math.Min(start, session.Key.Window.StartMs);
            end = Math.Max(end, session.Key.Window.EndMs);
        }

        var value = As<TValue>(record.Value);
        if (end < closeTime || (!hasAggregate && value is null))
        {
            return;
        }

        // As Kafka: when the record widened anything, every merged session is retracted before the merged one is written.
        if (start != timestamp || end != timestamp)
        {
            foreach (var session in merged)
            {
                _store.Remove(session.Key);
                _forwarder.MaybeForward(new Record<object?, object?>(session.Key, new Change(null, session.Value), session.Key.Window.EndMs, record.Headers));
            }
        }

        aggregate = hasAggregate ? add(key, value, aggregate) : (TAggregate)(object)value!;
        var sessionKey = new Windowed<TKey>(key, new Window(start, end));
        _store.Put(sessionKey, aggregate);
        _forwarder.MaybeForward(new Record<object?, object?>(sessionKey, new Change(aggregate, null), end, record.Headers));
    }
}
