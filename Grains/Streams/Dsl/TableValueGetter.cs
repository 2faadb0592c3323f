using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.State;

namespace Tributary.Grains.Streams.Dsl;

/// <summary>
/// How a processor looks up a table's current value of a key (Kafka's <c>KTableValueGetter</c>): from the store
/// that materializes it, or from its parent's value through the table's own filter or mapper. A processor using it
/// is connected to <see cref="Stores"/>, which puts it in the task that holds them.
/// </summary>
internal sealed record TableValueGetter(IReadOnlyList<string> Stores, Func<TaskState, Func<object, object?>> Make)
{
    /// <summary>How to read the time of a key's row (-1 when unknown), for a table whose store keeps it; null otherwise.</summary>
    public Func<TaskState, Func<object, long>>? MakeTimestamp { get; init; }

    public static TableValueGetter OfStore<TKey, TValue>(string storeName) =>
        new([storeName], task =>
        {
            var store = (IKeyValueStore<TKey, TValue>)task.GetStore(storeName);
            return key => store.TryGet((TKey)key, out var value) ? value : null;
        })
        {
            MakeTimestamp = task =>
            {
                var store = task.GetStore(storeName) as ITimestampedKeyValueStore<TKey, TValue>;
                return key => store is not null && store.TryGet((TKey)key, out _, out var timestamp) ? timestamp : -1;
            },
        };

    /// <summary>A global table's value of a key: any processor reads a global store, so none is connected.</summary>
    public static TableValueGetter OfGlobalStore<TKey, TValue>(string storeName) => OfStore<TKey, TValue>(storeName) with { Stores = [] };

    /// <summary>The parent's value of a key, changed by <paramref name="map"/> (null: the key has no value here).</summary>
    public TableValueGetter Then(Func<object, object, object?> map) =>
        new(Stores, task =>
        {
            var parent = Make(task);
            return key => parent(key) is { } value ? map(key, value) : null;
        })
        {
            // A filtered or mapped row keeps the time of the row it comes from.
            MakeTimestamp = MakeTimestamp,
        };
}
