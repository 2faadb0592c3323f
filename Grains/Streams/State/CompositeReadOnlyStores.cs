using Tributary.Grains.Streams.Dsl;

namespace Tributary.Grains.Streams.State;

/// <summary>A local store of one task and the lock of the thread that runs the task: reads from outside take it, so they never meet a write.</summary>
internal sealed record LocalStore(IStateStore Store, object Gate)
{
    public T Read<T>(Func<IStateStore, T> read)
    {
        lock (Gate)
        {
            if (!Store.IsOpen)
            {
                throw new InvalidStateStoreException($"The state store, {Store.Name}, may have migrated to another instance.");
            }

            return read(Store);
        }
    }
}

/// <summary>
/// An instance's stores of one name, one per local task, read as one key-value store (Kafka's
/// <c>CompositeReadOnlyKeyValueStore</c>): a key is looked up in each, ranges are each store's in turn. The stores
/// are found afresh at each read, so a query follows tasks as they move.
/// </summary>
internal sealed class CompositeReadOnlyKeyValueStore<TKey, TValue>(string storeName, Func<IReadOnlyList<LocalStore>> stores) : IReadOnlyKeyValueStore<TKey, TValue>
{
    public long ApproximateNumEntries => stores().Sum(s => s.Read(store => Typed(store).ApproximateNumEntries));

    public TValue? Get(TKey key) => TryGet(key, out var value) ? value : default;

    public bool TryGet(TKey key, out TValue value)
    {
        foreach (var local in stores())
        {
            var (found, stored) = local.Read(store => Typed(store).TryGet(key, out var v) ? (true, v) : (false, default!));
            if (found)
            {
                value = stored;
                return true;
            }
        }

        value = default!;
        return false;
    }

    public IEnumerable<KeyValue<TKey, TValue>> Range(TKey from, TKey to) => stores().SelectMany(s => s.Read(store => Typed(store).Range(from, to).ToList()));

    public IEnumerable<KeyValue<TKey, TValue>> All() => stores().SelectMany(s => s.Read(store => Typed(store).All().ToList()));

    private IReadOnlyKeyValueStore<TKey, TValue> Typed(IStateStore store) =>
        store as IReadOnlyKeyValueStore<TKey, TValue>
        ?? throw new InvalidStateStoreException(
            $"Cannot get state store {storeName} because the queryable store type (a key-value store of {typeof(TKey).Name} to {typeof(TValue).Name}) does not accept the state store {storeName}.");
}

/// <summary>An instance's window stores of one name, read as one (Kafka's <c>CompositeReadOnlyWindowStore</c>).</summary>
internal sealed class CompositeReadOnlyWindowStore<TKey, TValue>(string storeName, Func<IReadOnlyList<LocalStore>> stores) : IReadOnlyWindowStore<TKey, TValue>
{
    public TValue? Fetch(TKey key, long windowStartMs)
    {
        foreach (var local in stores())
        {
            if (local.Read(store => Typed(store).Fetch(key, windowStartMs)) is { } value)
            {
                return value;
            }
        }

        return default;
    }

    public IEnumerable<KeyValue<long, TValue>> Fetch(TKey key, long fromMs, long toMs) =>
        stores().SelectMany(s => s.Read(store => Typed(store).Fetch(key, fromMs, toMs).ToList()));

    public IEnumerable<KeyValue<Windowed<TKey>, TValue>> FetchAll(long fromMs, long toMs) =>
        stores().SelectMany(s => s.Read(store => Typed(store).FetchAll(fromMs, toMs).ToList()));

    public IEnumerable<KeyValue<Windowed<TKey>, TValue>> All() => stores().SelectMany(s => s.Read(store => Typed(store).All().ToList()));

    private IReadOnlyWindowStore<TKey, TValue> Typed(IStateStore store) =>
        store as IReadOnlyWindowStore<TKey, TValue>
        ?? throw new InvalidStateStoreException(
            $"Cannot get state store {storeName} because the queryable store type (a window store of {typeof(TKey).Name} to {typeof(TValue).Name}) does not accept the state store {storeName}.");
}
