namespace Tributary.Grains.Streams.Dsl;

/// <summary>
/// A table that every instance of the application holds whole (Kafka's <c>GlobalKTable</c>), filled from all the
/// partitions of its topic by the instance's global thread. Streams join it on a key they map each record to.
/// </summary>
public sealed class GlobalKTable<TKey, TValue>
{
    internal GlobalKTable(string storeName)
    {
        QueryableStoreName = storeName;
        Getter = TableValueGetter.OfGlobalStore<TKey, TValue>(storeName);
    }

    /// <summary>The name of the global store that holds the table.</summary>
    public string QueryableStoreName { get; }

    internal TableValueGetter Getter { get; }
}
