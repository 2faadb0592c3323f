using Tributary.Grains.Streams.Dsl.Nodes;

namespace Tributary.Grains.Streams.Dsl;

public sealed partial class KStream<TKey, TValue>
{
    /// <summary>Joins each record with the table's current value of its key; records whose key the table lacks are dropped.</summary>
    public KStream<TKey, TResult> Join<TTable, TResult>(KTable<TKey, TTable> table, Func<TValue, TTable, TResult> joiner, Joined<TKey, TValue, TTable>? joined = null) =>
        JoinTable(table, joiner, left: false, joined);

    /// <summary>Joins each record with the table's current value of its key, or with null when it has none.</summary>
    public KStream<TKey, TResult> LeftJoin<TTable, TResult>(
        KTable<TKey, TTable> table, Func<TValue, TTable?, TResult> joiner, Joined<TKey, TValue, TTable>? joined = null) =>
        JoinTable(table, (value, tableValue) => joiner(value, tableValue), left: true, joined);

    /// <summary>
    /// Joins each record with the global table's value of the key <paramref name="keySelector"/> maps it to; records
    /// it has no value for are dropped. No repartitioning: every instance holds the whole global table.
    /// </summary>
    public KStream<TKey, TResult> Join<TGlobalKey, TGlobalValue, TResult>(
        GlobalKTable<TGlobalKey, TGlobalValue> globalTable, Func<TKey, TValue, TGlobalKey> keySelector, Func<TValue, TGlobalValue, TResult> joiner, Named? named = null) =>
        JoinGlobalTable(globalTable, keySelector, joiner, left: false, named);

    /// <summary>Joins each record with the global table's value of the key it maps to, or with null when it has none.</summary>
    public KStream<TKey, TResult> LeftJoin<TGlobalKey, TGlobalValue, TResult>(
        GlobalKTable<TGlobalKey, TGlobalValue> globalTable, Func<TKey, TValue, TGlobalKey> keySelector, Func<TValue, TGlobalValue?, TResult> joiner, Named? named = null) =>
        JoinGlobalTable(globalTable, keySelector, (value, tableValue) => joiner(value, tableValue), left: true, named);

    private KStream<TKey, TResult> JoinGlobalTable<TGlobalKey, TGlobalValue, TResult>(
        GlobalKTable<TGlobalKey, TGlobalValue> globalTable, Func<TKey, TValue, TGlobalKey> keySelector, Func<TValue, TGlobalValue, TResult> joiner, bool left, Named? named)
    {
        ArgumentNullException.ThrowIfNull(globalTable);
        ArgumentNullException.ThrowIfNull(keySelector);
        // Kafka names both global-table joins KSTREAM-LEFTJOIN-.
        var name = _builder.NameOrNew(named?.Name, "KSTREAM-LEFTJOIN-");
        var getter = globalTable.Getter;
        _builder.Topology.AddProcessorNode(
            name,
            n => new StreamTableJoinNode<TValue, TGlobalValue, TResult>(n, getter, joiner, left, (key, value) => keySelector(key is null ? default! : (TKey)key, value is null ? default! : (TValue)value)),
            Name);
        return new KStream<TKey, TResult>(_builder, name, KeySerde, null, RepartitionRequired);
    }

    private KStream<TKey, TResult> JoinTable<TTable, TResult>(
        KTable<TKey, TTable> table, Func<TValue, TTable, TResult> joiner, bool left, Joined<TKey, TValue, TTable>? joined)
    {
        var name = _builder.NameOrNew(joined?.Name, left ? "KSTREAM-LEFTJOIN-" : "KSTREAM-JOIN-");
        var keySerde = joined?.KeySerde ?? KeySerde;
        var valueSerde = joined?.ValueSerde ?? ValueSerde;
        // A stream whose key changed is repartitioned first, so that each record meets the table's partition of its key.
        var parent = RepartitionRequired ? RepartitionedSource(name, keySerde, valueSerde, null, null) : Name;
        _builder.Topology.AddCopartitionGroup(parent, table.Name);
        var getter = table.Getter;
        _builder.Topology.AddProcessorNode(name, n => new StreamTableJoinNode<TValue, TTable, TResult>(n, getter, joiner, left), parent);
        _builder.Topology.ConnectProcessorAndStateStores(name, [.. getter.Stores]);
        return new KStream<TKey, TResult>(_builder, name, keySerde, null, repartitionRequired: false);
    }
}
