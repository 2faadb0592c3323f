using Tributary.Grains.Streams.Dsl.Nodes;
using Tributary.Grains.Streams.State;

namespace Tributary.Grains.Streams.Dsl;

public sealed partial class KTable<TKey, TValue>
{
    /// <summary>
    /// Groups the table's rows by a new key and value (Kafka's <c>KTable.groupBy</c>), to aggregate them per group
    /// with an adder and a subtractor: a row that changes leaves its old group and joins its new one.
    /// </summary>
    public KGroupedTable<TKeyOut, TValueOut> GroupBy<TKeyOut, TValueOut>(
        Func<TKey, TValue, KeyValue<TKeyOut, TValueOut>> selector, Grouped<TKeyOut, TValueOut>? grouped = null)
    {
        ArgumentNullException.ThrowIfNull(selector);
        grouped ??= new Grouped<TKeyOut, TValueOut>();
        var name = _builder.NameOrNew(grouped.Name, "KTABLE-SELECT-");
        _builder.Topology.AddProcessorNode(name, n => new TableRepartitionMapNode<TKey, TValue, TKeyOut, TValueOut>(n, selector), Name);
        return new KGroupedTable<TKeyOut, TValueOut>(_builder, name, grouped);
    }
}
