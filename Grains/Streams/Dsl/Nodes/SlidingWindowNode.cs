using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.State;

namespace Tributary.Grains.Streams.Dsl.Nodes;

/// <summary>
/// Folds each record into the sliding windows of its key (Kafka's KStreamSlidingWindowAggregate): it updates every
/// existing window that holds it, creates its own left window [t - d, t] (starting from the aggregate of the records
/// before it that fall there), its right window [t + 1, t + 1 + d] when later records already fall there, and the
/// right window of the record before it when this one falls there. Records earlier than d share the window [0, d].
/// Windows are kept with the time of their latest record; a record whose left window has closed is dropped.
/// </summary>
internal sealed class SlidingWindowAggregateNode<TKey, TValue, TAggregate>(
    string name, string storeName, SlidingWindows windows, Func<TAggregate>? initializer, Func<TKey, TValue, TAggregate, TAggregate> add) : ProcessorNode(name)
{
    private readonly long _difference = windows.TimeDifferenceMs;
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
        if (record.Key is null || record.Value is null)
        {
            return;
        }

        var update = new Update((TKey)record.Key, (TValue)record.Value, record);
        _observedStreamTime = Math.Max(_observedStreamTime, record.Timestamp);
        var closeTime = _observedStreamTime - windows.GraceMs;
        if (record.Timestamp + _difference < closeTime)
        {
            return;
        }

        if (record.Timestamp < _difference)
        {
            ProcessEarly(update, closeTime);
        }
        else
        {
            ProcessInOrder(update, closeTime);
        }
    }

    private void ProcessInOrder(Update update, long closeTime)
    {
        var timestamp = update.Record.Timestamp;
        var starts = new HashSet<long>();
        Stored? left = null;
        Stored? right = null;
        var leftExists = false;
        var rightExists = false;
        long? previous = null;
        foreach (var (start, value, latest) in _store.FetchWithTimestamps(update.Key, Math.Max(0, timestamp - 2 * _difference), timestamp + 1).ToList())
        {
            starts.Add(start);
            var end = start + _difference;
            var stored = new Stored(value, latest);
            if (end < timestamp)
            {
                left = stored;
                previous = latest;
            }
            else if (end == timestamp)
            {
                leftExists = true;
                if (latest < timestamp)
                {
                    previous = latest;
                }

                Apply(update, start, stored, created: false, closeTime);
            }
            else if (start <= timestamp)
            {
                right = stored;
                Apply(update, start, stored, created: false, closeTime);
            }
            else if (start == timestamp + 1)
            {
                rightExists = true;
            }
            else
            {
                throw new StreamsException($"Unexpected window with start {start} found when processing record at {timestamp} for sliding windows");
            }
        }

        if (previous is { } before && !starts.Contains(before + 1) && before + 1 + _difference >= timestamp)
        {
            // The record before this one gets its right window, now that this record falls in it.
            Apply(update, before + 1, Initial(timestamp), created: true, closeTime);
        }

        if (!leftExists)
        {
            var start = previous is { } p && timestamp - _difference <= p ? new Stored(left!.Value.Value, timestamp) : Initial(timestamp);
            Apply(update, timestamp - _difference, start, created: true, closeTime);
        }

        if (!rightExists && right is { } later && later.Timestamp > timestamp)
        {
            CreateRightWindow(update, later);
        }
    }

    /// <summary>A record earlier than the time difference: its left window would start before 0, so it goes to [0, d].</summary>
    private void ProcessEarly(Update update, long closeTime)
    {
        var timestamp = update.Record.Timestamp;
        var starts = new HashSet<long>();
        Stored? combined = null;
        Stored? right = null;
        var rightExists = false;
        long? previous = null;
        foreach (var (start, value, latest) in _store.FetchWithTimestamps(update.Key, 0, timestamp + 1).ToList())
        {
            starts.Add(start);
            var stored = new Stored(value, latest);
            if (start == 0)
            {
                combined = stored;
                if (latest < timestamp)
                {
                    previous = latest;
                }
            }
            else if (start <= timestamp)
            {
                right = stored;
                Apply(update, start, stored, created: false, closeTime);
            }
            else if (start == timestamp + 1)
            {
                rightExists = true;
            }
            else
            {
                throw new StreamsException($"Unexpected window with start {start} found when processing record at {timestamp} for sliding windows");
            }
        }

        // Without a right window found, the combined window can only hold records after this one: its aggregate is the right window's.
        if (right is null && combined is { } all && all.Timestamp > timestamp)
        {
            right = all;
        }

        if (!rightExists && right is { } later && later.Timestamp > timestamp)
        {
            CreateRightWindow(update, later);
        }

        if (previous is { } before && !starts.Contains(before + 1))
        {
            Apply(update, before + 1, Initial(timestamp), created: true, closeTime);
        }

        Apply(update, 0, combined ?? Initial(timestamp), created: combined is null, closeTime);
    }

    /// <summary>The record's right window, holding what the later records it saw hold; the record itself is not in it.</summary>
    private void CreateRightWindow(Update update, Stored later)
    {
        var start = update.Record.Timestamp + 1;
        _store.Put(update.Key, later.Value, start, later.Timestamp);
        _forwarder.MaybeForward(new Record<object?, object?>(
            new Windowed<TKey>(update.Key, new Window(start, start + _difference)), new Change(later.Value, null), later.Timestamp, update.Record.Headers));
    }

    /// <summary>Folds the record into a window (a new one starts from <paramref name="current"/>) and forwards the change, unless the window has closed.</summary>
    private void Apply(Update update, long start, Stored? current, bool created, long closeTime)
    {
        var end = start + _difference;
        if (end < closeTime)
        {
            return;
        }

        var record = update.Record;
        // A reduce starts a window from its first value; an aggregate from its initializer.
        var updated = current is { } c ? add(update.Key, update.Value, c.Value) : (TAggregate)(object)update.Value!;
        var timestamp = current is { } existing ? Math.Max(record.Timestamp, existing.Timestamp) : record.Timestamp;
        _store.Put(update.Key, updated, start, timestamp);
        _forwarder.MaybeForward(new Record<object?, object?>(
            new Windowed<TKey>(update.Key, new Window(start, end)), new Change(updated, created || current is null ? null : current.Value.Value), timestamp, record.Headers));
    }

    /// <summary>What a new window starts from: the initializer's aggregate, or nothing for a reduce.</summary>
    private Stored? Initial(long timestamp) => initializer is null ? null : new Stored(initializer(), timestamp);

    /// <summary>A window's aggregate and the time of its latest record.</summary>
    private readonly record struct Stored(TAggregate Value, long Timestamp);

    private readonly record struct Update(TKey Key, TValue Value, Record<object?, object?> Record);
}
