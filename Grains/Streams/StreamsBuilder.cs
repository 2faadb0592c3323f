using System.Globalization;
using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.State;

namespace Tributary.Grains.Streams;

/// <summary>
/// Builds a <see cref="Topology"/> with the DSL (Kafka's <c>StreamsBuilder</c>). Operations without a given name get
/// Kafka's generated names (<c>KSTREAM-FILTER-0000000001</c>, ...), numbered in the order they are called, so a
/// topology described here reads as the same program's description in Java.
/// </summary>
public sealed class StreamsBuilder
{
    private int _index;

    public StreamsBuilder()
        : this(new TopologyConfig())
    {
    }

    public StreamsBuilder(TopologyConfig config) => Config = config;

    internal TopologyConfig Config { get; }

    internal Topology Topology { get; } = new();

    /// <summary>A stream of the records of one topic.</summary>
    public KStream<TKey, TValue> Stream<TKey, TValue>(string topic, Consumed<TKey, TValue>? consumed = null) => Stream([topic], consumed);

    /// <summary>A stream of the records of several topics, merged.</summary>
    public KStream<TKey, TValue> Stream<TKey, TValue>(IReadOnlyList<string> topics, Consumed<TKey, TValue>? consumed = null)
    {
        consumed ??= new Consumed<TKey, TValue>();
        var name = NameOrNew(consumed.ProcessorName, "KSTREAM-SOURCE-");
        Topology.AddSource(name, consumed.KeySerde, consumed.ValueSerde, consumed.TimestampExtractor, [.. topics]);
        return new KStream<TKey, TValue>(this, name, consumed.KeySerde, consumed.ValueSerde, repartitionRequired: false);
    }

    /// <summary>
    /// A table of a topic: each record is its key's latest value, a null value deletes the key. The table is kept in
    /// a store (named by <paramref name="materialized"/>, or <c>&lt;topic&gt;-STATE-STORE-&lt;n&gt;</c>) with its changelog.
    /// </summary>
    public KTable<TKey, TValue> Table<TKey, TValue>(string topic, Consumed<TKey, TValue>? consumed = null, Materialized<TKey, TValue>? materialized = null)
    {
        consumed ??= new Consumed<TKey, TValue>();
        materialized ??= new Materialized<TKey, TValue>();
        // Kafka's order of generated numbers: the store, the source, then the table's source processor.
        var storeName = materialized.StoreName ?? topic + "-STATE-STORE-" + NextIndex();
        var sourceName = NameOrNew(consumed.ProcessorName is { } given ? given + "-table-source" : null, "KSTREAM-SOURCE-");
        var tableName = NameOrNew(consumed.ProcessorName, "KTABLE-SOURCE-");
        var keySerde = materialized.KeySerde ?? consumed.KeySerde;
        var valueSerde = materialized.ValueSerde ?? consumed.ValueSerde;
        Topology.AddSource(sourceName, consumed.KeySerde, consumed.ValueSerde, consumed.TimestampExtractor, topic);
        Topology.AddProcessorNode(tableName, n => new Dsl.Nodes.ToTableNode<TKey, TValue>(n, storeName), sourceName);
        Topology.AddStateStore(KeyValueStore(storeName, materialized, keySerde, valueSerde), tableName);
        return new KTable<TKey, TValue>(this, tableName, keySerde, valueSerde, storeName, TableValueGetter.OfStore<TKey, TValue>(storeName));
    }

