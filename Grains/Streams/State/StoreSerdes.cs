using Tributary.Grains.Streams.Serialization;

namespace Tributary.Grains.Streams.State;

/// <summary>
/// The serdes of a typed store: the ones given, or the application's defaults once the store opens; the topic they
/// are called with is the store's changelog, as in Kafka.
/// </summary>
internal sealed class StoreSerdes<TKey, TValue>(string storeName, ISerde<TKey>? keySerde, ISerde<TValue>? valueSerde)
{
    public ISerde<TKey> Keys { get; private set; } = null!;

    public ISerde<TValue> Values { get; private set; } = null!;

    /// <summary>The store's changelog topic, once the store is open.</summary>
    public string Topic { get; private set; } = "";

    public void Init(StateStoreContext context)
    {
        Keys = keySerde ?? SerdeDefaults.As<TKey>(context.DefaultKeySerde, "key", storeName);
        Values = valueSerde ?? SerdeDefaults.As<TValue>(context.DefaultValueSerde, "value", storeName);
        Topic = context.ChangelogTopic(storeName);
    }

    public byte[] SerializeKey(TKey key) =>
        key is null ? throw new ArgumentNullException(nameof(key), $"Store {storeName} takes no null key") : Keys.Serialize(Topic, key, null);

    public byte[]? SerializeValue(TValue? value) => value is null ? null : Values.Serialize(Topic, value, null);

    public TKey DeserializeKey(byte[] bytes) => Keys.Deserialize(Topic, bytes, null);

    public TValue DeserializeValue(byte[] bytes) => Values.Deserialize(Topic, bytes, null);
}
