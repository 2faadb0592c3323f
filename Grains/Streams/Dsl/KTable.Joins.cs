using Tributary.Grains.Streams.Dsl.Nodes;
using Tributary.Grains.Streams.Internals;

namespace Tributary.Grains.Streams.Dsl;

public sealed partial class KTable<TKey, TValue>
{
    /// <summary>The rows whose key both tables have, joined (Kafka's table-table inner join).</summary>
    public KTable<TKey, TResult> Join<TOther, TResult>(KTable<TKey, TOther> other, Func<TValue, TOther, TResult> joiner, Named? named = null) =>
        DoJoin(other, joiner, TableJoinKind.Inner, named);

    /// <summary>Every row of this table, joined with the other's row of its key when there is one.</summary>
    public KTable<TKey, TResult> LeftJoin<TOther, TResult>(KTable<TKey, TOther> other, Func<TValue, TOther?, TResult> joiner, Named? named = null) =>
        DoJoin(other, (left, right) => joiner(left, right), TableJoinKind.Left, named);

    /// <summary>Every key of either table, joined with what the other has of it.</summary>
    public KTable<TKey, TResult> OuterJoin<TOther, TResult>(
        KTable<TKey, TOther> other, Func<TValue?, TOther?, TResult> joiner, Named? named = null) =>
        DoJoin(other, (left, right) => joiner(left, right), TableJoinKind.Outer, named);

    private KTable<TKey, TResult> DoJoin<TOther, TResult>(KTable<TKey, TOther> other, Func<TValue, TOther, TResult> joiner, TableJoinKind kind, Named? named)
    {
        var (thisPrefix, otherPrefix) = kind switch
        {
            TableJoinKind.Inner => ("KTABLE-JOINTHIS-", "KTABLE-JOINOTHER-"),
            TableJoinKind.Left => ("KTABLE-LEFTTHIS-", "KTABLE-LEFTOTHER-"),
            _ => ("KTABLE-OUTERTHIS-", "KTABLE-OUTEROTHER-"),
        };
        // Kafka's order of generated numbers: the merge, then this side, then the other side.
        var mergeName = _builder.NameOrNew(named?.Name, "KTABLE-MERGE-");
        var thisName = _builder.NameOrNew(named is null ? null : named.Name + "-join-this", thisPrefix);
        var otherName = _builder.NameOrNew(named is null ? null : named.Name + "-join-other", otherPrefix);
        Func<object?, object?, object?> join = (left, right) => joiner(Cast<TValue>(left), Cast<TOther>(right));
        Func<object?, object?, object?> reversed = (right, left) => joiner(Cast<TValue>(left), Cast<TOther>(right));

        _builder.Topology.AddCopartitionGroup(Name, other.Name);
        var thisGetter = Getter;
        var otherGetter = other.Getter;
        _builder.Topology.AddProcessorNode(
            thisName, n => new TableTableJoinNode(n, otherGetter, join, Outcome(kind, thisSide: true)), Name);
        _builder.Topology.ConnectProcessorAndStateStores(thisName, [.. other.Getter.Stores]);
        _builder.Topology.AddProcessorNode(
            otherName, n => new TableTableJoinNode(n, thisGetter, reversed, Outcome(kind, thisSide: false)), other.Name);
        _builder.Topology.ConnectProcessorAndStateStores(otherName, [.. Getter.Stores]);
        _builder.Topology.AddProcessorNode(mergeName, n => new PassThroughNode(n), thisName, otherName);

        var resultGetter = new TableValueGetter([.. Getter.Stores, .. other.Getter.Stores], task =>
        {
            var left = thisGetter.Make(task);
            var right = otherGetter.Make(task);
            return key => TableTableJoinNode.Join(left(key), right(key), join, kind);
        });
        return new KTable<TKey, TResult>(_builder, mergeName, KeySerde, null, null, resultGetter);
    }

    private static T Cast<T>(object? value) => value is null ? default! : (T)value;

    /// <summary>Whether a side's change with no row on the looked-up side still yields a row.</summary>
    private static TableJoinSide Outcome(TableJoinKind kind, bool thisSide) => new(
        kind,
        EmitWithoutOther: kind == TableJoinKind.Outer || (kind == TableJoinKind.Left && thisSide),
        EmitWithoutThis: kind == TableJoinKind.Outer || (kind == TableJoinKind.Left && !thisSide));
}
