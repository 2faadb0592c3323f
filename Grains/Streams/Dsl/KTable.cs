using Tributary.Grains.Streams.Dsl.Nodes;
using Tributary.Grains.Streams.Serialization;

namespace Tributary.Grains.Streams.Dsl;

/// <summary>
/// A table: the latest value of each key, as a changelog of updates (Kafka's <c>KTable</c>). Between its processors
/// each update carries the key's new and old value, so that a filter can retract a row it no longer keeps; a join
/// looks the other side up through its value getter.
/// </summary>
public sealed partial class KTable<TKey, TValue>
{
    private readonly StreamsBuilder _builder;

    internal KTable(StreamsBuilder builder, string name, ISerde<TKey>? keySerde, ISerde<TValue>? valueSerde, string? storeName, TableValueGetter getter)
    {
        _builder = builder;
        Name = name;
        KeySerde = keySerde;
        ValueSerde = valueSerde;
        QueryableStoreName = storeName;
        Getter = getter;
    }

    internal string Name { get; }

    internal ISerde<TKey>? KeySerde { get; }

    internal ISerde<TValue>? ValueSerde { get; }

    internal TableValueGetter Getter { get; }

    /// <summary>For a windowed table: how a suppression names its keys, where their windows end, and the grace they close after.</summary>
    internal WindowedSuppression? Windowed { get; init; }

    /// <summary>The name of the store that holds this table, when it is materialized.</summary>
    public string? QueryableStoreName { get; }

    /// <summary>The table's updates as a stream of new values (a deleted key as a null value).</summary>
    public KStream<TKey, TValue> ToStream(Named? named = null)
    {
        var name = _builder.NameOrNew(named?.Name, "KTABLE-TOSTREAM-");
        _builder.Topology.AddProcessorNode(name, n => new TableToStreamNode(n), Name);
        return new KStream<TKey, TValue>(_builder, name, KeySerde, ValueSerde, repartitionRequired: false);
    }

    public KTable<TKey, TValue> Filter(Func<TKey, TValue, bool> predicate, Named? named = null) => Filtered(predicate, not: false, named);

    public KTable<TKey, TValue> FilterNot(Func<TKey, TValue, bool> predicate, Named? named = null) => Filtered(predicate, not: true, named);

    public KTable<TKey, TValueOut> MapValues<TValueOut>(Func<TValue, TValueOut> mapper, Named? named = null) =>
        MapValues<TValueOut>((_, value) => mapper(value), named);

    public KTable<TKey, TValueOut> MapValues<TValueOut>(Func<TKey, TValue, TValueOut> mapper, Named? named = null)
    {
        var name = _builder.NameOrNew(named?.Name, "KTABLE-MAPVALUES-");
        _builder.Topology.AddProcessorNode(name, n => new TableMapValuesNode<TKey, TValue, TValueOut>(n, mapper), Name);
        return new KTable<TKey, TValueOut>(_builder, name, KeySerde, null, null, Getter.Then((key, value) => mapper((TKey)key, (TValue)value)));
    }

    /// <summary>
    /// Holds back the table's updates and forwards each key's latest one when its time comes (Kafka's
    /// <c>suppress</c>): for a windowed table, <see cref="Suppressed.UntilWindowCloses"/> emits each window's final
    /// value once; <see cref="Suppressed.UntilTimeLimit"/> emits a key's latest value a while after its first
    /// held-back update, on any table.
    /// </summary>
    public KTable<TKey, TValue> Suppress(Suppressed suppressed)
    {
        ArgumentNullException.ThrowIfNull(suppressed);
        var untilWindowCloses = suppressed.TimeLimitMs is null;
        if (untilWindowCloses && Windowed is null)
        {
            throw new TopologyException("Suppression until a window closes needs a windowed table (a windowed aggregation)");
        }

        // Kafka's order of generated numbers: the processor, then its buffer's store.
        var name = suppressed.Name ?? _builder.NewProcessorName("KTABLE-SUPPRESS-");
        var storeName = suppressed.Name is { } named ? named + "-store" : _builder.NewStoreName("KTABLE-SUPPRESS-");
        var keys = Windowed?.Keys ?? ((task, store) => new SerdeSuppressKeys<TKey>(
            KeySerde ?? State.SerdeDefaults.As<TKey>(task.DefaultKeySerde, "key", store), store));
        var windows = Windowed;
        Func<object, long, long> bufferTime = untilWindowCloses ? (key, _) => windows!.WindowEnd(key) : (_, timestamp) => timestamp;
        var suppressMs = suppressed.TimeLimitMs ?? windows!.GraceMs;
        var valueSerde = ValueSerde;
        _builder.Topology.AddProcessorNode(
            name, n => new SuppressNode<TValue>(n, storeName, keys, bufferTime, suppressMs, suppressed.Buffer, dropTombstones: untilWindowCloses, valueSerde), Name);
        _builder.Topology.AddStateStore(
            State.Stores.KeyValueStoreBuilder(State.Stores.InMemoryKeyValueStore(storeName), Serdes.ByteArray(), Serdes.ByteArray()), name);
        return new KTable<TKey, TValue>(_builder, name, KeySerde, ValueSerde, null, Getter);
    }

    private KTable<TKey, TValue> Filtered(Func<TKey, TValue, bool> predicate, bool not, Named? named)
    {
        var name = _builder.NameOrNew(named?.Name, "KTABLE-FILTER-");
        _builder.Topology.AddProcessorNode(name, n => new TableFilterNode<TKey, TValue>(n, predicate, not), Name);
        return new KTable<TKey, TValue>(
            _builder, name, KeySerde, ValueSerde, null, Getter.Then((key, value) => predicate((TKey)key, (TValue)value) != not ? value : null));
    }
}

/// <summary>What a suppression needs to know of a windowed table: its keys' bytes (given the task and the buffer's store), their windows' ends, and the grace after which windows close.</summary>
internal sealed record WindowedSuppression(Func<Internals.TaskState, string, ISuppressKeys> Keys, Func<object, long> WindowEnd, long GraceMs);