    /// <summary>
    /// A global table of a topic (Kafka's <c>globalTable</c>): every instance keeps all of it, read from every partition
    /// of the topic, which serves as its changelog. A stream joins it on a key of its choosing, without repartitioning.
    /// </summary>
    public GlobalKTable<TKey, TValue> GlobalTable<TKey, TValue>(string topic, Consumed<TKey, TValue>? consumed = null, Materialized<TKey, TValue>? materialized = null)
    {
        consumed ??= new Consumed<TKey, TValue>();
        materialized ??= new Materialized<TKey, TValue>();
        if (materialized.Retention is not null)
        {
            throw new ArgumentException($"A retention period applies to window and session stores; a global table's store is a key-value store");
        }

        // Kafka's order of generated numbers, as for a table: the store, the source, then the table's source processor.
        var storeName = materialized.StoreName ?? topic + "-STATE-STORE-" + NextIndex();
        var sourceName = NameOrNew(consumed.ProcessorName is { } given ? given + "-table-source" : null, "KSTREAM-SOURCE-");
        var tableName = NameOrNew(consumed.ProcessorName, "KTABLE-SOURCE-");
        var keySerde = materialized.KeySerde ?? consumed.KeySerde;
        var valueSerde = materialized.ValueSerde ?? consumed.ValueSerde;
        // The topic is the store's changelog: the store itself is never logged, whatever the materialization says.
        var store = Stores.KeyValueStoreBuilder(materialized.StoreSupplier ?? DefaultKeyValueStore(storeName), keySerde, valueSerde).WithLoggingDisabled();
        Topology.AddGlobalStoreNode(
            store, sourceName, consumed.KeySerde, consumed.ValueSerde, consumed.TimestampExtractor, topic, tableName,
            n => new Dsl.Nodes.ToTableNode<TKey, TValue>(n, storeName));
        return new GlobalKTable<TKey, TValue>(storeName);
    }

    /// <summary>Adds a store for processors of the processor API to connect to.</summary>
    public StreamsBuilder AddStateStore(IStoreBuilder storeBuilder)
    {
        Topology.AddStateStore(storeBuilder);
        return this;
    }

    /// <summary>The topology built so far.</summary>
    public Topology Build() => Topology;

    internal string NewProcessorName(string prefix) => prefix + NextIndex();

    /// <summary>The store of a DSL operation: the materialization's supplier, or <c>default.dsl.store</c>'s; logged unless turned off.</summary>
    internal IStoreBuilder KeyValueStore<TStoreKey, TStoreValue>(
        string storeName, Materialized<TStoreKey, TStoreValue> materialized, Serialization.ISerde<TStoreKey>? keySerde, Serialization.ISerde<TStoreValue>? valueSerde)
    {
        if (materialized.Retention is not null)
        {
            throw new ArgumentException($"A retention period applies to window and session stores; {storeName} is a key-value store");
        }

        // Timestamped, as Kafka's DSL stores: each value keeps the time of its row, which aggregations carry forward.
        var builder = Stores.KeyValueStoreBuilder(materialized.StoreSupplier ?? DefaultKeyValueStore(storeName), keySerde, valueSerde);
        builder.Timestamped = true;
        if (materialized.CachingEnabled)
        {
            builder.WithCachingEnabled();
        }

        return materialized.LoggingEnabled ? builder.WithLoggingEnabled(materialized.LogConfig) : builder.WithLoggingDisabled();
    }

    /// <summary>The byte store <c>default.dsl.store</c> names.</summary>
    internal IKeyValueBytesStoreSupplier DefaultKeyValueStore(string storeName) =>
        Config.DefaultDslStore == DslStoreType.InMemory ? Stores.InMemoryKeyValueStore(storeName) : Stores.PersistentKeyValueStore(storeName);

    /// <summary>
    /// The name a user gave, or a generated one; a given name still uses up a number, as Kafka's
    /// <c>NamedInternal.orElseGenerateWithPrefix</c> does, so the generated names after it match Kafka's.
    /// </summary>
    internal string NameOrNew(string? given, string prefix)
    {
        var generated = NewProcessorName(prefix);
        return given ?? generated;
    }

    internal string NewStoreName(string prefix) => prefix + "STATE-STORE-" + NextIndex();

    private string NextIndex() => (_index++).ToString("D10", CultureInfo.InvariantCulture);
}
