using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;

namespace Tributary.Grains.Streams.Dsl.Nodes;

internal enum TableJoinKind
{
    Inner,
    Left,
    Outer,
}

/// <param name="EmitWithoutOther">a change of this side yields a row when the other side has none (left or outer)</param>
/// <param name="EmitWithoutThis">a change of this side that deletes its row still yields a row of the other side's value (outer, or the right of a left join)</param>
internal sealed record TableJoinSide(TableJoinKind Kind, bool EmitWithoutOther, bool EmitWithoutThis);

/// <summary>
/// One side of a table-table join (Kafka's KTableKTable*Join processors): a change of this side is joined with the
/// other side's current value of the key, for the new value and for the old one, so the result retracts what it
/// replaced. The joiner takes (this side, other side). A result joined with the other side's row takes the later of
/// both rows' times, as Kafka's.
/// </summary>
internal sealed class TableTableJoinNode(string name, Dsl.TableValueGetter other, Func<object?, object?, object?> joiner, TableJoinSide side)
    : ProcessorNode(name)
{
    private Func<object, object?> _other = null!;
    private Func<object, long>? _otherTimestamp;

    public override void Init(TaskState task)
    {
        base.Init(task);
        _other = other.Make(task);
        _otherTimestamp = other.MakeTimestamp?.Invoke(task);
    }

    public override void Process(Record<object?, object?> record)
    {
        if (record.Key is null)
        {
            return;
        }

        var change = (Change)record.Value!;
        var otherValue = _other(record.Key);
        if (otherValue is null && !side.EmitWithoutOther)
        {
            return;
        }

        var newValue = Result(change.NewValue, otherValue);
        var oldValue = Result(change.OldValue, otherValue);
        if (newValue is null && oldValue is null)
        {
            return;
        }

        var timestamp = otherValue is not null && _otherTimestamp is { } otherTime ? Math.Max(record.Timestamp, otherTime(record.Key)) : record.Timestamp;
        Forward(record with { Value = new Change(newValue, oldValue), Timestamp = timestamp });
    }

    /// <summary>The join of both sides' values of one key by the kind of join, null when it has no row.</summary>
    public static object? Join(object? left, object? right, Func<object?, object?, object?> joiner, TableJoinKind kind) => kind switch
    {
        TableJoinKind.Inner => left is not null && right is not null ? joiner(left, right) : null,
        TableJoinKind.Left => left is not null ? joiner(left, right) : null,
        _ => left is not null || right is not null ? joiner(left, right) : null,
    };

    private object? Result(object? thisValue, object? otherValue) =>
        thisValue is not null
            ? joiner(thisValue, otherValue)
            : side.EmitWithoutThis && otherValue is not null ? joiner(null, otherValue) : null;
}

/// <summary>
/// Joins each stream record with a table's current value (Kafka's KStreamKTableJoinProcessor): of the record's key for
/// a table, of the key <paramref name="keyMapper"/> maps it to for a global table. An inner join drops records the
/// table has no value for; a left join passes them with a null table value. A record with a null value, or a null
/// join key, is dropped, except that a left join passes a record with a null key and a value.
/// </summary>
internal sealed class StreamTableJoinNode<TValue, TTable, TResult>(
    string name, Dsl.TableValueGetter table, Func<TValue, TTable, TResult> joiner, bool left, Func<object?, object?, object?>? keyMapper = null)
    : ProcessorNode(name)
{
    private Func<object, object?> _table = null!;

    public override void Init(TaskState task)
    {
        base.Init(task);
        _table = table.Make(task);
    }

    public override void Process(Record<object?, object?> record)
    {
        var joinKey = keyMapper is null ? record.Key : keyMapper(record.Key, record.Value);
        var passesWithoutKey = left && record.Key is null && record.Value is not null;
        if (!passesWithoutKey && (joinKey is null || record.Value is null))
        {
            return;
        }

        var tableValue = joinKey is null ? null : _table(joinKey);
        if (tableValue is null && !left)
        {
            return;
        }

        Forward(record with { Value = joiner((TValue)record.Value!, As<TTable>(tableValue)) });
    }
}
