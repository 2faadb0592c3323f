using Tributary.Grains.Streams.Dsl.Nodes;
using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Serialization;
using Tributary.Grains.Streams.State;

namespace Tributary.Grains.Streams.Dsl;

/// <summary>What the windowed aggregations of a grouped stream share: naming, repartitioning, the store and the node.</summary>
internal sealed class WindowedAggregation<TKey, TValue>(KStream<TKey, TValue> stream, Grouped<TKey, TValue> grouped, bool repartitionRequired)
{
    public StreamsBuilder Builder => stream.Builder;

    public ISerde<TKey>? KeySerde => grouped.KeySerde ?? stream.KeySerde;

    public ISerde<TValue>? ValueSerde => grouped.ValueSerde ?? stream.ValueSerde;

    /// <param name="closeDelayMs">how long after a window's end updates are taken, for a later suppression</param>
    public KTable<Windowed<TKey>, TAggregate> Build<TAggregate>(
        Named? named, Materialized<TKey, TAggregate> materialized, string prefix, long closeDelayMs, Func<string, IStoreBuilder> store,
        Func<string, string, ProcessorNode> node, Func<ISerde<TKey>, ISerde<Windowed<TKey>>> windowedSerde)
    {
        WindowedTables.EnsureNoKeyValueSupplier(materialized);

        var builder = stream.Builder;
        // Kafka's order of generated numbers: the store, then the processor, then the repartition nodes.
        var storeName = materialized.StoreName ?? builder.NewStoreName(prefix);
        var name = builder.NameOrNew(named?.Name, prefix);
        var parent = repartitionRequired ? stream.RepartitionedSource(grouped.Name ?? storeName, KeySerde, ValueSerde, null, null) : stream.Name;
        builder.Topology.AddProcessorNode(name, n => node(n, storeName), parent);
        builder.Topology.AddStateStore(store(storeName), name);

        return WindowedTables.Table<TKey, TAggregate>(builder, name, storeName, materialized.KeySerde ?? KeySerde, materialized.ValueSerde, closeDelayMs, windowedSerde);
    }
}
